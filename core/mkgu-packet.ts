import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import type { PultConfig } from '../shared/config.js';
import { valueIdOf, type MkguForm } from '../shared/mkgu-form.js';
import { zoneOffsetMs } from '../shared/office-time.js';
import { PultFailure } from './errors.js';
import { openDatabaseReadOnly } from './storage/database.js';
import type { ReadableDB } from './storage/readable.js';
import { COUNTED_CRITERIA, CRITERION_COLUMNS, formsFrom, type CriterionRow, type MkguFormEntry } from './storage/mkgu-outbox.js';
import type { SqliteSetup } from './storage/sqlite.js';

/**
 * The packet ИАС МКГУ takes (docs/mkgu.md): one form per response that rated at least one federal
 * criterion, its rates mapped to the form's value ids by indicator id — from the form the office
 * has, never from a table here. Built with a DOM (@xmldom/xmldom) and signed, when asked, with
 * xml-crypto (enveloped XML-DSig over #mkgu: exclusive c14n, SHA-256, RSA-SHA256, the certificate
 * in KeyInfo).
 */
export const MKGU_NAMESPACE = 'http://vashkontrol.ru#';

/** The period's counted criteria answers (misuse and repeats are never reported), by response, in order. */
export function formsOf(db: ReadableDB, fromMs: number, toMs: number): MkguFormEntry[] {
  const rows = db
    .prepare(
      `SELECT ${CRITERION_COLUMNS} FROM answers WHERE created_at_ms >= ? AND created_at_ms < ? AND ${COUNTED_CRITERIA} ORDER BY seq`,
    )
    .all(fromMs, toMs) as CriterionRow[];
  return formsFrom(rows);
}

/** xs:dateTime on the office's clock with its offset: 2026-11-18T12:00:05+03:00 (HH:mm:ss — the hour, minutes, seconds). */
export function officeDateTime(ms: number, timeZone: string): string {
  const offset = zoneOffsetMs(ms, timeZone);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export type MkguSettings = NonNullable<PultConfig['mkgu']>;

/** A criterion the form has no indicator for: the packet is refused rather than sent wrong. */
export class MkguFormMismatch extends PultFailure {
  constructor(indicator: number, formVersion: string) {
    super('mkguNoIndicator', { indicator: String(indicator), form: formVersion });
  }
}

/** The packet's XML text. */
export function packetXml(forms: readonly MkguFormEntry[], settings: MkguSettings, form: MkguForm, timeZone: string): string {
  const document = new DOMImplementation().createDocument(MKGU_NAMESPACE, 'mkgu:body', null);
  const body = document.documentElement!;
  body.setAttribute('ID', 'mkgu');
  const add = (parent: Element, name: string, attributes: Record<string, string> = {}, text?: string): Element => {
    const element = document.createElement(name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (text !== undefined) element.appendChild(document.createTextNode(text));
    parent.appendChild(element);
    return element;
  };
  add(body, 'vendor', { id: settings.vendorId, 'form-version': form.formVersion });
  const list = add(body, 'forms');
  for (const entry of forms) {
    const element = add(list, 'form', { 'mkgu-id': '0', 'foreign-id': entry.responseId });
    const data = add(element, 'data');
    add(data, 'service-id', {}, entry.serviceId ?? settings.serviceId);
    if (settings.procedure) add(data, 'procedure', {}, settings.procedure);
    add(data, 'authority-id', {}, settings.authorityId);
    add(data, 'date', {}, officeDateTime(entry.atMs, timeZone));
    add(data, 'received-date', {}, officeDateTime(entry.atMs, timeZone));
    add(data, 'okato', {}, settings.okato);
    if (entry.ticket) add(data, 'ticket', {}, entry.ticket);
    const rates = add(element, 'rates');
    for (const { indicator, score } of entry.rates) {
      const valueId = valueIdOf(form, indicator, score);
      if (valueId === null) throw new MkguFormMismatch(indicator, form.formVersion);
      add(rates, 'rate', { 'indicator-id': String(indicator), 'value-id': String(valueId) });
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(document)}\n`;
}

/** Enveloped XML-DSig over the body (#mkgu): exclusive c14n, SHA-256, RSA-SHA256, the certificate in KeyInfo. */
export async function signPacket(xml: string, privateKeyPem: string, certificatePem: string): Promise<string> {
  // Loaded to sign only: xml-crypto (with its XPath) is 12 MiB of memory a console needs once a day at most.
  const { SignedXml } = await import('xml-crypto');
  const signer = new SignedXml({
    privateKey: privateKeyPem,
    publicCert: certificatePem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signer.addReference({
    xpath: "/*[local-name(.)='body']",
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.idAttributes = ['ID'];
  signer.computeSignature(xml, { location: { reference: "/*[local-name(.)='body']", action: 'append' } });
  return signer.getSignedXml();
}

/** `pult mkgu export`: the period's packet from the console's database, read-only beside a running console. */
export async function exportPacket(options: {
  dataDir: string;
  fromMs: number;
  toMs: number;
  settings: MkguSettings;
  form: MkguForm;
  timeZone: string;
  sign?: { key: string; cert: string };
  sqlite?: SqliteSetup;
}): Promise<{ xml: string; forms: number; rates: number }> {
  const db = openDatabaseReadOnly(options.dataDir, options.sqlite);
  try {
    const forms = formsOf(db, options.fromMs, options.toMs);
    const xml = packetXml(forms, options.settings, options.form, options.timeZone);
    const rates = forms.reduce((sum, form) => sum + form.rates.length, 0);
    return { xml: options.sign ? await signPacket(xml, options.sign.key, options.sign.cert) : xml, forms: forms.length, rates };
  } finally {
    db.close();
  }
}

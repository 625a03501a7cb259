import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import form004 from '../shared/mkgu/form-0.0.4.json' with { type: 'json' };
import { runPult } from './support/host-process.js';
import { useTempDirs } from './support/temp-dir.js';
import { MKGU, seedCriteria, type SeededResponse } from './support/mkgu.js';

/**
 * The ИАС МКГУ packet (issue 19) as `pult mkgu export` writes it for a seeded period: checked by a
 * schema written from the form (xmllint), every rate's value id against form 0.0.4 worked out
 * here, signed and verified by Debian's xmlsec1 — and refused by it once a value is changed.
 */
const tempDir = useTempDirs();
const DAY = '2026-11-18';
const SCHEMA = path.resolve(__dirname, 'mkgu/packet-0.0.4.xsd');

/** Three responses: all five criteria; two of them (one skipped); and a CSI with a misuse press of a criterion. */
const RESPONSES: SeededResponse[] = [
  { csi: 5, criteria: { 9: 5, 10: 4, 11: 5, 12: 3, 13: 1 } },
  { csi: 2, criteria: { 9: 2, 11: 1 } },
  { csi: 4, criteria: { 12: 4 }, misuse: true },
];

const seeded = () => seedCriteria(tempDir(), RESPONSES);

const parse = (file: string) => new DOMParser().parseFromString(fs.readFileSync(file, 'utf8'), 'text/xml');
const attributes = (doc: Document, tag: string, names: string[]) =>
  Array.from(doc.getElementsByTagName(tag)).map((element) => names.map((name) => element.getAttribute(name)));

function keyAndCertificate(dir: string) {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=pult-test'],
    {
      stdio: 'ignore',
    },
  );
  return { key, cert };
}

const verify = (file: string, cert: string) =>
  spawnSync('xmlsec1', ['--verify', '--pubkey-cert-pem', cert, '--id-attr:ID', 'http://vashkontrol.ru#:body', file], {
    encoding: 'utf8',
  });

describe('pult mkgu export: the ИАС МКГУ packet', () => {
  it('one form per response that rated a criterion, each rate mapped by form 0.0.4, valid against the schema', async () => {
    const rig = await seeded();
    const out = path.join(rig.dir, 'packet.xml');
    const run = await runPult(['mkgu', 'export', ...rig.args, '--from', DAY, '--to', DAY, '--out', out], { PULT_LANG: 'en' });
    expect([run.code, run.stdout.trim()]).toEqual([0, `${out}: 2 forms, 7 rates`]);
    const lint = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, out], { encoding: 'utf8' });
    expect([lint.status, lint.stderr.trim()]).toEqual([0, `${out} validates`]);

    const doc = parse(out);
    expect(doc.documentElement.namespaceURI).toBe('http://vashkontrol.ru#');
    expect(doc.documentElement.getAttribute('ID')).toBe('mkgu');
    expect(attributes(doc, 'vendor', ['id', 'form-version'])).toEqual([['pult-test', '0.0.4']]);
    // The misuse response's criterion is never reported: two forms, their ids the responses'.
    expect(attributes(doc, 'form', ['mkgu-id', 'foreign-id'])).toEqual([
      ['0', rig.ids[0]],
      ['0', rig.ids[1]],
    ]);
    const expected = RESPONSES.slice(0, 2).flatMap((response) =>
      Object.entries(response.criteria).map(([indicator, score]) => [
        indicator,
        String(form004.indicators[indicator as '9'][score - 1]),
      ]),
    );
    expect(attributes(doc, 'rate', ['indicator-id', 'value-id'])).toEqual(expected);
    expect(expected.slice(0, 5)).toEqual([
      ['9', '45'],
      ['10', '49'],
      ['11', '55'],
      ['12', '58'],
      ['13', '61'],
    ]);
    // The office's clock with its offset, HH:mm:ss (not the month in the minutes).
    expect(Array.from(doc.getElementsByTagName('date')).map((d) => d.textContent)).toEqual([
      '2026-11-18T12:00:00+03:00',
      '2026-11-18T12:00:00+03:00',
    ]);
    expect(Array.from(doc.getElementsByTagName('service-id')).map((d) => d.textContent)).toEqual([
      MKGU.serviceId,
      MKGU.serviceId,
    ]);
  });

  it('signed (XML-DSig, RSA-SHA256) it verifies with xmlsec1; a changed value does not', async () => {
    const rig = await seeded();
    const { key, cert } = keyAndCertificate(rig.dir);
    const out = path.join(rig.dir, 'signed.xml');
    const run = await runPult([
      'mkgu',
      'export',
      ...rig.args,
      '--from',
      DAY,
      '--to',
      DAY,
      '--out',
      out,
      '--sign-key',
      key,
      '--sign-cert',
      cert,
    ]);
    expect(run.code).toBe(0);
    const signed = fs.readFileSync(out, 'utf8');
    expect(signed).toContain('<Reference URI="#mkgu">');
    expect(signed).toContain('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(signed).toContain('http://www.w3.org/2001/10/xml-exc-c14n#');
    expect(signed).toContain('<X509Certificate>');
    const good = verify(out, cert);
    expect([good.status, good.stderr]).toEqual([0, expect.stringContaining('OK')]);
    expect(spawnSync('xmllint', ['--noout', '--schema', SCHEMA, out]).status).toBe(0);

    const tampered = path.join(rig.dir, 'tampered.xml');
    fs.writeFileSync(tampered, signed.replace('value-id="45"', 'value-id="41"'));
    const bad = verify(tampered, cert);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/FAIL|verification failed|digest/i);
  });

  it('a form without an indicator for a criterion, or no mkgu section, is refused by name and writes nothing', async () => {
    const rig = await seeded();
    const form = path.join(rig.dir, 'form.json');
    const { 13: _dropped, ...fewer } = form004.indicators;
    fs.writeFileSync(form, JSON.stringify({ ...form004, formVersion: '0.0.9', indicators: fewer }));
    const out = path.join(rig.dir, 'packet.xml');
    const run = await runPult(['mkgu', 'export', ...rig.args, '--from', DAY, '--to', DAY, '--out', out, '--form', form], {
      PULT_LANG: 'en',
    });
    expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('the form 0.0.9 has no indicator 13')]);
    expect(fs.existsSync(out)).toBe(false);
    const bare = await runPult(['mkgu', 'export', '--data-dir', rig.dataDir, '--out', out], { PULT_LANG: 'en' });
    expect([bare.code, bare.stderr]).toEqual([2, expect.stringContaining('no "mkgu" section')]);
  });
});

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { newId } from './ids.js';
import type { PultConfig } from '../shared/config.js';
import { DEFAULT_MKGU_FORM, MkguFormSchema, type MkguForm } from '../shared/mkgu-form.js';
import { createPacketSender, type PacketAttempt, type PacketPort, type PassResult } from '../sync/mkgu-sender.js';
import { PultFailure } from './errors.js';
import { replaceFile } from './files.js';
import type { Log } from './log.js';
import { MKGU_NAMESPACE, packetXml, signPacket, type MkguSettings } from './mkgu-packet.js';
import type { Storage } from './storage/storage.js';

/** The form `pult mkgu fetch-form` keeps, in the data directory; form 0.0.4 as shipped without it. */
export const KEPT_FORM_FILE = 'mkgu-form.json';
/** A signing command gets this long per packet. */
const SIGN_TIMEOUT_MS = 60_000;

/** A form's text checked against the form's schema; a failure names what is wrong. */
export function parseForm(text: string, source: string): MkguForm {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PultFailure('mkguBadForm', { file: source, detail: (error as Error).message });
  }
  const form = MkguFormSchema.safeParse(parsed);
  if (!form.success)
    throw new PultFailure('mkguBadForm', {
      file: source,
      detail: form.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    });
  return form.data;
}

/** The form in force: `--form FILE`, else the one kept by fetch-form, else form 0.0.4. */
export function formInForce(dataDir: string, file?: string): MkguForm {
  const chosen = file ?? path.join(dataDir, KEPT_FORM_FILE);
  if (file === undefined && !fs.existsSync(chosen)) return DEFAULT_MKGU_FORM;
  return parseForm(fs.readFileSync(chosen, 'utf8'), chosen);
}

/** `pult mkgu fetch-form`: reads the current form and keeps it; a bad one is refused and the kept one stays. */
export async function fetchForm(dataDir: string, url: string, fetcher: typeof fetch): Promise<MkguForm> {
  let text: string;
  try {
    const response = await fetcher(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } catch (error) {
    throw new PultFailure('mkguFormUnreachable', { url, detail: (error as Error).message });
  }
  const form = parseForm(text, url);
  fs.mkdirSync(dataDir, { recursive: true });
  replaceFile(path.join(dataDir, KEPT_FORM_FILE), `${JSON.stringify(form, null, 2)}\n`);
  return form;
}

/** Runs the office's signing command: the packet on stdin, the signed packet from stdout; no shell. */
function runSignCommand(command: readonly string[], xml: string): Promise<string> {
  const [program, ...args] = command as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: SIGN_TIMEOUT_MS });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const refuse = (detail: string) => reject(new PultFailure('mkguSignCommand', { command: program, detail }));
    child.on('error', (error) => refuse(error.message));
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8').trim().slice(0, 500);
      if (code !== 0) return refuse(`exit ${code ?? signal}${stderr ? `: ${stderr}` : ''}`);
      const signed = Buffer.concat(out).toString('utf8');
      if (!isPacket(signed)) return refuse('its output is not an ИАС МКГУ packet (mkgu:body)');
      resolve(signed);
    });
    child.stdin.on('error', () => undefined); // a command that exits without reading: its exit code says why
    child.stdin.end(xml);
  });
}

const isPacket = (xml: string): boolean => {
  let root: Element | null = null;
  const quiet = () => undefined;
  try {
    root = new DOMParser({ errorHandler: quiet }).parseFromString(xml, 'text/xml').documentElement;
  } catch {
    return false;
  }
  return root?.localName === 'body' && root.namespaceURI === MKGU_NAMESPACE;
};

/** The packet as it goes out: signed by the key and certificate, by the office's command, or not at all. */
export async function signed(xml: string, settings: MkguSettings): Promise<string> {
  if (settings.signCommand) return runSignCommand(settings.signCommand, xml);
  if (settings.signKey && settings.signCert)
    return signPacket(xml, fs.readFileSync(settings.signKey, 'utf8'), fs.readFileSync(settings.signCert, 'utf8'));
  return xml;
}

export interface MkguSendOptions {
  storage: Storage;
  settings: MkguSettings & { endpoint: string };
  form: MkguForm;
  timeZone: string;
  /** A response is over once nothing was added to it for this long (longer than the screens' idle return). */
  quietMs: number;
  wallMs: () => number;
  fetch: typeof fetch;
  log: Log;
  onAttempt?: (id: string, attempt: PacketAttempt) => void;
}

/** The packets' port on the console's storage: forms packed, built and signed here, stored there. */
function packetPort(options: MkguSendOptions): PacketPort {
  const { storage, settings } = options;
  return {
    async pack() {
      let packed = 0;
      for (;;) {
        const ready = await storage.mkgu.ready(settings.packetForms, options.wallMs() - options.quietMs);
        const body =
          ready.forms.length > 0
            ? await signed(packetXml(ready.forms, settings, options.form, options.timeZone), settings)
            : null;
        const kept = await storage.mkgu.keep({ id: newId(), body, ready, atMs: options.wallMs() });
        if (!kept || ready.untilSeq === ready.afterSeq) return packed;
        packed += ready.forms.length;
        // Fewer than a full packet: the rest is still going on (or there is none). None: passed-over forms only, read on.
        if (ready.forms.length > 0 && ready.forms.length < settings.packetForms) return packed;
      }
    },
    next: () => storage.mkgu.next(),
    record: (id, attempt) => storage.mkgu.record(id, attempt),
  };
}

/** One sender over the console's storage; `pass()` packs and sends until done or told to wait. */
export function mkguSender(options: MkguSendOptions) {
  return createPacketSender({
    endpoint: options.settings.endpoint,
    port: packetPort(options),
    fetch: options.fetch,
    now: options.wallMs,
    timeoutMs: options.settings.timeoutMs,
    onAttempt: (id, attempt) => {
      if (attempt.outcome === 'retry')
        options.log.warn({ packet: id, error: attempt.error, retryAt: attempt.nextAtMs }, 'mkgu packet to be sent again');
      else if (attempt.outcome === 'accepted')
        options.log.info({ packet: id, status: attempt.replyStatus }, 'mkgu packet accepted');
      else
        options.log.warn({ packet: id, status: attempt.replyStatus, reply: attempt.reply.slice(0, 500) }, 'mkgu packet rejected');
      options.onAttempt?.(id, attempt);
    },
  });
}

/**
 * The console's sender in the background (mkgu.endpoint set): a pass every `everyMs`, sooner when
 * a packet's retry comes due. A pass that fails (a signing command that is broken) is logged and
 * tried at the next turn; nothing is lost, the forms wait in the answers table.
 */
export function startMkgu(
  options: MkguSendOptions & { setTimer: (delayMs: number, fire: () => void) => () => void },
): () => void {
  let cancel: (() => void) | null = null;
  let stopped = false;
  const sender = mkguSender(options);
  const turn = async () => {
    let result: PassResult | null = null;
    try {
      result = await sender.pass();
    } catch (error) {
      options.log.warn({ error: error instanceof PultFailure ? error.kind : (error as Error).message }, 'mkgu send failed');
    }
    if (stopped) return;
    const every = options.settings.everyMs;
    const delay = result && !result.done ? Math.min(every, Math.max(0, result.waitUntil - options.wallMs())) : every;
    cancel = options.setTimer(delay, () => void turn());
  };
  cancel = options.setTimer(0, () => void turn());
  return () => {
    stopped = true;
    cancel?.();
  };
}

/**
 * The console sends its own packets when its config names the rates endpoint (docs/mkgu.md says
 * why the console, and how a collector may send for a region instead). A kept form that cannot be
 * read stops only the sending, never the console: it is logged, and the forms wait.
 */
export function mkguInBackground(options: {
  dataDir: string;
  config: PultConfig;
  storage: Storage;
  wallMs: () => number;
  setTimer: (delayMs: number, fire: () => void) => () => void;
  log: Log;
  fetch: typeof fetch;
}): (() => void) | null {
  const { mkgu: settings, timeouts, timeZone } = options.config;
  if (!settings?.endpoint) return null;
  let form: MkguForm;
  try {
    form = formInForce(options.dataDir);
  } catch (error) {
    options.log.warn(
      { error: error instanceof PultFailure ? error.params : String(error) },
      'mkgu form unreadable: nothing is sent',
    );
    return null;
  }
  return startMkgu({
    storage: options.storage,
    settings: { ...settings, endpoint: settings.endpoint },
    form,
    timeZone,
    quietMs: quietMsOf(timeouts),
    wallMs: options.wallMs,
    fetch: options.fetch,
    log: options.log,
    setTimer: options.setTimer,
  });
}

/** Two idle returns: within a response no two answers are further apart than one (the screen went home). */
export const quietMsOf = (timeouts: PultConfig['timeouts']): number => 2 * timeouts.idleMs;

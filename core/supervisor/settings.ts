import fs from 'node:fs';
import type { z } from 'zod';
import { DEMO_CONFIG, issuePath, PultConfigSchema, type PultConfig } from '../../shared/config.js';
import type { ConfigRule } from '../../shared/config-rules.js';
import { SETTING_NAMES, type AuditEntry, type ChangeReply, type Settings, type SettingsChange } from '../../shared/supervisor.js';
import { replaceFile } from '../files.js';

export const settingsOf = (config: PultConfig): Settings => ({
  windowLabel: config.window.label,
  language: config.language,
  flow: config.flow,
});

type RawConfig = Record<string, unknown> & { window?: Record<string, unknown> };

/** The config file as written (defaults not filled in, `tokenFile` not read); null when there is none. */
function readText(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/** Someone may have edited the file since start-up: JSON that no longer parses is named, not thrown. */
function parseRaw(text: string | null): RawConfig | SyntaxError {
  if (text === null) return structuredClone(DEMO_CONFIG) as RawConfig;
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as RawConfig;
  } catch (error) {
    return error as SyntaxError;
  }
}

/** Puts the file back as it was before a change (removes it if there was none). */
function putBack(file: string, text: string | null): void {
  if (text === null) fs.rmSync(file, { force: true });
  else replaceFile(file, text);
}

const problemsOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issuePath(issue.path),
    rule: issue.code === 'custom' ? ((issue.params as { rule?: ConfigRule } | undefined)?.rule ?? null) : null,
    message: issue.message,
  }));

export interface Changed {
  reply: ChangeReply;
  /** Present when the file was changed: the config now written, what to log, and how to take it back. */
  made?: {
    config: PultConfig;
    audit: Omit<AuditEntry, 'atMs' | 'by'>[];
    /** Puts the file back: a change the log cannot show is not made. */
    undo: () => void;
  };
}

const refused = (path: string, message: string): Changed => ({
  reply: { applied: false, problems: [{ path, rule: null, message }] },
});

/**
 * Applies a change to the config FILE: the whole file, changed, must pass the config schema (the
 * same rules as at start-up), then it replaces the file in one rename. The console then runs the
 * new settings; the next start reads the same. A console started on the demo config gets its
 * `pult.config.json` in the data directory.
 */
export function changeSettings(file: string, current: PultConfig, change: SettingsChange): Changed {
  const before = readText(file);
  const raw = parseRaw(before);
  if (raw instanceof Error) return refused(file, raw.message);
  if (change.windowLabel !== undefined) raw.window = { ...raw.window, label: change.windowLabel };
  if (change.language !== undefined) raw.language = change.language;
  if (change.flow !== undefined) raw.flow = change.flow;
  const parsed = PultConfigSchema.safeParse(raw);
  if (!parsed.success) return { reply: { applied: false, problems: problemsOf(parsed.error) } };
  const config: PultConfig = {
    ...current,
    window: { ...current.window, label: parsed.data.window.label },
    language: parsed.data.language,
    flow: parsed.data.flow,
  };
  const inForce = settingsOf(current);
  const after = settingsOf(config);
  const audit = SETTING_NAMES.filter((name) => JSON.stringify(inForce[name]) !== JSON.stringify(after[name])).map((what) => ({
    what,
    from: JSON.stringify(inForce[what]),
    to: JSON.stringify(after[what]),
  }));
  if (audit.length === 0) return { reply: { applied: true, settings: after, audit: [] } };
  try {
    replaceFile(file, `${JSON.stringify(raw, null, 2)}\n`);
  } catch (error) {
    // Not written, so not applied: the console goes on with the settings its file holds.
    return refused(file, (error as Error).message);
  }
  return { reply: { applied: true, settings: after, audit: [] }, made: { config, audit, undo: () => putBack(file, before) } };
}

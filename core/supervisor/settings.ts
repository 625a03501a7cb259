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

/** The config file as written (defaults not filled in, `tokenFile` not read), or the demo's when there is none. */
function readRaw(file: string): RawConfig {
  if (!fs.existsSync(file)) return structuredClone(DEMO_CONFIG) as RawConfig;
  return JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as RawConfig;
}

const problemsOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({
    path: issuePath(issue.path),
    rule: issue.code === 'custom' ? ((issue.params as { rule?: ConfigRule } | undefined)?.rule ?? null) : null,
    message: issue.message,
  }));

export interface Changed {
  reply: ChangeReply;
  /** The config now in force, and what to write into the audit log; absent when nothing changed. */
  config?: PultConfig;
  audit?: Omit<AuditEntry, 'atMs' | 'by'>[];
}

/**
 * Applies a change to the config FILE: the whole file, changed, must pass the config schema (the
 * same rules as at start-up), then it replaces the file in one rename. The console then runs the
 * new settings; the next start reads the same. A console started on the demo config gets its
 * `pult.config.json` in the data directory.
 */
export function changeSettings(file: string, current: PultConfig, change: SettingsChange): Changed {
  const raw = readRaw(file);
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
  const before = settingsOf(current);
  const after = settingsOf(config);
  const audit = SETTING_NAMES.filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).map((what) => ({
    what,
    from: JSON.stringify(before[what]),
    to: JSON.stringify(after[what]),
  }));
  if (audit.length === 0) return { reply: { applied: true, settings: after, audit: [] } };
  try {
    replaceFile(file, `${JSON.stringify(raw, null, 2)}\n`);
  } catch (error) {
    // Not written, so not applied: the console goes on with the settings its file holds.
    return { reply: { applied: false, problems: [{ path: file, rule: null, message: (error as Error).message }] } };
  }
  return { reply: { applied: true, settings: after, audit: [] }, config, audit };
}

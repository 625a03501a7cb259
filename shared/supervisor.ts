import { z } from 'zod';
import { ReasonSchema } from './answer.js';
import { LanguageSchema } from './languages.js';
import { PultConfigSchema } from './config.js';
import { idSchema } from './config-rules.js';
import { CRITERION_NAMES, CsiFiguresSchema, FairFiguresSchema, NpsFiguresSchema } from './metrics.js';
import { StatusSchema, SyncStatusSchema } from './status.js';

/**
 * What the supervisor screen («руководитель сектора») asks the core and gets back. Every method
 * but `openSupervisor` carries the token of a PIN session: the core refuses it without one.
 */

/** The token `openSupervisor` hands out; it ends with `closeSupervisor` or after the idle time. */
export const TokenSchema = z.string().min(16).max(128);
const WithToken = z.strictObject({ token: TokenSchema });

/** An office-local day, "2026-11-26"; a date that does not exist (2026-02-30) is refused. */
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((day) => new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'no such date');

/** A period of office days, both ends included; at most ten years (what a console could hold). */
export const PeriodSchema = z
  // A window id has the config's id format: it also names the export file, so no path can hide in it.
  .strictObject({ from: DaySchema, to: DaySchema, windowId: idSchema.optional() })
  .refine((p) => p.from <= p.to, { message: '"from" must not be after "to"', path: ['to'] })
  .refine((p) => Date.parse(p.to) - Date.parse(p.from) <= 3_660 * 86_400_000, { message: 'at most ten years', path: ['to'] });
export type Period = z.output<typeof PeriodSchema>;

export const OpenSupervisorSchema = z.strictObject({ pin: z.string().max(16) });
/** Open, or why not: a wrong PIN (attempts left before the lockout), locked until, or no PIN set yet. */
export const OpenReplySchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('open'),
    token: TokenSchema,
    /** Without a touch for this long the screen goes back to the applicant and the token ends. */
    idleMs: z.number().int(),
    /** This session keeps the console from taking ratings (opened on the console's own screen). */
    pausesRatings: z.boolean(),
    /** What the screen names and how it shows times (a browser on the LAN has no other way to know). */
    console: z.object({ officeName: z.string(), windowId: z.string(), windowLabel: z.string(), timeZone: z.string() }),
  }),
  z.object({ status: z.literal('wrong'), attemptsLeft: z.number().int() }),
  z.object({ status: z.literal('locked'), untilMs: z.number() }),
  z.object({ status: z.literal('no_pin') }),
]);
export type OpenReply = z.output<typeof OpenReplySchema>;

export const PeriodStatsSchema = z.object({
  from: DaySchema,
  to: DaySchema,
  windowId: z.string().nullable(),
  csi: CsiFiguresSchema.nullable(),
  nps: NpsFiguresSchema.nullable(),
  /** Low-score reasons, most chosen first. */
  reasons: z.array(z.object({ reason: ReasonSchema, count: z.number().int() })),
  /** Presses kept as misuse: counted here only, excluded from every other figure. */
  misuse: z.number().int(),
  /** Second responses for a ticket already rated (the electronic queue, docs/queue.md): counted here only. */
  repeats: z.number().int(),
  /** The federal criteria answered in the period (ИАС МКГУ, indicator 9–13): each one's 1–5 figures. */
  criteria: z.array(z.object({ indicator: z.number().int(), figures: CsiFiguresSchema })),
  /** Hours of the day (office time) that have answers. */
  byHour: z.array(z.object({ hour: z.number().int(), csi: CsiFiguresSchema.nullable() })),
  /** CSI over time, in order: by day for periods up to 62 days, by month beyond. */
  trend: z.object({
    unit: z.enum(['day', 'month']),
    points: z.array(z.object({ period: z.string(), csi: CsiFiguresSchema.nullable() })),
  }),
});
export type PeriodStats = z.output<typeof PeriodStatsSchema>;

/** One window's totals of a period, for the list of every window. */
export const WindowFiguresSchema = z.object({
  windowId: z.string(),
  csi: CsiFiguresSchema.nullable(),
  nps: NpsFiguresSchema.nullable(),
});
export type WindowFigures = z.output<typeof WindowFiguresSchema>;

export const StatsReplySchema = z.object({
  period: PeriodStatsSchema,
  /** Every window with answers in the period (a console's database may hold several). */
  windows: z.array(WindowFiguresSchema),
  /** The satisfied share the office aims for (config `supervisor.target`). */
  target: z.number(),
  /** This console's window, and today on the office clock: the screen's defaults. */
  windowId: z.string(),
  today: DaySchema,
  /** The office's opening hours (config `openingHours`): the hours the by-hour chart always shows. */
  openingHours: z.object({ from: z.string(), to: z.string() }),
  /** The words of the office's own reasons (config), by id and language: ours are in the locales. */
  reasonLabels: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});
export type StatsReply = z.output<typeof StatsReplySchema>;

export const CriterionSchema = z.enum(CRITERION_NAMES);

/** One operator over a period: their figures, their place (only when ranked), and per service. */
export const OperatorFiguresSchema = z.object({
  operatorId: z.string(),
  /** As the queue last named them (operators are employees: shown behind the PIN only). */
  name: z.string().nullable(),
  figures: FairFiguresSchema,
  /** 1 = the best shrunk score among the ranked; null below RANKED_FROM ratings. */
  place: z.number().int().nullable(),
  services: z.array(z.object({ serviceId: z.string().nullable(), name: z.string().nullable(), figures: FairFiguresSchema })),
});
export type OperatorFigures = z.output<typeof OperatorFiguresSchema>;

export const OperatorStatsSchema = z.object({
  from: DaySchema,
  to: DaySchema,
  criterion: CriterionSchema,
  /** m: the satisfied share of every operator's ratings together, the prior the scores shrink towards. */
  pooledShare: z.number(),
  /** s: the prior's strength in ratings (config `supervisor.priorStrength`). */
  priorStrength: z.number(),
  /** Ranked first, by shrunk score; then the rest by shrunk score. */
  operators: z.array(OperatorFiguresSchema),
  /** Ratings of the criterion without an operator (no ticket open): counted here, in no operator's figures. */
  unbound: z.number().int(),
  misuse: z.number().int(),
  repeats: z.number().int(),
});
export type OperatorStats = z.output<typeof OperatorStatsSchema>;

export const OperatorsRequestSchema = z.strictObject({
  token: TokenSchema,
  period: PeriodSchema.optional(),
  criterion: CriterionSchema.default('csi'),
});

/** The two warnings offices ask rating terminals for (config `alerts`). */
export const AlertSchema = z.discriminatedUnion('kind', [
  /** No rating for `openHours` opening hours (since `sinceMs`, the last answer or the console's start). */
  z.object({ kind: z.literal('silent'), openHours: z.number(), sinceMs: z.number() }),
  /** The last `count` CSI ratings were all 1 or 2. */
  z.object({ kind: z.literal('negative_streak'), count: z.number().int() }),
]);
export type Alert = z.output<typeof AlertSchema>;

/** The console's health as the supervisor sees it. */
export const HealthSchema = z.object({ status: StatusSchema, sync: SyncStatusSchema, alerts: z.array(AlertSchema) });
export type Health = z.output<typeof HealthSchema>;

/** What can be changed on the console: each change is validated, persisted, applied at once and audited. */
export const SettingsSchema = z.object({
  windowLabel: PultConfigSchema.shape.window.shape.label,
  language: PultConfigSchema.shape.language,
  flow: PultConfigSchema.shape.flow,
});
export type Settings = z.output<typeof SettingsSchema>;
export const SETTING_NAMES = ['windowLabel', 'language', 'flow'] as const;

export const AuditEntrySchema = z.object({
  atMs: z.number(),
  what: z.enum(SETTING_NAMES),
  /** The setting before and after, as JSON text. */
  from: z.string(),
  to: z.string(),
  /** Where the change was made: "console" or the supervisor's address on the LAN. */
  by: z.string(),
});
export type AuditEntry = z.output<typeof AuditEntrySchema>;

/**
 * A change as sent: only its shape is checked here; the config schema's own rules (a default
 * language that is enabled, a flow that starts with a question…) are checked on the whole config,
 * and each broken one is named back to the screen.
 */
export const SettingsChangeSchema = z.strictObject({
  windowLabel: z.string().max(200).optional(),
  language: z.strictObject({ default: LanguageSchema, enabled: z.array(LanguageSchema).max(16) }).optional(),
  flow: z.array(z.record(z.string(), z.unknown())).max(8).optional(),
});
export type SettingsChange = z.output<typeof SettingsChangeSchema>;

export const SettingsReplySchema = z.object({
  settings: SettingsSchema,
  /** The newest changes first. */
  audit: z.array(AuditEntrySchema),
});

/** A change the schema refused: the field and our rule's key (worded by the screen), or zod's message. */
export const ChangeReplySchema = z.discriminatedUnion('applied', [
  z.object({ applied: z.literal(true), settings: SettingsSchema, audit: z.array(AuditEntrySchema) }),
  z.object({
    applied: z.literal(false),
    problems: z.array(z.object({ path: z.string(), rule: z.string().nullable(), message: z.string() })),
  }),
]);
export type ChangeReply = z.output<typeof ChangeReplySchema>;

/** A folder an export may be written to: the data directory's, a configured one, a USB stick. */
export const ExportFolderSchema = z.object({ path: z.string(), kind: z.enum(['data', 'configured', 'removable']) });
export type ExportFolder = z.output<typeof ExportFolderSchema>;

export const ExportRequestSchema = z.strictObject({
  token: TokenSchema,
  period: PeriodSchema,
  format: z.enum(['csv', 'jsonl', 'xlsx']),
  /** One of the folders `listExportFolders` offered: nothing is written anywhere else. */
  folder: z.string().min(1).max(1_000),
  /** The screen's language: an .xlsx workbook's column names are Russian for Russian, English otherwise. */
  language: LanguageSchema.optional(),
});
export type ExportRequest = z.output<typeof ExportRequestSchema>;
export const ExportReplySchema = z.object({ file: z.string(), answers: z.number().int(), bytes: z.number().int() });

/** The supervisor's methods (merged into the contract in shared/contract.ts). */
export const supervisorMethods = {
  /** Checks the PIN (5 wrong → locked for 5 minutes) and opens a PIN session. */
  openSupervisor: { input: OpenSupervisorSchema, output: OpenReplySchema },
  /** Ends the PIN session; the console takes ratings again. */
  closeSupervisor: { input: WithToken, output: z.object({ closed: z.boolean() }) },
  /** The figures of a period (today, this window, when none is given), and every window's totals. */
  getStats: { input: z.strictObject({ token: TokenSchema, period: PeriodSchema.optional() }), output: StatsReplySchema },
  /** Each operator's figures over a period (today when none is given), fairly: docs/supervisor.md. */
  getOperators: { input: OperatorsRequestSchema, output: OperatorStatsSchema },
  /** Answers stored, outbox, last sync, boxes, and the alerts (silent console, negative streak). */
  getHealth: { input: WithToken, output: HealthSchema },
  listExportFolders: { input: WithToken, output: z.array(ExportFolderSchema) },
  /** Writes the period's answers (misuse included, flagged) as CSV (UTF-8 BOM) or JSONL into an offered folder. */
  exportPeriod: { input: ExportRequestSchema, output: ExportReplySchema },
  getSettings: { input: WithToken, output: SettingsReplySchema },
  /** Changes some settings: validated by the config schema, written to the config file, applied, audited. */
  changeSettings: {
    input: z.strictObject({ token: TokenSchema, change: SettingsChangeSchema }),
    output: ChangeReplySchema,
  },
} as const;

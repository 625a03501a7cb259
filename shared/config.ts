import { z } from 'zod';
import { LanguageSchema, type Language } from './languages.js';
import { CSI_RANGE, isBuiltInReason, MAX_REASONS, REASONS, ReasonSchema } from './answer.js';
import { BoxSchema } from './box.js';
import { broken, idSchema, type ConfigRule } from './config-rules.js';
import { BIDI_OR_INVISIBLE, hasControl, isWellFormed } from './text.js';

export { CONFIG_RULES, type ConfigRule } from './config-rules.js';

/**
 * Text shown on the screen: a name or label of only spaces would show as nothing; a control or
 * bidi-override character, or a lone surrogate, would show something else than was meant (or
 * break an export) — refused whatever door the text comes through (file, settings screen).
 */
const shownText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => isWellFormed(text) && !hasControl(text) && !BIDI_OR_INVISIBLE.test(text), broken('hiddenCharacters'))
    .refine((text) => text.trim().length > 0, broken('blankText'));

/**
 * A device token as `pult collector add-device` makes it (43 characters of base64url), or any
 * token of 16–200 printable ASCII characters another collector issues.
 */
export const TokenSchema = z
  .string()
  .min(16)
  .max(200)
  .refine((token) => /^[\x21-\x7E]+$/.test(token), broken('tokenFormat'));

/**
 * A folder named in the config: absolute (POSIX `/…`, Windows `E:\…` or `\\server\share`), without
 * `..` — a relative path would mean something else for every process that reads the config.
 */
const absoluteFolder = z
  .string()
  .min(1)
  .max(500)
  .refine((folder) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(folder) && !/(^|[\\/])\.\.([\\/]|$)/.test(folder), broken('absolutePath'));

/** An http(s) address: the collector, a queue's export, ИАС МКГУ. */
const httpUrl = z.url().refine((url) => /^https?:\/\//.test(url), broken('endpointScheme'));

/** A file named in the config (a key, a certificate): absolute, for the same reason as a folder. */
const absoluteFile = absoluteFolder;

/** "08:30": a time of day on the office clock. */
export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/**
 * A reason offered after a low score: one of ours by its id (its words in the locales, unless
 * `label` gives the office's own), or the office's own id with its words in every enabled
 * language. `comment`: choosing it opens the comment screen next («Другое» — tell us).
 */
const ReasonChoiceSchema = z.strictObject({
  id: ReasonSchema,
  label: z.partialRecord(LanguageSchema, shownText(80)).optional(),
  comment: z.boolean().default(false),
});
export type ReasonChoice = z.output<typeof ReasonChoiceSchema>;
export const DEFAULT_REASONS: ReasonChoice[] = REASONS.map((id) => ({ id, comment: false }));

export const FlowStepSchema = z.discriminatedUnion('type', [
  /**
   * «Выберите язык»: the first screen of every response, each enabled language a button named in
   * its own language (a box's button n chooses the n-th). For offices whose applicants read Russian
   * poorly and answer from a box; without it the language is switched in the header.
   */
  z.strictObject({ type: z.literal('language') }),
  z.strictObject({ type: z.literal('csi') }),
  /** Ask «Что пошло не так?» when the CSI score is at or below `threshold`. */
  z.strictObject({
    type: z.literal('reasons_if_low'),
    threshold: z
      .number()
      .int()
      .min(CSI_RANGE.min)
      .max(CSI_RANGE.max - 1)
      .default(3),
    /** The reasons, in the order shown (ours, in our order, when absent). */
    reasons: z
      .array(ReasonChoiceSchema)
      .min(1)
      .max(MAX_REASONS)
      .refine((list) => new Set(list.map((r) => r.id)).size === list.length, broken('reasonRepeated'))
      .default(DEFAULT_REASONS),
  }),
  /** Free text on the screen's keyboard, at most 500 characters, skippable (docs/mkgu.md). */
  z.strictObject({ type: z.literal('comment') }),
  z.strictObject({ type: z.literal('nps') }),
  /** The federal form's five criteria (ИАС МКГУ), one per screen, each skippable: docs/mkgu.md. */
  z.strictObject({ type: z.literal('mkgu') }),
]);
export type FlowStep = z.output<typeof FlowStepSchema>;

const flowSchema = z
  .array(FlowStepSchema)
  .min(1)
  .superRefine((steps, ctx) => {
    const types = steps.map((s) => s.type);
    if (new Set(types).size !== types.length) ctx.addIssue(broken('stepRepeated'));
    const reasonsAt = types.indexOf('reasons_if_low');
    if (reasonsAt !== -1 && types[reasonsAt - 1] !== 'csi') ctx.addIssue(broken('reasonsAfterCsi', [reasonsAt]));
    const languageAt = types.indexOf('language');
    if (languageAt > 0) ctx.addIssue(broken('languageFirst', [languageAt]));
    const first = types[0] === 'language' ? types[1] : types[0];
    if (first === undefined || first === 'reasons_if_low' || first === 'comment') ctx.addIssue(broken('startWithQuestion'));
  });

/**
 * The language screen offers every enabled language as a button: it needs two at least, and every
 * box needs a button for each (a language a box cannot choose would strand its applicant).
 */
function languagesChoosable(
  config: { flow: FlowStep[]; language: { enabled: Language[] }; boxes: { buttons: number }[] },
  ctx: z.RefinementCtx,
): void {
  if (!config.flow.some((step) => step.type === 'language')) return;
  if (config.language.enabled.length < 2) ctx.addIssue(broken('languageStepOneLanguage', ['language', 'enabled']));
  config.boxes.forEach((box, index) => {
    if (box.buttons < config.language.enabled.length) ctx.addIssue(broken('boxTooFewForLanguages', ['boxes', index, 'buttons']));
  });
}

/** Every reason shown has its words in every enabled language: ours from the locales, the office's from its label. */
function reasonsHaveWords(config: { flow: FlowStep[]; language: { enabled: Language[] } }, ctx: z.RefinementCtx): void {
  config.flow.forEach((step, stepIndex) => {
    if (step.type !== 'reasons_if_low') return;
    step.reasons.forEach((reason, index) => {
      if (isBuiltInReason(reason.id)) return;
      for (const language of config.language.enabled)
        if (!reason.label?.[language])
          ctx.addIssue(broken('reasonWithoutWords', ['flow', stepIndex, 'reasons', index, 'label', language]));
    });
  });
}

/** A state of a polled ticket export and the names the export gives it. */
const statusNames = z.array(z.string().min(1).max(64)).min(1).max(8);

/**
 * A queue system's HTTP export of tickets, polled (docs/queue.md, «polling»): a JSON list of
 * tickets with their state. The field names and the state names are the export's own; the
 * defaults are Pult's documented format.
 */
const QueuePollSchema = z.strictObject({
  url: httpUrl,
  /** Sent as `Authorization: Bearer …`, when the export asks for one. */
  token: z.string().min(1).max(512).optional(),
  everyMs: z.number().int().min(1_000).max(600_000).default(5_000),
  /** The property holding the list, when the export is an object (`{"tickets": […]}`); the body itself otherwise. */
  listAt: z.string().min(1).max(64).optional(),
  fields: z
    .strictObject({
      ticket: z.string().min(1).max(64).default('ticket'),
      visitId: z.string().min(1).max(64).default('visitId'),
      window: z.string().min(1).max(64).default('window'),
      operatorId: z.string().min(1).max(64).default('operatorId'),
      operatorName: z.string().min(1).max(64).default('operatorName'),
      serviceId: z.string().min(1).max(64).default('serviceId'),
      serviceName: z.string().min(1).max(64).default('serviceName'),
      status: z.string().min(1).max(64).default('status'),
      at: z.string().min(1).max(64).default('at'),
    })
    .prefault({}),
  statuses: z
    .strictObject({
      called: statusNames.default(['called']),
      started: statusNames.default(['started', 'serving']),
      finished: statusNames.default(['finished', 'done']),
      noshow: statusNames.default(['noshow']),
      transferred: statusNames.default(['transferred']),
    })
    .prefault({}),
});
export type QueuePoll = z.output<typeof QueuePollSchema>;

export const PultConfigSchema = z
  .strictObject({
    office: z.strictObject({ id: idSchema, name: shownText(200) }),
    window: z.strictObject({
      id: idSchema,
      /** Shown after the localized word «Окно»/«Window», e.g. "5" → «Окно 5». */
      label: shownText(16),
    }),
    language: z
      .strictObject({
        default: LanguageSchema,
        // Each language is one button on every screen: a repeated one only pushes the question away.
        enabled: z
          .array(LanguageSchema)
          .min(1)
          .refine((list) => new Set(list).size === list.length, broken('languageRepeated')),
      })
      .refine((l) => l.enabled.includes(l.default), broken('defaultNotEnabled', ['default'])),
    flow: flowSchema,
    timeouts: z
      .strictObject({
        idleMs: z.number().int().min(1_000).max(600_000).default(20_000),
        thanksMs: z.number().int().min(500).max(60_000).default(3_000),
        guardMs: z.number().int().min(0).max(60_000).default(2_000),
        /** A press this soon after a question appeared was aimed at the screen before it: not an answer. */
        settleMs: z.number().int().min(0).max(2_000).default(400),
      })
      .prefault({})
      // A guard longer than the thank-you would file the next applicant's real answers as misuse.
      .refine((t) => t.guardMs <= t.thanksMs, broken('guardLongerThanThanks', ['guardMs']))
      .refine((t) => t.settleMs < t.idleMs, broken('settleLongerThanIdle', ['settleMs'])),
    /** The spoken prompts (docs/accessibility.md): offered on the screen, off until an applicant turns them on. */
    sound: z
      .strictObject({
        /** false: no sound control on the screen (a console without speakers). */
        offered: z.boolean().default(true),
        /** The loudest a prompt plays, 0–1 of the system volume: the applicant cannot go above it. */
        volume: z.number().min(0.05).max(1).default(0.6),
      })
      .prefault({}),
    /** Presses that are kept as evidence but never counted (besides those inside `timeouts.guardMs`). */
    misuse: z
      .strictObject({
        /** More answers than this within `burstWithinMs` are a child drumming, not an applicant reading: misuse. 0: no limit. */
        burstPresses: z.number().int().min(0).max(1_000).default(6),
        burstWithinMs: z.number().int().min(1_000).max(600_000).default(10_000),
      })
      .prefault({}),
    /**
     * Addresses of thin clients whose browser shows this console's applicant screen from another box.
     * The applicant's methods answer loopback and these only, so nobody else on the LAN can press answers.
     */
    kioskAddresses: z
      .array(z.union([z.ipv4(), z.ipv6()]))
      .max(16)
      .default([]),
    /** Button boxes beside (or instead of) the touch screen: see docs/hardware.md. */
    boxes: z
      .array(BoxSchema)
      .max(8)
      .default([])
      .refine((boxes) => new Set(boxes.map((b) => b.id)).size === boxes.length, broken('boxRepeated')),
    /** The supervisor screen (see docs/supervisor.md): its idle return, the target it shows, where it exports. */
    supervisor: z
      .strictObject({
        /** The screen goes back to the applicant flow after this long without a touch (and its PIN session ends). */
        idleMs: z.number().int().min(5_000).max(600_000).default(60_000),
        /** The satisfied share (CSI 4–5) the office aims for, e.g. 0.9 for 90 %. */
        target: z.number().min(0.5).max(1).default(0.9),
        /** Folders offered for an export besides the data directory's `exports` and mounted USB sticks. */
        exportFolders: z.array(absoluteFolder).max(8).default([]),
        /** s of the operators' shrunk score (k + m·s) / (n + s): how many ratings the office's share counts as. */
        priorStrength: z.number().int().min(0).max(1_000).default(40),
        /** Operators' ids (employees' personal data) go into exports only when this is on. */
        exportOperators: z.boolean().default(false),
      })
      .prefault({}),
    /** When the office is open (office time; МФЦ open every day by default): a console silent for hours while open is broken or ignored. */
    openingHours: z
      .strictObject({
        /** ISO weekdays, 1 = Monday … 7 = Sunday. */
        days: z
          .array(z.number().int().min(1).max(7))
          .min(1)
          .max(7)
          .default([1, 2, 3, 4, 5, 6, 7])
          .refine((days) => new Set(days).size === days.length, broken('dayRepeated')),
        from: clockTime.default('08:00'),
        to: clockTime.default('20:00'),
      })
      .prefault({})
      .refine((hours) => hours.from < hours.to, broken('openBeforeClose', ['to'])),
    /** The two warnings offices ask rating terminals for. */
    alerts: z
      .strictObject({
        /** No rating for this many opening hours: «the console is silent». */
        silentOpeningHours: z.number().int().min(1).max(48).default(2),
        /** The last N CSI ratings were all low (1–2): «a negative streak». */
        negativeStreak: z.number().int().min(2).max(50).default(5),
      })
      .prefault({}),
    /** Where answers go when online; without it the console works fully offline. */
    sync: z
      .strictObject({
        endpoint: httpUrl,
        /** The device token (`pult collector add-device` prints it); or `tokenFile`, relative to the config file. */
        token: TokenSchema.optional(),
        tokenFile: z.string().min(1).optional(),
        /** A new answer is sent at once; this is how often an idle uploader looks again. */
        intervalMs: z.number().int().min(100).max(3_600_000).default(10_000),
        /** A reply that takes longer counts as lost; the batch is sent again (same id). */
        timeoutMs: z.number().int().min(500).max(300_000).default(30_000),
        /** How often the console tells the fleet it is alive (±20 %, so a thousand consoles do not beat in step). */
        heartbeatMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
      })
      .refine((sync) => (sync.token === undefined) !== (sync.tokenFile === undefined), broken('tokenOneOf'))
      .optional(),
    /**
     * The electronic queue (СУО), docs/queue.md: it posts what happens at this window to
     * `POST /queue/v1/events`; a rating given while a ticket's rating is open carries the ticket and
     * the operator who served it. Without this section the console takes ratings as before.
     */
    queue: z
      .strictObject({
        /**
         * `bound`: a rating while a ticket is open carries it; without one it is stored unbound.
         * `required`: without an open ticket the screen says rating opens after service, and presses store nothing.
         */
        mode: z.enum(['bound', 'required']).default('bound'),
        /** What the queue system sends as `Authorization: Bearer …`. */
        token: TokenSchema,
        /** Addresses besides loopback the queue system may post from. */
        allow: z
          .array(z.union([z.ipv4(), z.ipv6()]))
          .max(16)
          .default([]),
        /** The rating opens when service starts, or only when it is finished. */
        rateAfter: z.enum(['started', 'finished']).default('started'),
        /** How long after «finished» the applicant may still rate. */
        windowMs: z.number().int().min(10_000).max(3_600_000).default(120_000),
        /** The operator's name on the applicant screen beside the ticket (employees' personal data: off by default). */
        showOperator: z.boolean().default(false),
        /** This window's id in the queue system (Qmatic's service point, a polled export's window), when it differs from `window.id`. */
        servicePoint: z.string().min(1).max(64).optional(),
        /** For a queue system that only offers an HTTP export of its tickets: the console polls it (docs/queue.md). */
        poll: QueuePollSchema.optional(),
      })
      .optional(),
    /**
     * The federal report (ИАС МКГУ, docs/mkgu.md): what `pult mkgu export` writes into each form.
     * Optional: without it the criteria are still asked and counted, only no packet is made.
     */
    mkgu: z
      .strictObject({
        /** The vendor id ИАС МКГУ gave this office's terminals. */
        vendorId: z.string().regex(/^[\w.-]{1,64}$/),
        /** The authority (МФЦ) id in ИАС МКГУ. */
        authorityId: z.string().regex(/^[\w.-]{1,64}$/),
        /** The service (ФРГУ id) of a form whose ticket named none. */
        serviceId: z.string().regex(/^\d{1,20}$/),
        /** The procedure (ФРГУ «цель обращения») of the service, when the form asks for one. */
        procedure: z
          .string()
          .regex(/^\d{1,20}$/)
          .optional(),
        /** ОКАТО of the office. */
        okato: z.string().regex(/^\d{2,11}$/),
        /** Where `pult mkgu fetch-form` reads the current form (JSON, shared/mkgu-form.ts). */
        formUrl: httpUrl.optional(),
        /** The rates endpoint: with it the console sends its packets in the background (docs/mkgu.md). */
        endpoint: httpUrl.optional(),
        /** How often the sender packs new forms and sends what waits. */
        everyMs: z.number().int().min(10_000).max(86_400_000).default(600_000),
        /** At most this many forms in one packet. */
        packetForms: z.number().int().min(1).max(1_000).default(100),
        /** The request's time limit. */
        timeoutMs: z.number().int().min(1_000).max(300_000).default(30_000),
        /** RSA XML-DSig (PEM files): the key and its certificate, both or neither. */
        signKey: absoluteFile.optional(),
        signCert: absoluteFile.optional(),
        /**
         * A signing command of the office's certified provider (ГОСТ Р 34.10-2012): the program and
         * its arguments, run without a shell; the unsigned packet on its stdin, the signed one on stdout.
         */
        signCommand: z.array(z.string().min(1).max(500)).min(1).max(32).optional(),
      })
      .refine((m) => (m.signKey === undefined) === (m.signCert === undefined), broken('signKeyWithCert', ['signCert']))
      .refine((m) => m.signKey === undefined || m.signCommand === undefined, broken('oneSigner', ['signCommand']))
      .optional(),
    /** IANA zone used to file answers under the office's local day and hour. */
    timeZone: z.string().refine(isTimeZone, broken('unknownTimeZone')).default('Europe/Moscow'),
  })
  .superRefine(reasonsHaveWords)
  .superRefine(languagesChoosable);
export type PultConfig = z.output<typeof PultConfigSchema>;
export type PultConfigInput = z.input<typeof PultConfigSchema>;

/** Applies when no config file is given: a demo console, documented in README. */
export const DEMO_CONFIG: PultConfigInput = {
  office: { id: 'demo-office', name: 'МФЦ (демо)' },
  window: { id: 'demo-window-1', label: '1' },
  language: { default: 'ru', enabled: ['ru', 'en', 'uz', 'tg', 'ky'] },
  flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }],
};

/** Why a config file cannot be used; the shells name each problem in the IT staff's language. */
export type ConfigProblem = { kind: 'unreadable' | 'not_json'; detail: string } | { kind: 'invalid'; error: z.ZodError };

/** "flow[1].threshold": where in the config an issue lies. */
export const issuePath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    '',
  );

/**
 * "flow[1].threshold: Too big: expected number to be <=4" — one line per problem, naming the field.
 * `ruleText` gives the words for our own rules; without it the rule's key is shown.
 */
export function describeIssues(error: z.ZodError, ruleText: (rule: ConfigRule) => string = (rule) => rule): string[] {
  return error.issues.map((issue) => {
    const path = issuePath(issue.path);
    const rule = issue.code === 'custom' ? (issue.params as { rule?: ConfigRule } | undefined)?.rule : undefined;
    const text = rule ? ruleText(rule) : issue.message;
    return path ? `${path}: ${text}` : text;
  });
}

/** The words the config gives reasons (the office's own, or its wording of ours), by id and language. */
export function reasonLabels(config: Pick<PultConfig, 'flow'>): Record<string, Record<string, string>> {
  const step = config.flow.find((s) => s.type === 'reasons_if_low');
  if (step?.type !== 'reasons_if_low') return {};
  return Object.fromEntries(step.reasons.flatMap((reason) => (reason.label ? [[reason.id, { ...reason.label }]] : [])));
}

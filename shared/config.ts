import { z } from 'zod';
import { LanguageSchema } from './languages.js';
import { CSI_RANGE } from './answer.js';

const idSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1–64 letters, digits, ".", "_" or "-"');

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const FlowStepSchema = z.discriminatedUnion('type', [
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
  }),
  z.strictObject({ type: z.literal('nps') }),
]);
export type FlowStep = z.output<typeof FlowStepSchema>;

const flowSchema = z
  .array(FlowStepSchema)
  .min(1)
  .superRefine((steps, ctx) => {
    const types = steps.map((s) => s.type);
    if (new Set(types).size !== types.length) ctx.addIssue({ code: 'custom', message: 'each step may appear once' });
    const reasonsAt = types.indexOf('reasons_if_low');
    if (reasonsAt !== -1 && types[reasonsAt - 1] !== 'csi')
      ctx.addIssue({ code: 'custom', message: '"reasons_if_low" must directly follow "csi"', path: [reasonsAt] });
    if (types[0] === 'reasons_if_low') ctx.addIssue({ code: 'custom', message: 'the flow must start with a question' });
  });

export const PultConfigSchema = z.strictObject({
  office: z.strictObject({ id: idSchema, name: z.string().min(1).max(200) }),
  window: z.strictObject({
    id: idSchema,
    /** Shown after the localized word «Окно»/«Window», e.g. "5" → «Окно 5». */
    label: z.string().min(1).max(16),
  }),
  language: z
    .strictObject({
      default: LanguageSchema,
      enabled: z.array(LanguageSchema).min(1),
    })
    .refine((l) => l.enabled.includes(l.default), { message: 'default must be one of enabled', path: ['default'] }),
  flow: flowSchema,
  timeouts: z
    .strictObject({
      idleMs: z.number().int().min(1_000).max(600_000).default(20_000),
      thanksMs: z.number().int().min(500).max(60_000).default(3_000),
      guardMs: z.number().int().min(0).max(60_000).default(2_000),
    })
    .prefault({}),
  /** IANA zone used to file answers under the office's local day and hour. */
  timeZone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. "Europe/Moscow")').default('Europe/Moscow'),
});
export type PultConfig = z.output<typeof PultConfigSchema>;
export type PultConfigInput = z.input<typeof PultConfigSchema>;

/** Applies when no config file is given: a demo console, documented in README. */
export const DEMO_CONFIG: PultConfigInput = {
  office: { id: 'demo-office', name: 'МФЦ (демо)' },
  window: { id: 'demo-window-1', label: '1' },
  language: { default: 'ru', enabled: ['ru', 'en', 'uz', 'tg', 'ky'] },
  flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }],
};

/** "flow[1].threshold: Too big: expected number to be <=4" — one line per problem, naming the field. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    );
    return `${path || '(root)'}: ${issue.message}`;
  });
}

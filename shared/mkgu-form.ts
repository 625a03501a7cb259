import { z } from 'zod';
import form004 from './mkgu/form-0.0.4.json' with { type: 'json' };

/**
 * An ИАС МКГУ form as the packet needs it: its version and, per indicator id, the value ids of
 * its five answers in order («Очень плохо» first). Not hard-coded into the export: form 0.0.4 ships
 * as the default (shared/mkgu/form-0.0.4.json, with its source); an office may keep a newer one.
 */
export const MkguFormSchema = z.strictObject({
  formVersion: z.string().regex(/^\d+(\.\d+)*$/),
  source: z.string().max(500),
  indicators: z.record(
    z.string().regex(/^\d{1,4}$/),
    z
      .array(z.number().int().positive())
      .length(5)
      .refine((ids) => new Set(ids).size === 5, 'five different value ids'),
  ),
});
export type MkguForm = z.output<typeof MkguFormSchema>;

export const DEFAULT_MKGU_FORM: MkguForm = MkguFormSchema.parse(form004);

/** The value id of score 1–5 on `indicator`, or null when the form has no such indicator. */
export function valueIdOf(form: MkguForm, indicator: number, score: number): number | null {
  return form.indicators[String(indicator)]?.[score - 1] ?? null;
}

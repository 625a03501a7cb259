import { z } from 'zod';

/**
 * The one rule for text that is stored, shown or sent on: well-formed Unicode (no lone surrogate,
 * which breaks every exporter and PostgreSQL's JSON) and no control characters such as NUL (which
 * cut strings short in C-based tools and which PostgreSQL refuses). `lines` keeps line breaks and
 * tabs (a comment). Used by the console's answers, the wire protocol and the config alike, so the
 * collector refuses exactly what the console refuses.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
/**
 * Characters that reorder or hide what is shown (bidi embeddings, overrides and isolates, zero-width
 * marks used for spoofing): a label «\u202Eокно» would show reversed on the screen.
 */
export const BIDI_OR_INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

export const isWellFormed = (value: string): boolean => !LONE_SURROGATE.test(value);
export const hasControl = (value: string, lines = false): boolean => (lines ? CONTROL_BUT_LINES : CONTROL).test(value);

/** Text as the wire and the console's answers take it. */
export const safeText = (options: { lines?: boolean } = {}) =>
  z
    .string()
    .refine(isWellFormed, 'not well-formed Unicode (a lone surrogate)')
    .refine((value) => !hasControl(value, options.lines), 'control characters (such as NUL) are not allowed');

/** Makes any text safe to carry (an error message from a library): the offending characters become U+FFFD. */
export const sanitise = (value: string): string =>
  value.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD').replace(new RegExp(CONTROL_BUT_LINES.source, 'g'), '\uFFFD');

import { z } from 'zod';

/**
 * zod 4 probes `new Function` to compile fast parsers; the console's CSP forbids eval, so every
 * load would log a CSP violation. Imported first by the supervisor's chunk, the only renderer code
 * that loads zod (the applicant's screen imports shared/vocabulary.ts, which has no schema).
 */
z.config({ jitless: true });

import { z } from 'zod';

/**
 * zod 4 probes `new Function` to compile fast parsers; the console's CSP forbids eval, so every
 * load would log a CSP violation. Imported first by main.tsx, before any schema is used.
 */
z.config({ jitless: true });

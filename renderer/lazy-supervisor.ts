import { lazy } from 'react';

/**
 * The supervisor screen, loaded only when it opens (the corner hold, or /admin): the applicant's
 * first load carries neither its charts nor its words (bench d, d2).
 */
export const Supervisor = lazy(() => import('./supervisor/Supervisor.js'));

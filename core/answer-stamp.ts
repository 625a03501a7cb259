import { newId } from './ids.js';
import type { ParsedAnswer } from '../shared/answer.js';
import type { PultConfig } from '../shared/config.js';
import type { Clock } from './clock.js';
import type { Visit } from '../shared/queue.js';
import { answerRow } from './storage/answers.js';
import type { Appended } from './storage/ledger.js';
import type { Storage } from './storage/storage.js';

export interface StampDeps {
  config(): Pick<PultConfig, 'office' | 'window'>;
  clock: Clock;
  /** This run of the console: the same id as the session's view. */
  bootId: string;
  storage: Pick<Storage, 'append'>;
  /** A new answer is on disk (not a replay): the status changed, the uploader may send. */
  stored(): void;
  /** The queue's visit whose rating is open now: the answer carries its ticket and operator. */
  visit?: () => Pick<Visit, 'ticket' | 'operatorId' | 'serviceId'> | null;
  /** One rating per ticket: the open visit's key, claimed in the answer's transaction (core/storage/claims.ts). */
  claimKey?: () => string | null;
}

/**
 * The session's way to disk: stamps an answer with what only the core knows (its id, office,
 * window, both clocks, this boot) and stores it; resolves only after COMMIT.
 */
export function answerStamp(deps: StampDeps): (answer: ParsedAnswer, pressId: string) => Promise<Appended> {
  return async (answer, pressId) => {
    const { office, window } = deps.config();
    const visit = deps.visit?.() ?? null;
    // A counted answer of a second response for a served ticket is kept flagged `repeat`, never counted.
    const claim = visit ? (deps.claimKey?.() ?? undefined) : undefined;
    const row = answerRow(answer, {
      id: newId(),
      officeId: office.id,
      windowId: window.id,
      operatorId: visit?.operatorId ?? null,
      ticket: visit?.ticket ?? null,
      serviceId: visit?.serviceId ?? null,
      createdAtMs: Math.round(deps.clock.wallMs()),
      monoMs: deps.clock.monoMs(),
      bootId: deps.bootId,
    });
    const appended = await deps.storage.append(row, pressId, claim);
    if (!appended.replayed) deps.stored();
    return appended;
  };
}

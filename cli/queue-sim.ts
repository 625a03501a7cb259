import type { AdminText } from '../shared/admin/text.js';
import type { QueueEventType } from '../shared/queue.js';
import { readKeys } from './key-input.js';

/**
 * `pult queue-sim`: an electronic queue at one window, driven by keys, for demos and tests — like
 * `pult box-sim` for a button box. It posts to the console's `POST /queue/v1/events` exactly what a
 * queue system would (docs/queue.md) and prints each reply.
 */
const KEYS: Record<string, QueueEventType> = { c: 'called', s: 'started', f: 'finished', n: 'noshow', t: 'transferred' };

export async function queueSimCommand(
  say: (line: string) => void,
  t: AdminText,
  options: { url: string; token: string; operator: string; window?: string },
): Promise<number> {
  let number = 100;
  let ticket = `А-${number}`;
  const send = async (type: QueueEventType) => {
    if (type === 'called') ticket = `А-${++number}`;
    const body = { type, ticket, operatorId: options.operator, ...(options.window && { window: options.window }) };
    try {
      const reply = await fetch(new URL('queue/v1/events', options.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5_000),
      });
      say(t('queueSim.reply', { type, ticket, status: reply.status, reply: await reply.text() }));
    } catch (error) {
      say(t('queueSim.unreachable', { url: options.url, reason: (error as Error).message }));
    }
  };
  say(t('queueSim.keys', { url: options.url }));
  // One key at a time, in order: a call is sent before the start typed right after it.
  let queue = Promise.resolve();
  const press = (key: string): boolean => {
    if (key === 'q') return false;
    const type = KEYS[key];
    if (type) queue = queue.then(() => send(type));
    return true;
  };
  await readKeys(press);
  await queue;
  return 0;
}

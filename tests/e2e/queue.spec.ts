import path from 'node:path';
import { axeViolations, expect, screens, test } from './fixtures.js';

/**
 * The electronic queue on the applicant screen, in real Chromium: `required` mode waits for a
 * ticket, shows the ticket (and, when configured, the operator) while its rating is open, and the
 * rating is stored with them. The queue's events come over HTTP as a queue system sends them.
 */
const TOKEN = 'queue-token-0123456789abcdef';
const SHOTS = path.join('test-results', 'screens');

test.describe('the queue on the applicant screen', () => {
  test.use({ consoleConfig: { flow: [{ type: 'csi' }], queue: { token: TOKEN, mode: 'required', showOperator: true } } });

  for (const language of [
    {
      code: 'ru',
      waiting: 'Оценка доступна после обслуживания',
      ticket: 'Оцените обслуживание по талону А-123 (оператор: Иванова И.)',
    },
    {
      code: 'en',
      waiting: 'You can rate the service once you have been served',
      ticket: 'Please rate the service for ticket А-123 (operator: Иванова И.)',
    },
  ]) {
    test(`${language.code}: waits for a ticket, then rates it; the answer carries the ticket and the operator`, async ({
      page,
      pult,
    }) => {
      const send = async (type: string) => {
        const reply = await fetch(new URL('queue/v1/events', pult.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({ type, ticket: 'А-123', operatorId: 'op-7', operatorName: 'Иванова И.' }),
        });
        expect(reply.status).toBe(200);
      };
      await page.goto(pult.url);
      // Waiting for the call, an applicant may already choose their language.
      if (language.code === 'en') await page.getByRole('button', { name: 'English' }).click();
      await expect(page.getByRole('status')).toHaveText(language.waiting);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `queue-${language.code}-waiting.png`) });

      await send('called');
      await send('started');
      await expect(page.getByText(language.ticket)).toBeVisible();
      await expect(screens.csi(page)).toBeVisible();
      await page.screenshot({ path: path.join(SHOTS, `queue-${language.code}-ticket.png`) });
      await page.getByRole('button', { name: /^5 / }).click();
      await expect(screens.thanks(page)).toBeVisible();
      await expect.poll(() => pult.rows().length).toBe(1);
      expect(pult.rows()[0]).toMatchObject({ value: 5 });
      const stored = pult.rows()[0] as unknown as { ticket: string; operator_id: string };
      expect([stored.ticket, stored.operator_id]).toEqual(['А-123', 'op-7']);
    });
  }
});

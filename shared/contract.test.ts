import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, EVENT_NAMES, KIOSK_METHODS, LAN_METHODS, METHOD_NAMES, mergeContract, statusMethods } from './contract.js';

describe('the contract', () => {
  it("no method the LAN may call is one of the applicant's: nobody elsewhere can press answers", () => {
    expect(KIOSK_METHODS.filter((name) => LAN_METHODS.includes(name))).toEqual([]);
    expect(KIOSK_METHODS).toContain('press');
    // Every method is in exactly one part, and the events are the declared ones.
    expect([...KIOSK_METHODS, ...Object.keys(statusMethods), ...LAN_METHODS].sort()).toEqual([...METHOD_NAMES].sort());
    expect(EVENT_NAMES).toEqual(['console', 'session', 'status', 'syncStatus']);
  });

  it('no method input can name a question, a response id or a flag, and a source only as a screen has one', () => {
    const inputKeys = (schema: z.ZodType): string[] =>
      JSON.stringify(z.toJSONSchema(schema, { io: 'input' })).match(/"[a-zA-Z]+":/g) ?? [];
    for (const name of METHOD_NAMES) {
      const keys = inputKeys(contract[name].input).join(' ');
      expect(keys, name).not.toMatch(/"(question|responseId|flags)":/);
    }
    // A button box's source (`button:<box>`) is the core's to give: a screen says touch or keyboard.
    const press = { id: '0190a5a0-0000-7000-8000-000000000001', screenId: 's', action: { type: 'skip' } };
    expect(contract.press.input.safeParse({ ...press, source: 'touch' }).success).toBe(true);
    expect(contract.press.input.safeParse({ ...press, source: 'button:box1' }).success).toBe(false);
  });

  it('merging per-domain parts refuses a method declared twice', () => {
    const spec = { input: z.object({}), output: z.object({}) };
    expect(() => mergeContract({ getStatus: spec }, { getStatus: spec })).toThrow(/"getStatus" is declared twice/);
    expect(Object.keys(mergeContract({ a: spec }, { b: spec }))).toEqual(['a', 'b']);
  });
});

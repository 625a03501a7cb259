import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, EVENT_NAMES, events, METHOD_NAMES, mergeContract } from './contract.js';

describe('the contract', () => {
  it('method and event names are derived from the declarations, never listed twice', () => {
    expect(METHOD_NAMES).toEqual(Object.keys(contract));
    expect(EVENT_NAMES).toEqual(Object.keys(events));
    expect(METHOD_NAMES).toEqual(expect.arrayContaining(['getConsole', 'getSession', 'press', 'getStatus']));
  });

  it('no method input can name a question, a response id, a flag or a source: the core decides those', () => {
    const inputKeys = (schema: z.ZodType): string[] =>
      JSON.stringify(z.toJSONSchema(schema, { io: 'input' })).match(/"[a-zA-Z]+":/g) ?? [];
    for (const name of METHOD_NAMES) {
      const keys = inputKeys(contract[name].input).join(' ');
      expect(keys, name).not.toMatch(/"(question|responseId|flags|source)":/);
    }
  });

  it('merging per-domain parts refuses a method declared twice', () => {
    const spec = { input: z.object({}), output: z.object({}) };
    expect(() => mergeContract({ getStatus: spec }, { getStatus: spec })).toThrow(/"getStatus" is declared twice/);
    expect(Object.keys(mergeContract({ a: spec }, { b: spec }))).toEqual(['a', 'b']);
  });
});

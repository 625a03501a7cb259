import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, EVENT_NAMES, events, METHOD_NAMES, mergeContract } from './contract.js';

describe('the contract', () => {
  it('method and event names are derived from the declarations, never listed twice', () => {
    expect(METHOD_NAMES).toEqual(Object.keys(contract));
    expect(EVENT_NAMES).toEqual(Object.keys(events));
    expect(METHOD_NAMES).toEqual(expect.arrayContaining(['getConsole', 'recordAnswer', 'getStatus']));
  });

  it('merging per-domain parts refuses a method declared twice', () => {
    const spec = { input: z.object({}), output: z.object({}) };
    expect(() => mergeContract({ getStatus: spec }, { getStatus: spec })).toThrow(/"getStatus" is declared twice/);
    expect(Object.keys(mergeContract({ a: spec }, { b: spec }))).toEqual(['a', 'b']);
  });
});

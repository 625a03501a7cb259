import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { APP_VERSION } from '../shared/version.js';

describe('app version', () => {
  it('is the one in package.json (the collector sees it in every batch)', () => {
    expect(APP_VERSION).toBe(pkg.version);
  });
});

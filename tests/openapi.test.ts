import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../collector/openapi.js';

/** docs/openapi.json is generated from the wire schemas; `npm run openapi` rewrites it. */
const file = path.resolve(__dirname, '../docs/openapi.json');
const generated = `${JSON.stringify(openApiDocument(), null, 2)}\n`;

describe('docs/openapi.json', () => {
  it('is the document the wire schemas make (run `npm run openapi` after changing them)', () => {
    if (process.env.PULT_WRITE_OPENAPI) fs.writeFileSync(file, generated);
    expect(fs.readFileSync(file, 'utf8')).toBe(generated);
  });
});

describe("docs/openapi.json under Redocly's recommended rules", () => {
  it('has no errors', async () => {
    const { createConfig, lintDocument, makeDocumentFromString, BaseResolver } = await import('@redocly/openapi-core');
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintDocument({
      document: makeDocumentFromString(generated, file),
      config,
      externalRefResolver: new BaseResolver(),
    });
    const errors = problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId}: ${problem.message}`);
    expect(errors).toEqual([]);
  });
});

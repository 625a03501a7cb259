import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../collector/openapi.js';
import { consoleOpenApiDocument } from '../shared/queue-openapi.js';

/**
 * docs/openapi.json (the collector's wire) and docs/openapi-console.json (the console's side for
 * queue systems) are generated from the zod schemas; `npm run openapi` rewrites them.
 */
const documents = [
  { file: path.resolve(__dirname, '../docs/openapi.json'), generated: `${JSON.stringify(openApiDocument(), null, 2)}\n` },
  {
    file: path.resolve(__dirname, '../docs/openapi-console.json'),
    generated: `${JSON.stringify(consoleOpenApiDocument(), null, 2)}\n`,
  },
];

describe.each(documents)('$file', ({ file, generated }) => {
  it('is the document the schemas make (run `npm run openapi` after changing them)', () => {
    if (process.env.PULT_WRITE_OPENAPI) fs.writeFileSync(file, generated);
    expect(fs.readFileSync(file, 'utf8')).toBe(generated);
  });

  it("has no errors under Redocly's recommended rules", async () => {
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

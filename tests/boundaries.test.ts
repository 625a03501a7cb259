import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder boundaries of docs/ARCHITECTURE.md are lint rules (eslint.config.js). This proves the
 * rules bite: each forbidden import below must be reported, each allowed one must pass.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/screens/X.tsx', "import { PultService } from '../../core/service.js';\nexport const x = PultService;"],
    ['renderer/X.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    ['renderer/X.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['shared/X.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    ['shared/X.ts', "import { invoke } from '../core/dispatch.js';\nexport const x = invoke;"],
    ['core/X.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['core/X.ts', "import { createHost } from '../host/server.js';\nexport const x = createHost;"],
    ['host/X.ts', "import { bindIpc } from '../electron/ipc.main.js';\nexport const x = bindIpc;"],
  ])('%s may not: %s', async (file, code) => {
    expect(await problems(file, code)).not.toEqual([]);
  });

  it.each([
    ['renderer/X.ts', "import { contract } from '../shared/contract.js';\nexport const x = contract;"],
    ['core/X.ts', "import fs from 'node:fs';\nexport const x = fs;"],
    [
      'electron/X.ts',
      "import { app } from 'electron';\nimport { invoke } from '../core/dispatch.js';\nexport const x = [app, invoke];",
    ],
    ['host/X.ts', "import { invoke } from '../core/dispatch.js';\nexport const x = invoke;"],
  ])('%s may: %s', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

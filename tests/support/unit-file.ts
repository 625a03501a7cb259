import fs from 'node:fs';

/**
 * The environment a systemd unit gives its command: every `Environment=` line, each a list of
 * assignments separated by spaces, where a double-quoted one may hold spaces itself.
 */
export function unitEnvironment(file: string): Record<string, string> {
  const assignments = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Environment='))
    .flatMap((line) => [...line.slice('Environment='.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
  return Object.fromEntries(
    assignments.map((assignment) => [assignment.split('=', 1)[0]!, assignment.slice(assignment.indexOf('=') + 1)]),
  );
}

import readline from 'node:readline';

/**
 * The simulators' keyboard (`pult box-sim`, `pult queue-sim`): one key at a time from a terminal,
 * or one line at a time from a pipe (tests, scripts). Resolves when `press` says stop (false), at
 * Ctrl-C, a signal, or the end of the input; the terminal is left as it was.
 */
export async function readKeys(press: (key: string) => boolean): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    if (process.stdin.isTTY) {
      readline.emitKeypressEvents(process.stdin);
      process.stdin.setRawMode(true);
      process.stdin.on('keypress', (text: string | undefined, key: { ctrl?: boolean; name?: string }) => {
        if ((key.ctrl && key.name === 'c') || !press(text ?? '')) resolve();
      });
    } else {
      const lines = readline.createInterface({ input: process.stdin });
      lines.on('line', (line) => press(line.trim()) || resolve());
      lines.on('close', resolve);
    }
  });
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  process.stdin.pause();
}

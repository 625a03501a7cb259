/**
 * Runs jobs one at a time, in the order they were given, whether the one before succeeded or
 * failed: the session's presses and timers, and storage's writes, each go through one of these.
 */
export function serialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>): Promise<T> => {
    const run = tail.then(job, job);
    tail = run.catch(() => undefined);
    return run;
  };
}

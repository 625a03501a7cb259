/**
 * What the core tells IT staff's logs — deliveries, sync failures, settings changed — as an event
 * name and fields. The shell decides where it goes (pino JSON lines to the journal, or nowhere):
 * the core never formats a line. Never a token, a PIN, or anything an applicant typed.
 */
export interface Log {
  info(fields: Record<string, unknown>, event: string): void;
  warn(fields: Record<string, unknown>, event: string): void;
}

export const silentLog: Log = { info: () => undefined, warn: () => undefined };

/**
 * A log whose destination is known only later: the files of `<data-dir>/logs/` can be opened once
 * the core has made its data directory, but what the core says while opening (a repaired database)
 * belongs in them too. Holds the first events until attached, then passes every event on.
 */
export interface DeferredLog extends Log {
  attach(sink: Log): void;
}

export function deferredLog(limit = 200): DeferredLog {
  let sink: Log | null = null;
  const held: Array<[level: 'info' | 'warn', fields: Record<string, unknown>, event: string]> = [];
  const pass = (level: 'info' | 'warn') => (fields: Record<string, unknown>, event: string) => {
    if (sink) sink[level](fields, event);
    else if (held.length < limit) held.push([level, fields, event]);
  };
  return {
    info: pass('info'),
    warn: pass('warn'),
    attach(next) {
      sink = next;
      for (const [level, fields, event] of held.splice(0)) next[level](fields, event);
    },
  };
}

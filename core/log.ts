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

import type Database from 'better-sqlite3';

declare const readable: unique symbol;

/**
 * A connection handed out for reading (Storage.read, a read-only file beside a running console):
 * the statistics and alert queries take this type, so nothing outside core/storage/ runs SQL on a
 * connection it was not given for that, and a reader is never mistaken for the writer.
 */
export type ReadableDB = Database.Database & { readonly [readable]: true };

/** Marks a connection as one to read from; only storage and read-only openers hand these out. */
export const asReadable = (db: Database.Database): ReadableDB => db as ReadableDB;

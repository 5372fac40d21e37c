import { QueueErrors as E } from '../errors.js';

/** Where the BullMQ queues live: a Redis server and database. */
export interface QueueAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly password?: string;
  readonly username?: string;
  /** The URL without its password, for messages. */
  readonly label: string;
}

/** Parses `redis://HOST:PORT[/DB]` (and `redis://[user]:password@HOST:PORT/DB`). */
export function parseQueueUrl(text: string): QueueAddress {
  const bad = (why: string) =>
    E.URL_INVALID(`--queue ${JSON.stringify(text)}: ${why}`, {
      expected: 'redis://HOST:PORT[/DB], e.g. redis://127.0.0.1:6379/0',
    });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'redis:') throw bad(`the scheme must be redis:, not ${url.protocol}`);
  if (!url.hostname) throw bad('it names no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText))
    throw bad(`the database must be a number from 0 to 99, not ${dbText}`);
  const db = dbText === '' ? 0 : Number(dbText);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    label: `redis://${url.host}/${db}`,
  };
}

/**
 * BullMQ's connection options (its own ioredis client). Commands wait for a reconnect instead of
 * failing (`maxRetriesPerRequest: null`, which BullMQ workers require), so a Redis restart pauses
 * producers and workers rather than ending them.
 */
export function connectionOptions(address: QueueAddress): Record<string, unknown> {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.password !== undefined ? { password: address.password } : {}),
    ...(address.username !== undefined ? { username: address.username } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/**
 * The farm's one dependency on Redis: BullMQ (the job queue) and ioredis (its client), loaded only
 * when a farm command runs (`paiban worker`, `paiban enqueue`, `paiban serve`), through require
 * (their CommonJS builds load in about half the time of their ES modules). Nothing else in paiban
 * imports them: `paiban build` and `npm run demo` never need Redis.
 */
import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type { Redis as RedisClient, RedisOptions } from 'ioredis';
import { PaibanError } from '../errors.ts';

export type Bull = typeof BullMQ;
export type { RedisClient };

const require = createRequire(import.meta.url);
let bull: Bull | undefined;
let Redis: (new (url: string, opts: RedisOptions) => RedisClient) | undefined;

export function bullmq(): Bull {
  return (bull ??= require('bullmq') as Bull);
}

function redisClass(): new (url: string, opts: RedisOptions) => RedisClient {
  return (Redis ??= (require('ioredis') as { Redis: new (url: string, opts: RedisOptions) => RedisClient }).Redis);
}

/** Keys of the farm in Redis start with this (BullMQ's queues and the edition files). */
export const PREFIX = 'paiban';
/** The default queue: `--queue` names another (several farms on one Redis). */
export const DEFAULT_QUEUE = 'builds';

/** A Redis URL as given (redis://[user:password@]host[:port][/db], rediss:// for TLS). */
export function parseRedisUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PaibanError('Usage', `--redis ${url} is not a URL`, { hint: 'give it as redis://HOST:PORT (rediss:// for TLS), e.g. --redis redis://127.0.0.1:6379' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new PaibanError('Usage', `--redis ${url}: the scheme must be redis:// or rediss://`, { hint: 'e.g. --redis redis://127.0.0.1:6379' });
  return u;
}

/** The URL without its password, for messages and logs. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

/**
 * A connected client, or a clear error within `timeoutMs` when Redis cannot be reached (ioredis
 * alone would retry for ever and print every failure). `blocking`: for BullMQ's workers and
 * events, whose commands block (no retry limit per request, as BullMQ requires); once connected,
 * it reconnects by itself when Redis goes away for a while.
 */
export async function connect(url: string, opts: { timeoutMs?: number; name?: string } = {}): Promise<RedisClient> {
  parseRedisUrl(url);
  const R = redisClass();
  let connected = false;
  const client = new R(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectionName: opts.name,
    // Before the first connection: give up (the error below); after: keep trying, at most every 2 s.
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
  });
  let lastError: Error | undefined;
  client.on('error', (e: Error) => (lastError = e));
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
    connected = true;
  } catch (e) {
    client.disconnect();
    const why = lastError?.message ?? (e as Error).message;
    throw new PaibanError('FarmUnavailable', `cannot reach Redis at ${shownUrl(url)}: ${why}`, {
      hint: 'start redis-server there (or check the host, port and password in --redis); the farm needs one Redis that every worker and enqueue can reach',
      cause: e,
    });
  } finally {
    clearTimeout(timer);
  }
  return client;
}

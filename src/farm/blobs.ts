/**
 * The edition's files travel beside the job, content-addressed: each file's bytes are stored once
 * in Redis under its sha256 (`paiban:blob:<sha256>`), whatever edition or job uses them, so the
 * photos of a regional edition are sent once for all its variants and an edition enqueued again
 * sends nothing new. A blob is kept FARM_LIMITS.blobSeconds after the last enqueue that used it.
 * The worker fetches a job's blobs and checks every one against its hash and size.
 */
import { createHash } from 'node:crypto';
import { PaibanError } from '../errors.ts';
import type { RedisClient } from './connection.ts';
import { PREFIX } from './connection.ts';
import { FARM_LIMITS, type JobFile } from './job.ts';

export const blobKey = (sha256: string) => `${PREFIX}:blob:${sha256}`;

/** Send the blobs Redis does not hold yet; refresh the time to live of the others. */
export async function uploadBlobs(redis: RedisClient, files: { sha256: string; bytes: Uint8Array }[]): Promise<{ sent: number; bytes: number }> {
  const unique = [...new Map(files.map((f) => [f.sha256, f])).values()];
  if (!unique.length) return { sent: 0, bytes: 0 };
  // EXPIRE answers 0 for a key that does not exist: those are the ones to send.
  const refreshed = await redis.pipeline(unique.map((f) => ['expire', blobKey(f.sha256), String(FARM_LIMITS.blobSeconds)])).exec();
  const missing = unique.filter((_, i) => refreshed?.[i]?.[1] !== 1);
  let bytes = 0;
  // In batches of about 32 MB: one pipeline per batch, never the whole edition in one.
  for (let i = 0; i < missing.length; ) {
    const batch = redis.pipeline();
    let size = 0;
    for (; i < missing.length && (size === 0 || size + missing[i]!.bytes.length <= 32 * 1024 * 1024); i++) {
      const f = missing[i]!;
      batch.set(blobKey(f.sha256), Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength), 'EX', FARM_LIMITS.blobSeconds);
      size += f.bytes.length;
    }
    const r = await batch.exec();
    const failed = r?.find(([e]) => e);
    if (failed) throw failed[0]!;
    bytes += size;
  }
  return { sent: missing.length, bytes };
}

/**
 * Fetch a job's files and hand each to `write` (path and bytes), checked against its sha256 and
 * size; at most about 32 MB in memory at a time.
 */
export async function fetchBlobs(redis: RedisClient, files: JobFile[], write: (file: JobFile, bytes: Buffer) => Promise<void>): Promise<number> {
  let total = 0;
  for (let i = 0; i < files.length; ) {
    const batch: JobFile[] = [];
    let size = 0;
    for (; i < files.length && (size === 0 || size + files[i]!.size <= 32 * 1024 * 1024); i++) {
      batch.push(files[i]!);
      size += files[i]!.size;
    }
    const got = await redis.pipeline(batch.map((f) => ['getBuffer', blobKey(f.sha256)])).exec();
    for (const [k, f] of batch.entries()) {
      const [err, bytes] = got?.[k] ?? [new Error('no answer'), null];
      if (err) throw err;
      if (!(bytes instanceof Buffer)) {
        throw new PaibanError('JobInvalid', `the file ${f.path} of the job is no longer in Redis (a job's files wait there ${FARM_LIMITS.blobSeconds / 86400} days after it was enqueued)`, {
          hint: 'enqueue the edition again (paiban enqueue sends only the files Redis does not hold)',
        });
      }
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== f.sha256 || bytes.length !== f.size) {
        throw new PaibanError('JobInvalid', `the file ${f.path} of the job does not match its sha256 and size (${bytes.length} bytes, sha256 ${sha.slice(0, 12)}, expected ${f.size}, ${f.sha256.slice(0, 12)})`, {
          hint: 'something other than paiban enqueue wrote into the farm\'s keys in Redis: enqueue the edition again',
        });
      }
      await write(f, bytes);
      total += bytes.length;
    }
  }
  return total;
}

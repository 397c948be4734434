/** The EPUB's screen images are cached on disk by their bytes and settings, and made again when the cache fails. */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedForScreens } from '../../src/epub/image-cache.ts';
import type { ScreenImage } from '../../src/epub/images.ts';

const made = (tag: number): ScreenImage => ({ bytes: new Uint8Array([tag, 1, 2, 3]), mediaType: 'image/jpeg', extension: 'jpg', scaled: { from: [3200, 2000], to: [1600, 1000] } });

describe('cachedForScreens', () => {
  it('makes an image once; later calls with the same bytes and settings read it from the cache', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-imgcache-'));
    let calls = 0;
    const make = async () => (calls++, made(7));
    const input = new Uint8Array([9, 9, 9]);
    const first = await cachedForScreens(input, 's1', make, dir);
    const second = await cachedForScreens(input, 's1', make, dir);
    expect(calls).toBe(1);
    expect(second).toEqual(first);
    expect([...second.bytes]).toEqual([7, 1, 2, 3]);
    // Other settings or other bytes: made again.
    await cachedForScreens(input, 's2', make, dir);
    await cachedForScreens(new Uint8Array([9, 9, 8]), 's1', make, dir);
    expect(calls).toBe(3);
  });

  it('makes it again when the cached copy is broken, and does not store problems or unchanged images', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'paiban-imgcache-'));
    let calls = 0;
    const input = new Uint8Array([1]);
    await cachedForScreens(input, 's', async () => (calls++, made(1)), dir);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) writeFileSync(path.join(dir, f), '{broken');
    const again = await cachedForScreens(input, 's', async () => (calls++, made(2)), dir);
    expect(calls).toBe(2);
    expect(again.bytes[0]).toBe(2);
    const other = mkdtempSync(path.join(os.tmpdir(), 'paiban-imgcache-'));
    await cachedForScreens(new Uint8Array([5]), 's', async () => ({ problem: 'not an image' }), other);
    const same = new Uint8Array([6]);
    await cachedForScreens(same, 's', async () => ({ bytes: same, mediaType: 'image/png', extension: 'png' }), other);
    expect(readdirSync(other)).toEqual([]);
  });

  it('still works when the cache cannot be written', async () => {
    // A file where the cache folder should be (chmod would not stop root).
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'paiban-imgcache-')), 'not-a-folder');
    writeFileSync(file, '');
    const r = await cachedForScreens(new Uint8Array([3]), 's', async () => made(3), path.join(file, 'sub'));
    expect(r.bytes[0]).toBe(3);
  });
});

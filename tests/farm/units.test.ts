/**
 * The farm's parts without Redis or a browser: what a job may carry and name (validate.ts), the
 * sandbox a job is written into, where its outputs may go and how they are published, how an edition
 * is packed, the input hash, the guard against templates and fonts outside the edition, how failures
 * are sorted, and what enqueue prints.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaibanError, PaibanErrors } from '../../src/errors.ts';
import { guardEdition } from '../../src/farm/guard.ts';
import { inputHash, jobId, type JobData } from '../../src/farm/job.ts';
import { jobOut, publish, stagingFolder, STAGING, sweepStaging } from '../../src/farm/outputs.ts';
import { packEdition } from '../../src/farm/pack.ts';
import { printOutcomes, type JobOutcome } from '../../src/farm/report.ts';
import { isContentError } from '../../src/farm/run-job.ts';
import { makeSandbox, sweepSandboxes } from '../../src/farm/sandbox.ts';
import { badPath, badSlug, parseJobData } from '../../src/farm/validate.ts';
import { cleanup, tempDir, tinyEdition } from './helpers.ts';

afterAll(cleanup);

const SHA = 'a'.repeat(64);
const job = (over: Partial<JobData> = {}): JobData => ({ v: 1, slug: 'ed', files: [{ path: 'edition.yaml', sha256: SHA, size: 10 }], options: {}, workers: 2, source: { host: 'h', dir: '/x/ed' }, ...over });
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof PaibanError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};
const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof PaibanError ? `${e.code}: ${e.message}` : String(e)));

describe('validate: what a job may carry', () => {
  it('plain relative paths only', () => {
    for (const ok of ['edition.yaml', 'images/a b.png', '图片/照片.jpg', '..x.md', 'a/.hidden']) expect(badPath(ok), ok).toBeUndefined();
    for (const [bad, why] of [['../x', '".."'], ['a/../../x', '".."'], ['/etc/passwd', 'absolute'], ['a//b', 'empty'], ['a/', 'empty'], ['./a', '"."'], ['a\\b', 'backslash'], ['a\u0000b', 'control'], ['a\nb', 'control'], ['x'.repeat(300), '255 bytes'], [`${'d/'.repeat(600)}x`, '1024 bytes']] as const) {
      expect(badPath(bad), JSON.stringify(bad)).toContain(why);
    }
    for (const bad of ['a/b', '..', '.', '.hidden', '', 'x\u0007']) expect(badSlug(bad), JSON.stringify(bad)).toBeDefined();
    expect(badSlug('zjrb-2022-06-15')).toBeUndefined();
  });

  it('parseJobData takes what enqueue makes and refuses the rest with JobInvalid', () => {
    expect(parseJobData(job()).slug).toBe('ed');
    expect(code(() => parseJobData({ ...job(), extra: 1 }))).toMatch(/^JobInvalid: the job is not one paiban enqueue makes: /);
    expect(code(() => parseJobData(job({ v: 2 as 1 })))).toMatch(/^JobInvalid: .*v:/);
    expect(code(() => parseJobData(job({ files: [{ path: 'edition.yaml', sha256: 'zz', size: 1 }] })))).toMatch(/sha256/);
    expect(code(() => parseJobData(job({ files: [{ path: 'a.md', sha256: SHA, size: 1 }] })))).toMatch(/no edition\.yaml at the top/);
    expect(code(() => parseJobData(job({ files: [...job().files, ...job().files] })))).toMatch(/listed twice/);
    expect(code(() => parseJobData(job({ files: [...job().files, { path: 'a', sha256: SHA, size: 1 }, { path: 'a/b', sha256: SHA, size: 1 }] })))).toMatch(/"a" is both a file and the folder of "a\/b"/);
    expect(code(() => parseJobData(job({ files: [...job().files, { path: 'a/../../b', sha256: SHA, size: 1 }] })))).toMatch(/not a plain path/);
    expect(code(() => parseJobData(job({ slug: '../up' })))).toMatch(/cannot name files/);
    expect(code(() => parseJobData(job({ files: [...job().files, ...Array.from({ length: 5 }, (_, i) => ({ path: `big${i}`, sha256: SHA, size: 60 * 1024 * 1024 }))] })))).toMatch(/add up to 300\.0 MB, more than the 256 MB a job may carry/);
    expect(code(() => parseJobData(job({ sourceDateEpoch: '12; rm -rf /' })))).toMatch(/sourceDateEpoch/);
  });
});

describe('the sandbox', () => {
  it('holds the edition folder and only what the job lists; never writes through a path twice or out of itself', async () => {
    const tmp = tempDir();
    const sb = await makeSandbox('ed', tmp);
    await sb.write({ path: 'edition.yaml', sha256: SHA, size: 3 }, Buffer.from('a: 1'));
    await sb.write({ path: 'images/deep/x.png', sha256: SHA, size: 1 }, Buffer.from('x'));
    expect(readFileSync(path.join(sb.edition, 'images/deep/x.png'), 'utf8')).toBe('x');
    expect(await codeOf(sb.write({ path: '../escape', sha256: SHA, size: 1 }, Buffer.from('x')))).toMatch(/^JobInvalid: .*not a plain path/);
    expect(await codeOf(sb.write({ path: 'edition.yaml', sha256: SHA, size: 1 }, Buffer.from('x')))).toMatch(/^JobInvalid: cannot write "edition\.yaml" of the job \(EEXIST\)/);
    expect(await codeOf(sb.write({ path: 'edition.yaml/x', sha256: SHA, size: 1 }, Buffer.from('x')))).toMatch(/^JobInvalid: cannot make the folder/);
    expect(existsSync(path.join(tmp, 'escape'))).toBe(false);
    await sb.remove();
    expect(existsSync(sb.root)).toBe(false);
    expect(await codeOf(makeSandbox('../ed', tmp))).toMatch(/^JobInvalid/);
  });

  it('sandboxes of a worker that is gone are swept; those of a live one are kept', () => {
    const tmp = tempDir();
    const dead = execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim();
    mkdirSync(path.join(tmp, `paiban-job-${dead}-abcdef`));
    mkdirSync(path.join(tmp, `paiban-job-${process.pid}-abcdef`));
    mkdirSync(path.join(tmp, 'paiban-job-other'));
    expect(sweepSandboxes(tmp)).toEqual([`paiban-job-${dead}-abcdef`]);
    expect(readdirSync(tmp).sort()).toEqual([`paiban-job-${process.pid}-abcdef`, 'paiban-job-other']);
  });
});

describe('outputs: where a job may write, and how', () => {
  it("a job's out folder must lie inside the worker's --out, links resolved", async () => {
    const root = tempDir();
    const outside = tempDir();
    symlinkSync(outside, path.join(root, 'link'));
    writeFileSync(path.join(root, 'file'), '');
    expect(await jobOut(root, undefined)).toBe(root);
    expect(await jobOut(root, path.join(root, 'east', 'daily'))).toBe(path.join(root, 'east', 'daily'));
    expect(await jobOut(root, root)).toBe(root);
    expect(await codeOf(jobOut(root, outside))).toMatch(/^JobInvalid: .* is not inside/);
    expect(await codeOf(jobOut(root, `${root}/../x`))).toMatch(/is not inside/);
    expect(await codeOf(jobOut(root, 'relative/dir'))).toMatch(/is not an absolute path/);
    expect(await codeOf(jobOut(root, path.join(root, 'link', 'x')))).toMatch(/leads out of .* through a link/);
    expect(await codeOf(jobOut(root, path.join(root, STAGING, 'x')))).toMatch(/staging folder/);
    expect(await codeOf(jobOut(root, path.join(root, 'file', 'x')))).toMatch(/is a file/);
  });

  it('publishes from the staging folder, the manifest last and naming where the edition was enqueued from', async () => {
    const root = tempDir();
    const staging = await stagingFolder(root);
    const files = { 'ed.pdf': 'PDF', 'ed.epub': 'EPUB', 'ed.manifest.json': `${JSON.stringify({ edition: 'ed', editionDir: '/tmp/paiban-job-1-xxxxxx/ed', outputs: [] }, null, 2)}\n` };
    for (const [n, d] of Object.entries(files)) writeFileSync(path.join(staging.dir, n), d);
    const out = path.join(root, 'sub');
    const done = await publish(Object.keys(files).map((n) => ({ path: path.join(staging.dir, n), pages: n.endsWith('.pdf') ? 2 : undefined })), out, '/home/editor/ed');
    expect(done.map((d) => d.name)).toEqual(['ed.pdf', 'ed.epub', 'ed.manifest.json']);
    expect(done[0]).toMatchObject({ path: path.join(out, 'ed.pdf'), bytes: 3, pages: 2 });
    expect(readFileSync(path.join(out, 'ed.pdf'), 'utf8')).toBe('PDF');
    expect(JSON.parse(readFileSync(path.join(out, 'ed.manifest.json'), 'utf8'))).toEqual({ edition: 'ed', editionDir: '/home/editor/ed', outputs: [] });
    await staging.remove();
    expect(readdirSync(path.join(root, STAGING))).toEqual([]);
  });

  it("staging folders of this machine's dead workers are swept", () => {
    const root = tempDir();
    const dead = execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim();
    const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    for (const n of [`${host}-${dead}-abcdef`, `${host}-${process.pid}-abcdef`, `other-host-${dead}-abcdef`]) mkdirSync(path.join(root, STAGING, n), { recursive: true });
    expect(sweepStaging(root)).toEqual([`${host}-${dead}-abcdef`]);
  });
});

describe('packing an edition folder', () => {
  it('takes every regular file, leaves out hidden ones and what leads out of the folder, and names it by its real folder', async () => {
    const src = tempDir();
    const dir = tinyEdition(src, 'packed', { '.git/config': 'x', '.DS_Store': 'x', 'notes/a.txt': 'notes' });
    const secret = path.join(tempDir(), 'secret.txt');
    writeFileSync(secret, 'secret');
    symlinkSync(secret, path.join(dir, 'leak.txt'));
    symlinkSync('story.md', path.join(dir, 'alias.md'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    symlinkSync(dir, path.join(src, 'link-to-packed'));
    const p = await packEdition(path.join(src, 'link-to-packed'));
    expect(p.slug).toBe('packed');
    expect(p.files.map((f) => f.path)).toEqual(['alias.md', 'edition.yaml', 'images/harbour.png', 'notes/a.txt', 'story.md']);
    expect(p.files.find((f) => f.path === 'alias.md')!.sha256).toBe(p.files.find((f) => f.path === 'story.md')!.sha256);
    expect(p.skipped.sort()).toEqual(['leak.txt (a link out of the edition folder)', 'pipe (not a regular file)']);
    expect(p.files.some((f) => Buffer.from(f.bytes).toString().includes('secret'))).toBe(false);
  });

  it('refuses a folder without edition.yaml, and files over the limits, before reading them', async () => {
    expect(await codeOf(packEdition(tempDir()))).toMatch(/^EditionNotFound: no edition folder with an edition\.yaml/);
    const dir = tinyEdition(tempDir(), 'huge');
    writeFileSync(path.join(dir, 'movie.mp4'), '');
    truncateSync(path.join(dir, 'movie.mp4'), 65 * 1024 * 1024);
    expect(await codeOf(packEdition(dir))).toMatch(/^LimitExceeded: movie\.mp4 is 65 MB: a farm job carries files of at most 64 MB/);
  });
});

describe('the input hash', () => {
  it('depends on what decides the outputs, not on the order of the files', () => {
    const a = job({ files: [{ path: 'edition.yaml', sha256: SHA, size: 1 }, { path: 'b.md', sha256: 'b'.repeat(64), size: 1 }], options: { pdf: true, strict: false } });
    const same = job({ files: [...a.files].reverse(), options: { pdf: true } });
    expect(inputHash(same)).toBe(inputHash(a));
    for (const other of [job({ ...a, slug: 'other' }), job({ ...a, out: '/srv/out' }), job({ ...a, sourceDateEpoch: '1' }), job({ ...a, workers: 1 }), job({ ...a, options: { pdf: true, marks: true } }), job({ ...a, files: [a.files[0]!, { path: 'b.md', sha256: 'c'.repeat(64), size: 1 }] })]) {
      expect(inputHash(other)).not.toBe(inputHash(a));
    }
    expect(jobId(inputHash(a))).toMatch(/^ed-[0-9a-f]{40}$/);
  });
});

describe('the guard: what a job may read', () => {
  it("allows paiban's templates, a template inside the edition and installed fonts; refuses the rest with the line", async () => {
    const src = tempDir();
    const yaml = (extra: string) => readFileSync(path.join(tinyEdition(src, 'base'), 'edition.yaml'), 'utf8').replace('paper: a4', `paper: a4\n${extra}`);
    await guardEdition(tinyEdition(src, 'plain'));
    await guardEdition(tinyEdition(src, 'installed', { 'edition.yaml': yaml('fonts: { body: /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf }') }));
    await guardEdition(tinyEdition(src, 'own', { 'edition.yaml': yaml('template: ./theme'), 'theme/template.yaml': 'not: a template' }));
    expect(await codeOf(guardEdition(tinyEdition(src, 'up', { 'edition.yaml': yaml('template: ../plain') })))).toMatch(/^PathOutsideEdition: template "\.\.\/plain" is outside the edition folder/);
    expect(await codeOf(guardEdition(tinyEdition(src, 'abs', { 'edition.yaml': yaml(`template: ${src}/plain`) })))).toMatch(/^PathOutsideEdition/);
    symlinkSync(path.join(src, 'plain'), path.join(tinyEdition(src, 'linked', { 'edition.yaml': yaml('template: ./theme') }), 'theme'));
    expect(await codeOf(guardEdition(path.join(src, 'linked')))).toMatch(/^PathOutsideEdition: template "\.\/theme"/);
    expect(await codeOf(guardEdition(tinyEdition(src, 'rel-font', { 'edition.yaml': yaml('fonts: { heading: fonts/x.ttf }') })))).toMatch(/^PathOutsideEdition: font file "fonts\/x\.ttf" is a relative path/);
    expect(await codeOf(guardEdition(tinyEdition(src, 'etc-font', { 'edition.yaml': yaml('fonts: { body: /etc/passwd }') })))).toMatch(/^PathOutsideEdition: font file "\/etc\/passwd" is not an installed font/);
    expect(await codeOf(guardEdition(tinyEdition(src, 'theme-font', { 'edition.yaml': yaml('template: ./theme'), 'theme/template.yaml': readFileSync('templates/newspaper/template.yaml', 'utf8').replace(/body: .*/, 'body: /root/.ssh/id_rsa.ttf') })))).toMatch(/^PathOutsideEdition: font file "\/root\/\.ssh\/id_rsa\.ttf"/);
    const e = await guardEdition(tinyEdition(src, 'line', { 'edition.yaml': yaml('template: ../plain') })).then(() => undefined, (x: unknown) => x as PaibanError);
    expect(e?.where).toEqual({ file: 'edition.yaml', line: 6, column: 11 });
  });
});

describe('sorting failures', () => {
  it("the edition's errors are not retried; Chromium's, the disk's and unknown ones are", () => {
    expect(isContentError(new PaibanError('FrontMatterInvalid', 'x'))).toBe(true);
    expect(isContentError(new PaibanError('JobInvalid', 'x'))).toBe(true);
    expect(isContentError(new PaibanErrors([new PaibanError('EditionInvalid', 'x'), new PaibanError('SlotUnknown', 'y')]))).toBe(true);
    expect(isContentError(new PaibanError('BrowserFailed', 'x'))).toBe(false);
    expect(isContentError(new PaibanError('OutputFailed', 'x'))).toBe(false);
    expect(isContentError(new PaibanError('FarmUnavailable', 'x'))).toBe(false);
    expect(isContentError(new Error('ECONNRESET'))).toBe(false);
  });
});

describe('what enqueue --wait prints', () => {
  it('as paiban build does: diagnostics and errors on stderr, files written on stdout, a last line', () => {
    let out = '';
    let err = '';
    const sink = (f: (s: string) => void) => ({ write: (s: string) => f(s) });
    const outcomes: JobOutcome[] = [
      { id: 'ed-1', edition: 'a', dir: 'eds/a', state: 'completed', attempts: 1, result: { outputs: [{ name: 'a.pdf', path: '/srv/a.pdf', bytes: 2048, sha256: SHA, pages: 2 }], diagnostics: [{ file: 'x.md', line: 3, severity: 'warning', rule: 'overset', message: 'over' }, { file: 'edition.yaml', severity: 'info', rule: 'epub-size', message: 'size' }] } as JobOutcome['result'] },
      { id: 'ed-2', edition: 'b', dir: 'eds/b', state: 'failed', attempts: 1, error: { reason: 'r', report: { errors: [{ code: 'FrontMatterInvalid', message: 'no title', hint: 'add one', file: 'y.md', line: 2 }], diagnostics: [], worker: { host: 'h', pid: 1 } } } },
      { id: 'ed-3', edition: 'c', dir: 'eds/c', state: 'failed', attempts: 4, error: { reason: 'Chromium failed twice' } },
      { id: 'ed-4', edition: 'd', dir: 'eds/d', state: 'lost', attempts: 0, error: { reason: 'the job was removed from the queue before it finished' } },
    ];
    printOutcomes(outcomes, { seconds: 3.21, queue: 'builds' }, sink((s) => (out += s)), sink((s) => (err += s)));
    expect(out).toBe('wrote /srv/a.pdf (2 KB, 2 pages)\npaiban: 1 of 4 edition(s) built in 3.2 s by the farm (queue "builds")\n');
    expect(err).toBe(
      [
        'a/x.md:3 warning overset: over',
        'b/y.md:2: error FrontMatterInvalid: no title',
        '  → add one',
        'paiban: eds/b (job ed-2): 1 error(s); nothing was written',
        'paiban: eds/c (job ed-3): failed after 4 attempt(s): Chromium failed twice',
        "  → see the worker's log; enqueue it again once that is fixed",
        'paiban: eds/d (job ed-4): the job was removed from the queue before it finished',
        '  → enqueue it again',
        '',
      ].join('\n'),
    );
  });
});

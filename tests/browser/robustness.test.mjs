// Robustness of the page (issue 5), run by `make test` with the other browser tests:
//
// - out of memory in the worker (`#debug=oom`: the core allocates until the wasm memory cannot
//   grow) ends in 「検査を完了できませんでした」, never a verdict, and the next file checks normally;
// - every file of the shared corpus (../shared/corpus) goes through the page's own path (the
//   file input, several files per pick, as a user would) and gets a verdict within 5 s each: the
//   page runs with `#timeout=5`, so a file that takes longer ends as "could not finish" and fails
//   the test. The wasm memory of the worker (it only grows) is read after every batch and must
//   stay under 512 MiB. Skips, saying so, when the corpus folder is absent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, TARGETS, check, fixture, launch, openPage, screenshot } from './lib.mjs';

const CORPUS = process.env.TENPU_CORPUS || join(ROOT, '..', 'shared', 'corpus');
const PER_FILE_S = 5;
const MEMORY_BOUND = 512 * 1024 * 1024;
const BATCH = 40;

function corpusFiles(dir) {
  const out = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) out.push(p);
    }
  }
  return out.sort();
}

/** Bytes of the worker's wasm memory (its high-water mark: wasm memory never shrinks). */
async function wasmMemory(page) {
  const workers = page.workers();
  let max = 0;
  for (const w of workers) {
    const n = await w.evaluate(async () => {
      if (typeof wasm_bindgen !== 'function') return 0;
      try {
        const exports = await wasm_bindgen();
        return exports && exports.memory ? exports.memory.buffer.byteLength : 0;
      } catch (_) {
        return 0;
      }
    }).catch(() => 0);
    max = Math.max(max, n);
  }
  return max;
}

const file = TARGETS.find((t) => t.name === 'file');

describe('page robustness (file)', () => {
  let browser;
  before(async () => { browser = await launch(); });
  after(async () => { if (browser) await browser.close(); });
  const open = (fragment, opts) => openPage(browser, file, '', fragment, opts);

  test('out of memory in the worker ends in "could not finish", and the next check works', { timeout: 180000 }, async () => {
    const p = await open('lang=ja&debug=oom');
    try {
      const t0 = Date.now();
      const r = await check(p.page, fixture('notes.txt'), 150000);
      const secs = (Date.now() - t0) / 1000;
      assert.equal(r.state, 'failed', `state after OOM: ${r.state}`);
      assert.equal(r.verdict, null, 'no verdict after running out of memory');
      assert.equal(r.label, '検査を完了できませんでした');
      const card = p.page.locator('#results article').first();
      assert.equal(await card.getAttribute('data-state'), 'failed');
      console.log(`robustness: out-of-memory trap reported after ${secs.toFixed(1)} s: ${(await card.textContent()).replace(/\s+/g, ' ').slice(0, 200)}`);
      await screenshot(p.page, 'file-oom');
      // Same page, hook off: the replaced worker checks normally.
      await p.page.evaluate(() => { location.hash = 'lang=ja'; });
      const r2 = await check(p.page, fixture('invoice.exe'));
      assert.equal(r2.state, 'done');
      assert.equal(r2.verdict, 'dangerous');
      const r3 = await check(p.page, fixture('notes.txt'));
      assert.equal(r3.verdict, 'no_findings');
      assert.deepEqual(p.errors, []);
    } finally { await p.close(); }
    // The hook really exhausts the wasm memory (and does not trap for another reason): call it
    // straight in the worker of a fresh page and read the memory size after the trap.
    const q = await open('lang=en');
    try {
      const w = q.page.workers()[0];
      const m = await w.evaluate(async () => {
        const exports = await wasm_bindgen();
        const before = exports.memory.buffer.byteLength;
        let error = '';
        try { wasm_bindgen.debug_oom(); } catch (e) { error = String(e); }
        return { before, after: exports.memory.buffer.byteLength, error };
      });
      console.log(`robustness: debug_oom grew the wasm memory from ${(m.before / 1048576).toFixed(1)} MiB to ${(m.after / 1048576).toFixed(0)} MiB, then ${m.error}`);
      assert.match(m.error, /unreachable/);
      assert.ok(m.after >= 1024 * 1048576, `memory grew to ${m.after} bytes only`);
    } finally { await q.close(); }
  });

  test(`every corpus file gets a verdict within ${PER_FILE_S} s, wasm memory under 512 MiB`, { timeout: 60 * 60 * 1000 }, async (t) => {
    if (!existsSync(CORPUS) || !statSync(CORPUS).isDirectory()) {
      return t.skip(`skipping: ${CORPUS} absent (../shared/corpus)`);
    }
    const files = corpusFiles(CORPUS);
    assert.ok(files.length > 0, 'corpus has files');
    const p = await open(`lang=en&timeout=${PER_FILE_S}`);
    const failures = [];
    const verdicts = {};
    let maxMemory = 0;
    let slowBatch = { secs: 0, first: '' };
    const t0 = Date.now();
    try {
      for (let i = 0; i < files.length; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        const b0 = Date.now();
        // The whole batch may take up to PER_FILE_S per file (plus a worker restart each).
        await check(p.page, batch, batch.length * (PER_FILE_S + 10) * 1000);
        const secs = (Date.now() - b0) / 1000;
        if (secs > slowBatch.secs) slowBatch = { secs, first: relative(CORPUS, batch[0]) };
        const cards = await p.page.evaluate(() => [...document.querySelectorAll('#results article')].map((c) => ({
          state: c.getAttribute('data-state'),
          verdict: c.getAttribute('data-verdict'),
          text: c.textContent.replace(/\s+/g, ' ').slice(0, 160),
        })));
        assert.equal(cards.length, batch.length, `one card per file in batch ${i / BATCH}`);
        cards.forEach((c, k) => {
          const name = relative(CORPUS, batch[k]);
          if (c.verdict && ['dangerous', 'suspicious', 'no_findings'].includes(c.verdict)) {
            verdicts[c.verdict] = (verdicts[c.verdict] || 0) + 1;
          } else {
            failures.push(`${name}: ${c.state} ${c.text}`);
          }
        });
        maxMemory = Math.max(maxMemory, await wasmMemory(p.page));
      }
    } finally { await p.close(); }
    const total = (Date.now() - t0) / 1000;
    console.log(`robustness: ${files.length} corpus files through the page in ${total.toFixed(0)} s (batches of ${BATCH}; slowest batch ${slowBatch.secs.toFixed(1)} s from ${slowBatch.first}); verdicts ${JSON.stringify(verdicts)}; worker wasm memory high-water ${(maxMemory / 1048576).toFixed(1)} MiB`);
    assert.deepEqual(failures, [], `${failures.length} files without a verdict within ${PER_FILE_S} s`);
    assert.ok(maxMemory > 0, 'the worker memory was read');
    assert.ok(maxMemory <= MEMORY_BOUND, `wasm memory ${maxMemory} bytes over 512 MiB`);
  });
});

#!/usr/bin/env node
// `make bench` (issue 6): one run, one machine, one table.
//
//   1. Throughput against the peer: `tenpu check --json` and `olevba --json` over the same Office
//      files of ../shared/corpus (the ones olevba can open, found in this run), each in ONE
//      invocation over all files, best of BENCH_ROUNDS rounds; the tools alternate, and each timed run
//      directly follows an untimed warm-up run of the same tool.
//   2. Scaling: time and peak RSS (/usr/bin/time) of the CLI on the inputs written by
//      examples/bench_inputs.rs (100 KB to 600 MB), with the verdict each must get.
//   3. Browser: dist/tenpu.html from file:// in Chromium (playwright-core): page ready (wasm
//      compiled), file selected → verdict for the 150 KB Emotet mail and the 20 MB attachment.
//   4. wasm against native, in-process on both sides: the page's wasm inside the page's own worker
//      in Chromium against examples/bench_time.rs; the wasm's JSON (also run under node for every
//      input up to 30 MB) must equal the CLI's byte for byte.
//   5. Password trials per second (ZipCrypto, WinZip AES-256), wasm and native.
//   6. Weight of the page and of the wasm, raw and gzip -9; twiggy's top contributors.
//
// Writes target/bench/results.json and target/bench/results.md, prints the Markdown. Exits 1
// when a verdict differs from what the bench expects or between the CLI, the wasm and the page.
//
// Environment: BENCH_ROUNDS (3), TENPU_BIN, BENCH_TIME_BIN, OLEVBA, TENPU_CHROMIUM,
// BENCH_INPUTS (target/bench/inputs), BENCH_SKIP (comma list of: peer,scaling,browser,wasm,weight).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const TENPU = process.env.TENPU_BIN || join(TARGET, 'release', 'tenpu');
const BENCH_TIME = process.env.BENCH_TIME_BIN || join(TARGET, 'release', 'examples', 'bench_time');
const OLEVBA = process.env.OLEVBA || join(ROOT, '.tools', 'venv', 'bin', 'olevba');
const CHROMIUM = process.env.TENPU_CHROMIUM || '/usr/bin/chromium';
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
const OUT = join(ROOT, 'target', 'bench');
const INPUTS = process.env.BENCH_INPUTS ? resolve(process.env.BENCH_INPUTS) : join(OUT, 'inputs');
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));
const SKIP = new Set((process.env.BENCH_SKIP || '').split(',').filter(Boolean));
const PAGE = join(ROOT, 'dist', 'tenpu.html');
const PKG = join(ROOT, 'www', 'pkg');
const GZ_BUDGET = 400 * 1024;

const rows = []; // [area, what, value, note]
const results = { started: new Date().toISOString(), rounds: ROUNDS };
const failures = [];
const log = (...a) => console.error('bench:', ...a);
const row = (area, what, value, note = '') => rows.push([area, what, value, note]);
const fail = (msg) => { failures.push(msg); log('FAIL', msg); };

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`);
const fmtBytes = (n) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(0)} KB` : `${n} B`);
const fmtRate = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const KiB = (n) => `${(n / 1024).toFixed(0)} KiB`;

function need(path, what) {
  if (!existsSync(path)) throw new Error(`${path} missing (${what}); run \`make bench\`, which builds it`);
}

function sh(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], ...opts }).trim();
  } catch (_) {
    return '';
  }
}

// ---- the machine -------------------------------------------------------------------------------
function machine() {
  const lscpu = sh('lscpu', []);
  const field = (k) => (lscpu.match(new RegExp(`^${k}:\\s*(.+)$`, 'm')) || [])[1] || '';
  const m = {
    cpu: [field('Model name') || os.cpus()[0]?.model || 'unknown',
      field('CPU family') && `(family ${field('CPU family')} model ${field('Model')})`,
      field('Hypervisor vendor') && `under ${field('Hypervisor vendor')}`].filter(Boolean).join(' '),
    cpus: os.cpus().length,
    mem_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    load_at_start: os.loadavg().map((x) => +x.toFixed(2)),
    node: process.version,
    rustc: sh('rustc', ['--version']),
    tenpu: sh(TENPU, ['--version']),
    olevba: '',
    chromium: '',
  };
  return m;
}

// ---- 1. throughput against olevba --------------------------------------------------------------
const OLEVBA_OK_TYPES = new Set(['OLE', 'OpenXML', 'PPT', 'Word2003_XML', 'FlatOPC_XML', 'SLK', 'MHTML', 'msg']);

function runOlevba(files) {
  const r = spawnSync(OLEVBA, ['--json', ...files], { cwd: CORPUS, encoding: 'utf8', maxBuffer: 1 << 30 });
  let parsed = [];
  try { parsed = JSON.parse(r.stdout); } catch (_) { parsed = []; }
  return { status: r.status, entries: parsed };
}

/** The Office files of the corpus that olevba opens without error, found by running it. */
function olevbaOpenable() {
  const listed = Object.keys(JSON.parse(readFileSync(join(CORPUS, 'olevba_results.json'), 'utf8')))
    .filter((f) => existsSync(join(CORPUS, f)));
  const ok = [];
  const refused = [];
  let rest = listed;
  // olevba stops the whole batch at some errors (an encrypted file raises out of main): run the
  // rest again after the file that stopped it.
  for (let guard = 0; rest.length && guard < 200; guard++) {
    const { entries } = runOlevba(rest);
    const byFile = new Map(entries.filter((e) => e.file).map((e) => [e.file, e]));
    // An aborted batch ends with an error message naming the file that stopped it (which may
    // already have its own entry); otherwise the first file without an entry stopped it.
    const last = entries[entries.length - 1] || {};
    const abortMsg = last.type === 'msg' && last.level === 'ERROR' ? String(last.msg || '') : '';
    let stop = rest.findIndex((f) => !byFile.has(f) || (abortMsg && abortMsg.includes(f)));
    if (stop < 0) stop = rest.length;
    for (let i = 0; i < stop; i++) (OLEVBA_OK_TYPES.has(byFile.get(rest[i]).type) ? ok : refused).push(rest[i]);
    if (stop < rest.length) refused.push(rest[stop]);
    rest = rest.slice(stop + 1);
  }
  return { listed: listed.length, ok, refused };
}

function timeRun(cmd, args, cwd) {
  const t = now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { ms: now() - t, stdout: r.stdout, status: r.status, stderr: r.stderr };
}

/** ROUNDS timed runs of each tool over `files`, alternating; each timed run directly follows an
 *  untimed one of the same tool (a warm-up, as hyperfine --warmup), so neither is timed cold after
 *  the other. Fails when either tool does not answer for every file. */
function rounds(files, logEach) {
  const wanted = new Set(files);
  const tenpu = [];
  const ole = [];
  for (let r = 0; r < ROUNDS; r++) {
    timeRun(TENPU, ['check', '--json', ...files], CORPUS);
    const a = timeRun(TENPU, ['check', '--json', ...files], CORPUS);
    const lines = a.stdout.split('\n').filter(Boolean);
    if (lines.length !== files.length || a.status === 2) fail(`tenpu gave ${lines.length} reports for ${files.length} files (exit ${a.status})`);
    tenpu.push(a.ms);
    timeRun(OLEVBA, ['--json', ...files], CORPUS);
    const b = timeRun(OLEVBA, ['--json', ...files], CORPUS);
    let n = 0;
    try { n = new Set(JSON.parse(b.stdout).map((e) => e.file).filter((f) => wanted.has(f))).size; } catch (_) { n = -1; }
    if (n !== files.length) fail(`olevba gave ${n} results for ${files.length} files`);
    ole.push(b.ms);
    if (logEach) log(`round ${r + 1}: tenpu ${fmtMs(a.ms)}, olevba ${fmtMs(b.ms)}`);
  }
  return { tenpu, ole };
}

function peer() {
  if (!existsSync(join(CORPUS, 'olevba_results.json'))) {
    log(`skipping the throughput comparison: ${CORPUS} absent`);
    row('throughput', 'tenpu against olevba', 'skipped', `${CORPUS} absent`);
    return;
  }
  need(OLEVBA, 'oletools in .tools/venv');
  const py = join(dirname(OLEVBA), 'python');
  const ver = sh(existsSync(py) ? py : 'python3', ['-c', 'import importlib.metadata as m; print(m.version("oletools"))']);
  results.machine.olevba = `olevba (oletools ${ver || '?'}) under ${sh(existsSync(py) ? py : 'python3', ['--version']) || 'python'}`;
  log('finding the corpus files olevba opens');
  const { listed, ok: files, refused } = olevbaOpenable();
  const bytes = files.reduce((s, f) => s + statSync(join(CORPUS, f)).size, 0);
  log(`${files.length} of ${listed} files (${fmtBytes(bytes)}); ${refused.length} refused by olevba`);
  const { tenpu, ole } = rounds(files, true);
  const bt = Math.min(...tenpu);
  const bo = Math.min(...ole);
  const ratio = bo / bt;
  results.peer = { files: files.length, listed, refused, bytes, tenpu_ms: tenpu, olevba_ms: ole, ratio };
  // Where tenpu's time goes: the in-process check time of each file (examples/bench_time.rs).
  const known = JSON.parse(readFileSync(join(CORPUS, 'olevba_results.json'), 'utf8'));
  const isEnc = (f) => !!(known[f] && (known[f].encrypted || known[f].structure?.ole_encrypted_package));
  const inproc = nativeInProcess(files, 3, [], CORPUS);
  const inTotal = inproc.reduce((s, x) => s + x.best_ms, 0);
  const inEnc = inproc.filter((x) => isEnc(x.file)).reduce((s, x) => s + x.best_ms, 0);
  const encFiles = files.filter(isEnc);
  results.peer.in_process_ms = inTotal;
  results.peer.in_process_encrypted_ms = inEnc;
  // The same comparison without the encrypted documents (both tools derive password keys there).
  const plain = files.filter((f) => !isEnc(f));
  const { tenpu: t2, ole: o2 } = rounds(plain, false);
  results.peer.unencrypted = { files: plain.length, tenpu_ms: t2, olevba_ms: o2, ratio: Math.min(...o2) / Math.min(...t2) };
  const fps = (ms) => files.length / (ms / 1000);
  const mbps = (ms) => bytes / 1e6 / (ms / 1000);
  const set = `${files.length} Office files, ${fmtBytes(bytes)}`;
  row('throughput', `tenpu check --json, one run over ${set}`, `${fmtMs(bt)}: ${fmtRate(fps(bt))} files/s, ${fmtRate(mbps(bt))} MB/s`, `best of ${ROUNDS}, each after a warm-up run; files spread over ${os.availableParallelism ? os.availableParallelism() : os.cpus().length} threads (--jobs default); olevba uses one`);
  row('throughput', `olevba --json, one run over the same files`, `${fmtMs(bo)}: ${fmtRate(fps(bo))} files/s, ${fmtRate(mbps(bo))} MB/s`, `best of ${ROUNDS}, each after a warm-up run; ${results.machine.olevba}`);
  row('throughput', 'tenpu / olevba', `**${ratio.toFixed(0)}×**`, `target ≥ 50×: ${ratio >= 50 ? 'met' : 'NOT met'}`);
  row('throughput', `tenpu's check time in-process over the same files`, `${fmtMs(inTotal)}, of which ${fmtMs(inEnc)} (${((100 * inEnc) / inTotal).toFixed(0)}%) on the ${encFiles.length} encrypted documents`, 'Office password key derivation (Excel default password): 50,000 SHA-1 or 100,000 SHA-512 rounds per try. The CLI batch adds process start, reading and JSON output');
  // The best ratio this machine allows: the batch cannot take less than the check time spread
  // evenly over the threads, and the key derivation alone needs its share of that.
  const threads = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const ceil = bo / (inTotal / threads);
  const ceilEnc = bo / (inEnc / threads);
  results.peer.ceiling = { threads, ratio: ceil, ratio_key_derivation_only: ceilEnc };
  row('throughput', `ceiling of tenpu / olevba on ${threads} threads`, `${ceil.toFixed(0)}× if process start, reading and output took no time and the threads were perfectly balanced; ${ceilEnc.toFixed(0)}× if only the key derivation took time`, `olevba's best time over the in-process check time (best of 3 per file) divided by ${threads}`);
  const u = results.peer.unencrypted;
  row('throughput', `tenpu / olevba without the ${encFiles.length} encrypted documents (${u.files} files)`, `${fmtMs(Math.min(...u.tenpu_ms))} vs ${fmtMs(Math.min(...u.olevba_ms))}: **${u.ratio.toFixed(0)}×**`, `best of ${ROUNDS}`);
}

// ---- 2. scaling ----------------------------------------------------------------------------------
function manifest() {
  const p = join(INPUTS, 'manifest.json');
  need(p, 'written by cargo run --release --example bench_inputs');
  return JSON.parse(readFileSync(p, 'utf8'));
}

/** Run the CLI on one file under /usr/bin/time: wall ms (node clock), peak RSS bytes, report. */
function cliOnce(file) {
  const tf = join(OUT, '.time');
  const t = now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', tf, TENPU, 'check', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = now() - t;
  const rssKb = Number(readFileSync(tf, 'utf8').trim().split('\n').pop());
  let report = null;
  try { report = JSON.parse(r.stdout.split('\n')[0]); } catch (_) { report = null; }
  return { ms, rss: rssKb * 1024, report, status: r.status };
}

function cliBest(file, rounds) {
  let best = null;
  let rss = 0;
  for (let i = 0; i < rounds; i++) {
    const r = cliOnce(file);
    rss = Math.max(rss, r.rss);
    if (!best || r.ms < best.ms) best = r;
  }
  return { ...best, rss };
}

const SERIES = {
  padded_doc_zip: 'padded macro .doc in a ZIP',
  padded_doc: 'padded macro .doc',
  clean_zip: 'clean ZIP (text, stored + deflated)',
  many_attachments: 'mail with N attachments',
};

// Memory budget of one check: the input (the CLI reads it whole) plus the per-entry inflate
// limit (an inflated entry is held while it is checked, 256 MiB) plus 64 MiB of working memory.
const MEM_BUDGET_EXTRA = (256 + 64) * 2 ** 20;

function scaling(inputs) {
  results.scaling = [];
  for (const e of inputs.filter((x) => SERIES[x.series])) {
    const path = join(INPUTS, e.file);
    // The 100 MB+ inputs take seconds each: fewer rounds there.
    const rounds = e.bytes > 50e6 ? Math.min(ROUNDS, 2) : ROUNDS;
    const r = cliBest(path, rounds);
    const verdict = r.report?.verdict;
    if (verdict !== e.expected) fail(`${e.file}: CLI verdict ${verdict}, the bench expects ${e.expected}`);
    const content = e.series === 'many_attachments' ? e.bytes : e.size;
    const rec = { ...e, ms: r.ms, rss: r.rss, verdict, complete: r.report?.complete, mb_per_s: content / 1e6 / (r.ms / 1000) };
    results.scaling.push(rec);
    const what = e.series === 'many_attachments'
      ? `${SERIES[e.series].replace('N', e.size)} (${fmtBytes(e.bytes)})`
      : e.series === 'padded_doc_zip' || e.series === 'clean_zip'
        ? `${SERIES[e.series]}: ${fmtBytes(e.size)} (.zip ${fmtBytes(e.bytes)})`
        : `${SERIES[e.series]}: ${fmtBytes(e.bytes)}`;
    const budget = e.bytes + MEM_BUDGET_EXTRA;
    if (r.rss > budget) fail(`${e.file}: peak RSS ${fmtBytes(r.rss)} over the budget (input + 320 MiB = ${fmtBytes(budget)})`);
    row('scaling', what, `${fmtMs(r.ms)}, ${fmtRate(rec.mb_per_s)} MB/s, peak ${fmtBytes(r.rss)}`, `${verdict}${r.report?.complete === false ? ' (incomplete)' : ''}`);
    log(`${e.file}: ${fmtMs(r.ms)} peak ${fmtBytes(r.rss)} ${verdict}`);
  }
  // Growth per series, from its 10 MB point (below that, process start dominates) to its largest.
  for (const series of Object.keys(SERIES)) {
    const xs = results.scaling.filter((x) => x.series === series);
    const base = series === 'many_attachments' ? xs[0] : xs.find((x) => x.size >= 10e6);
    const top = xs[xs.length - 1];
    if (!base || !top || base === top) continue;
    const growth = top.size / base.size;
    const tg = top.ms / base.ms;
    row('scaling', `${SERIES[series]}: ${series === 'many_attachments' ? `${base.size} → ${top.size} attachments` : `${fmtBytes(base.size)} → ${fmtBytes(top.size)}`}`, `size ×${growth.toFixed(0)}, time ×${tg.toFixed(1)}, peak memory ×${(top.rss / base.rss).toFixed(1)}`, tg <= growth * 1.1 ? 'linear or better' : 'WORSE than linear');
  }
  row('scaling', 'memory budget', `peak RSS ≤ input + 320 MiB on every input: ${results.scaling.every((x) => x.rss <= x.bytes + MEM_BUDGET_EXTRA) ? 'met' : 'NOT met'}`, 'the CLI reads the input whole; inflated entries up to 256 MiB are held while checked');
}

// ---- 4/5. wasm under node and native in-process ----------------------------------------------------
function loadWasm() {
  need(join(PKG, 'tenpu.js'), 'make dist');
  // The page's glue (wasm-bindgen --target no-modules) defines the global `wasm_bindgen`.
  const glue = readFileSync(join(PKG, 'tenpu.js'), 'utf8');
  const wb = vm.runInThisContext(`${glue}\n;wasm_bindgen;`, { filename: join(PKG, 'tenpu.js') });
  wb.initSync({ module: readFileSync(join(PKG, 'tenpu_bg.wasm')) });
  return wb;
}

function nativeInProcess(files, rounds, passwords = [], cwd = undefined) {
  need(BENCH_TIME, 'cargo build --release --example bench_time');
  const args = ['--rounds', String(rounds)];
  for (const p of passwords) args.push('--password', p);
  const out = execFileSync(BENCH_TIME, [...args, ...files], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function cliJson(file, passwords = []) {
  const args = ['check', '--json'];
  for (const p of passwords) args.push('--password', p);
  const r = spawnSync(TENPU, [...args, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.stdout.split('\n')[0];
}

const candidates = (n) => Array.from({ length: n }, (_, i) => `candidate-${String(i).padStart(3, '0')}`);

/** The wasm's JSON equals the CLI's, byte for byte, for every input up to 30 MB (node, same wasm). */
function wasmCorrectness(inputs) {
  const wb = loadWasm();
  for (const e of inputs.filter((x) => x.bytes <= 30e6)) {
    const path = join(INPUTS, e.file);
    const w = wb.check_json(readFileSync(path), e.file, '');
    if (w !== cliJson(path)) fail(`${e.file}: the wasm report differs from the CLI's`);
  }
  log('wasm reports equal the CLI reports');
}

/** A wasm runner under node: (bytes, name, optionsJson, rounds, inner) → {best ms per check, out}. */
function nodeRunner() {
  const wb = loadWasm();
  return async (bytes, name, optsJson, rounds, inner) => {
    let best = Infinity;
    let out = '';
    for (let r = 0; r < rounds; r++) {
      const t = now();
      for (let i = 0; i < inner; i++) out = wb.check_json(bytes, name, optsJson);
      best = Math.min(best, (now() - t) / inner);
    }
    return { best, out };
  };
}

/** The same inside the page's own worker in Chromium (its wasm_bindgen, its V8). */
function workerRunner(worker) {
  return (bytes, name, optsJson, rounds, inner) => worker.evaluate(async (a) => {
    const bin = atob(a.b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    let best = Infinity;
    let out = '';
    for (let r = 0; r < a.rounds; r++) {
      const t = performance.now();
      // eslint-disable-next-line no-undef
      for (let i = 0; i < a.inner; i++) out = wasm_bindgen.check_json(bytes, a.name, a.optsJson);
      best = Math.min(best, (performance.now() - t) / a.inner);
    }
    return { best, out };
  }, { b64: Buffer.from(bytes).toString('base64'), name, optsJson, rounds, inner });
}

/** wasm against native in-process, and password trials per second. */
async function wasmTimings(inputs, run, engine) {
  results.wasm = { engine, files: [] };
  const reps = Math.max(5, ROUNDS * 3);
  const pick = inputs.filter((x) => x.series === 'emotet_mail' || x.series === 'big_attachment_mail');
  const native = nativeInProcess(pick.map((e) => join(INPUTS, e.file)), reps);
  for (const [i, e] of pick.entries()) {
    const path = join(INPUTS, e.file);
    const w = await run(readFileSync(path), e.file, '', e.bytes > 5e6 ? Math.max(3, ROUNDS) : reps, 1);
    if (w.out !== cliJson(path)) fail(`${e.file}: the wasm report (${engine}) differs from the CLI's`);
    const n = native[i];
    const ratio = w.best / n.best_ms;
    results.wasm.files.push({ file: e.file, wasm_ms: w.best, native_ms: n.best_ms, ratio });
    row('wasm vs native', `check of ${e.file} (${fmtBytes(e.bytes)}), in-process`, `wasm ${fmtMs(w.best)}, native ${fmtMs(n.best_ms)}: wasm **${ratio.toFixed(1)}×** slower`, `best of ${reps}; wasm in ${engine}`);
  }
  // Password trials: 4 encrypted entries × 64 wrong candidates = 256 failed trials (the per-archive
  // budget), minus the same check with no candidate.
  const TRIALS = 4 * 64;
  const cands = candidates(64);
  results.passwords = [];
  for (const [file, label, inner] of [['pw-zipcrypto.zip', 'ZipCrypto', 20], ['pw-aes256.zip', 'WinZip AES-256', 1]]) {
    const path = join(INPUTS, file);
    const bytes = readFileSync(path);
    const optsJson = JSON.stringify({ passwords: cands });
    const w0 = await run(bytes, file, '', reps, inner);
    const w1 = await run(bytes, file, optsJson, reps, inner);
    if (w1.out !== cliJson(path, cands)) fail(`${file} with candidates: the wasm report differs from the CLI's`);
    if (!w1.out.includes('64 password candidates tried') || w1.out.includes('stopped after')) fail(`${file}: expected 64 candidates on each of 4 entries: ${w1.out.slice(0, 300)}`);
    const [n0] = nativeInProcess([path], reps * inner);
    const [n1] = nativeInProcess([path], reps * inner, cands);
    const wRate = TRIALS / (Math.max(1e-6, w1.best - w0.best) / 1000);
    const nRate = TRIALS / (Math.max(1e-6, n1.best_ms - n0.best_ms) / 1000);
    results.passwords.push({ file, wasm_per_s: wRate, native_per_s: nRate, wasm_ms: [w0.best, w1.best], native_ms: [n0.best_ms, n1.best_ms] });
    row('password trials', `${label}: wrong candidates per second`, `wasm ${Math.round(wRate).toLocaleString('en')}/s, native ${Math.round(nRate).toLocaleString('en')}/s`, `${TRIALS} trials per check (4 entries × 64 candidates), best of ${reps}; wasm in ${engine}`);
  }
}

// ---- 3. the page in Chromium --------------------------------------------------------------------
async function browser(inputs) {
  need(PAGE, 'make dist');
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  results.machine.chromium = b.version();
  const url = pathToFileURL(PAGE).href;
  const hooks = () => {
    window.__bench = { ready: 0, selected: 0, done: 0, verdict: '' };
    new MutationObserver(() => {
      const v = document.getElementById('version');
      if (!window.__bench.ready && v && v.textContent.startsWith('Tenpu ')) window.__bench.ready = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
    document.addEventListener('change', (e) => {
      if (e.target && e.target.type === 'file') { window.__bench.selected = performance.now(); window.__bench.done = 0; }
    }, true);
  };
  const watchVerdict = () => {
    const v = document.getElementById('verdict');
    new MutationObserver(() => {
      if (v.getAttribute('data-state') === 'done' && v.getAttribute('data-verdict') && !window.__bench.done) {
        window.__bench.done = performance.now();
        window.__bench.verdict = v.getAttribute('data-verdict');
      }
    }).observe(v, { attributes: true });
  };
  const open = async () => {
    const context = await b.newContext({ viewport: { width: 1000, height: 900 }, locale: 'ja-JP' });
    const page = await context.newPage();
    await page.addInitScript(hooks);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__bench.ready > 0, null, { timeout: 60000 });
    await page.evaluate(watchVerdict);
    return { context, page };
  };
  try {
    const loads = [];
    for (let i = 0; i < Math.max(3, ROUNDS); i++) {
      const { context, page } = await open();
      loads.push(await page.evaluate(() => window.__bench.ready));
      await context.close();
    }
    results.browser = { chromium: results.machine.chromium, ready_ms: loads, checks: [] };
    row('browser', 'page ready (navigation start → wasm compiled, core answering)', fmtMs(median(loads)), `median of ${loads.length} loads, file://`);
    const { context, page } = await open();
    const pick = inputs.filter((x) => x.series === 'emotet_mail' || x.series === 'big_attachment_mail');
    for (const e of pick) {
      const path = join(INPUTS, e.file);
      const cli = JSON.parse(cliJson(path)).verdict;
      const n = e.bytes > 5e6 ? Math.max(3, ROUNDS) : Math.max(7, ROUNDS * 3);
      const times = [];
      for (let i = 0; i < n; i++) {
        await page.evaluate(() => { window.__bench.done = 0; window.__bench.selected = 0; });
        await page.setInputFiles('input[type=file]', path);
        await page.waitForFunction(() => window.__bench.done > 0, null, { timeout: 120000 });
        const r = await page.evaluate(() => ({ ms: window.__bench.done - window.__bench.selected, verdict: window.__bench.verdict }));
        if (r.verdict !== cli) fail(`${e.file}: the page says ${r.verdict}, the CLI ${cli}`);
        times.push(r.ms);
      }
      const med = median(times);
      const [nat] = nativeInProcess([path], 3);
      results.browser.checks.push({ file: e.file, ms: times, verdict: cli, native_ms: nat.best_ms });
      const target = e.series === 'emotet_mail' ? `; target < 50 ms: ${med < 50 ? 'met' : 'NOT met'}` : '';
      row('browser', `file selected → verdict shown, ${e.file} (${fmtBytes(e.bytes)})`, `**${fmtMs(med)}** (${cli})`, `median of ${n}; native in-process ${fmtMs(nat.best_ms)}, page/native ${(med / nat.best_ms).toFixed(1)}×${target}`);
    }
    if (!SKIP.has('wasm')) {
      const worker = page.workers()[0];
      if (!worker) throw new Error('the page has no worker');
      await wasmTimings(inputs, workerRunner(worker), `Chromium ${results.machine.chromium} (the page's worker)`);
    }
    await context.close();
  } finally {
    await b.close();
  }
}

// ---- 6. weight ----------------------------------------------------------------------------------
function weight() {
  need(PAGE, 'make dist');
  const html = readFileSync(PAGE);
  const wasm = readFileSync(join(PKG, 'tenpu_bg.wasm'));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const hg = gz(html);
  results.weight = { html: html.length, html_gz: hg, wasm: wasm.length, wasm_gz: gz(wasm), budget_gz: GZ_BUDGET };
  row('weight', 'dist/tenpu.html', `${KiB(html.length)} raw, **${KiB(hg)} gzip -9**`, `budget ${KiB(GZ_BUDGET)} gzipped: ${hg <= GZ_BUDGET ? 'met' : 'NOT met'}`);
  row('weight', 'the wasm inside it (tenpu_bg.wasm)', `${KiB(wasm.length)} raw, ${KiB(results.weight.wasm_gz)} gzip -9`, 'after wasm-opt -Oz');
  // twiggy on the shipped wasm only sees numbered items (wasm-opt drops the names): rank the
  // cargo build of the same profile, which still has them, leaving out the sections that are not
  // shipped (function names, wasm-bindgen's metadata).
  const named = join(TARGET, 'wasm32-unknown-unknown', 'wasm', 'tenpu.wasm');
  const src = existsSync(named) ? named : join(PKG, 'tenpu_bg.wasm');
  const lines = sh('twiggy', ['top', '-n', '20', src]).split('\n');
  const keep = lines.filter((l) => !/function names|custom section|\.\.\. and|Σ/.test(l));
  results.weight.twiggy_source = src;
  results.weight.twiggy_top = keep.slice(0, 12).join('\n');
}

// ---- main ----------------------------------------------------------------------------------------
async function main() {
  mkdirSync(OUT, { recursive: true });
  need(TENPU, 'cargo build --release');
  results.machine = machine();
  log(`machine: ${results.machine.cpu}, ${results.machine.cpus} CPUs, ${results.machine.mem_gib} GiB; load ${results.machine.load_at_start.join(' ')}`);
  const inputs = manifest();
  if (!SKIP.has('peer')) peer();
  if (!SKIP.has('scaling')) scaling(inputs);
  if (!SKIP.has('wasm')) wasmCorrectness(inputs);
  if (!SKIP.has('browser')) await browser(inputs);
  else if (!SKIP.has('wasm')) await wasmTimings(inputs, nodeRunner(), `node ${process.version} (V8 ${process.versions.v8})`);
  if (!SKIP.has('weight')) weight();
  results.finished = new Date().toISOString();
  results.load_at_end = os.loadavg().map((x) => +x.toFixed(2));
  results.failures = failures;

  const m = results.machine;
  const md = [];
  md.push(`Tenpu benchmarks, ${results.started.slice(0, 16).replace('T', ' ')} UTC — ${m.cpu}, ${m.cpus} CPUs, ${m.mem_gib} GiB RAM, ${m.os}; load average ${m.load_at_start.join(' ')} at start, ${results.load_at_end.join(' ')} at end`);
  md.push(`${m.tenpu}; ${m.rustc}; node ${process.version}${m.chromium ? `; Chromium ${m.chromium}` : ''}${m.olevba ? `; ${m.olevba}` : ''}`);
  md.push('');
  md.push('| area | measure | result | note |');
  md.push('|---|---|---|---|');
  for (const r of rows) md.push(`| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
  if (results.weight?.twiggy_top) {
    md.push('');
    md.push(`Largest contributors to the wasm (twiggy top 10 of ${results.weight.twiggy_source.replace(ROOT + '/', '').replace(TARGET, '$CARGO_TARGET_DIR')}, before wasm-bindgen and wasm-opt; the shipped wasm is smaller):`);
    md.push('');
    md.push('```text');
    md.push(results.weight.twiggy_top);
    md.push('```');
  }
  md.push('');
  md.push(failures.length ? `**${failures.length} correctness failure(s):**\n${failures.map((f) => `- ${f}`).join('\n')}` : 'Correctness: every verdict as expected; the wasm reports equal the CLI reports; the page shows the CLI\'s verdicts.');
  const text = md.join('\n') + '\n';
  writeFileSync(join(OUT, 'results.md'), text);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  process.stdout.write(text);
  log(`wrote ${join(OUT, 'results.md')} and results.json`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(2);
});

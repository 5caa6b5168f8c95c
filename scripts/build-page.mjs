#!/usr/bin/env node
// Assemble the page from www/ and the wasm-bindgen output (www/pkg/):
//   dist/tenpu.html      ONE self-contained file: inline CSS and JS, the wasm as base64, the
//                        worker started from a Blob URL. Works from file://.
//   dist/site/           the same page as separate files for hosting (index.html, app.js,
//                        tenpu.css, tenpu-core.js) plus a copy of tenpu.html for download.
// The Content-Security-Policy allows exactly the inline blocks it carries, by SHA-256 hash.
//
// usage: node scripts/build-page.mjs [--pkg www/pkg] [--out dist]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zc, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : def;
};
const pkg = opt('--pkg', join(root, 'www', 'pkg'));
const out = opt('--out', join(root, 'dist'));

const read = (p) => readFileSync(p, 'utf8');
const template = read(join(root, 'www', 'index.html'));
const css = read(join(root, 'www', 'style.css'));
const app = read(join(root, 'www', 'app.js'));
const glue = read(join(pkg, 'tenpu.js'));
const workerJs = read(join(root, 'www', 'worker.js'));
const wasm = readFileSync(join(pkg, 'tenpu_bg.wasm'));

if (!glue.includes('wasm_bindgen')) throw new Error(`${pkg}/tenpu.js is not wasm-bindgen --target no-modules glue`);
const workerSrc = `${glue}\n;\n${workerJs}`;
// Run a compressor that reads stdin and writes stdout; null when it is not installed.
function tool(cmd, argv, input) {
  try {
    return execFileSync(cmd, argv, { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
  } catch (_) {
    return null;
  }
}

// The wasm is embedded compressed, in base64: compressed data in base64 gzips back to about its
// own size when the page is served or stored gzipped, while base64 of the raw wasm gzips 25%
// worse. LZMA (`xz --format=lzma`, Debian package xz-utils, installed by make) is ~17% smaller
// than the best gzip stream (zopfli); the worker unpacks it with its own small decoder
// (lzmaDecode in www/worker.js), which this script runs on the result before embedding it.
// Without xz: a zopfli gzip stream (about 5% smaller than zlib -9), else node's zlib; the
// worker unpacks gzip with the browser's DecompressionStream.
function zopfli(bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'tenpu-zopfli-'));
  try {
    const f = join(dir, 'core.wasm');
    writeFileSync(f, bytes);
    return tool('zopfli', ['--i15', '-c', f], undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function lzma(bytes) {
  // lc=3 lp=0 pb=0: wasm has no 2- or 4-byte alignment to model (measured: smallest of the
  // lc/lp/pb combinations; a few hundred bytes below the -9e defaults).
  const out = tool('xz', ['--format=lzma', '--lzma1=preset=9e,lc=3,lp=0,pb=0', '-c'], bytes);
  if (!out || out.length < 13) return null;
  // The .lzma header's size field says "unknown" (xz writes an end marker); store the real
  // size so the decoder allocates the output once. Header: props, dictionary size, size (u64 LE).
  const packed = Buffer.from(out);
  packed.writeBigUInt64LE(BigInt(bytes.length), 5);
  // Decode it with the worker's own decoder: the page must never carry a core it cannot unpack.
  const lzmaDecode = new Function('self', `${workerJs}\n;return lzmaDecode;`)({});
  const back = lzmaDecode(new Uint8Array(packed));
  if (Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.length), bytes) !== 0) {
    throw new Error('www/worker.js lzmaDecode does not reproduce the wasm from xz --format=lzma');
  }
  return packed;
}
// TENPU_PACK=gzip forces the fallback (to test the gzip path of the worker).
let packer;
let wasmPacked = process.env.TENPU_PACK === 'gzip' ? null : lzma(wasm);
if (wasmPacked) {
  packer = 'xz --format=lzma';
} else {
  wasmPacked = zopfli(wasm);
  packer = wasmPacked && wasmPacked.length > 18 ? 'zopfli (gzip)' : 'node zlib -9 (gzip)';
  if (packer !== 'zopfli (gzip)') wasmPacked = gzipSync(wasm, { level: 9, memLevel: 9, strategy: zc.Z_DEFAULT_STRATEGY });
  if (process.env.TENPU_PACK !== 'gzip') console.error('note: xz not found, the wasm is embedded gzip-compressed (larger page)');
}
const b64 = wasmPacked.toString('base64');

// Inline blocks must not be able to end their <script>/<style> element early.
for (const [name, text] of [['app.js', app], ['worker', workerSrc], ['style.css', css]]) {
  if (/<\/(script|style)/i.test(text) || text.includes('<!--')) {
    throw new Error(`${name} contains "</script", "</style" or "<!--" and cannot be inlined`);
  }
}

const sha = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const common = [
  "default-src 'none'",
  "connect-src 'none'",
  "img-src 'none'",
  "font-src 'none'",
  "media-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "manifest-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  // The core's worker is created from a Blob URL and inherits this policy.
  'worker-src blob:',
];
const cspSingle = [...common, `script-src ${sha(app)} 'wasm-unsafe-eval'`, `style-src ${sha(css)}`].join('; ');
const cspSite = [...common, "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'"].join('; ');

const fill = (csp, style, scripts) => {
  for (const marker of ['__CSP__', '__STYLE__', '__SCRIPTS__']) {
    if (template.split(marker).length !== 2) throw new Error(`www/index.html must contain ${marker} exactly once`);
  }
  // Function replacers: the replacement text is taken literally (no $-patterns).
  return template.replace('__CSP__', () => csp).replace('__STYLE__', () => style).replace('__SCRIPTS__', () => scripts);
};

const single = fill(
  cspSingle,
  `<style>${css}</style>`,
  [
    `<script type="application/octet-stream" id="tenpu-wasm">${b64}</script>`,
    `<script type="text/plain" id="tenpu-worker">${workerSrc}</script>`,
    `<script>${app}</script>`,
  ].join('\n'),
);
const site = fill(
  cspSite,
  '<link rel="stylesheet" href="tenpu.css">',
  ['<script src="tenpu-core.js"></script>', '<script src="app.js"></script>'].join('\n'),
);
const coreJs = `// Tenpu core for the hosted page: the worker source (wasm-bindgen glue + worker) and the wasm.\n`
  + `self.TENPU_CORE = ${JSON.stringify({ worker: workerSrc, wasm: b64 })};\n`;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'site'), { recursive: true });
writeFileSync(join(out, 'tenpu.html'), single);
writeFileSync(join(out, 'site', 'index.html'), site);
writeFileSync(join(out, 'site', 'tenpu.html'), single);
writeFileSync(join(out, 'site', 'app.js'), app);
writeFileSync(join(out, 'site', 'tenpu.css'), css);
writeFileSync(join(out, 'site', 'tenpu-core.js'), coreJs);

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
// Sizes as `gzip -9` reports them (GNU gzip when installed, else node's zlib at level 9).
const gzipLen = (bytes) => {
  const out = tool('gzip', ['-9', '-n', '-c'], bytes);
  return out ? out.length : gzipSync(bytes, { level: 9 }).length;
};
const sizes = (label, bytes) => {
  const gz = gzipLen(bytes);
  console.log(`${label.padEnd(28)} raw ${String(bytes.length).padStart(9)} B (${kib(bytes.length)})  gzip -9 ${String(gz).padStart(8)} B (${kib(gz)})`);
  return gz;
};
sizes('wasm (tenpu_bg.wasm)', wasm);
console.log(`${'wasm embedded (base64)'.padEnd(28)} raw ${String(b64.length).padStart(9)} B (${kib(b64.length)})  packed with ${packer}`);
const gz = sizes('dist/tenpu.html', Buffer.from(single, 'utf8'));
const budget = 400 * 1024;
console.log(`size budget for dist/tenpu.html: ${kib(budget)} gzipped — ${gz <= budget ? 'OK' : 'OVER BUDGET'}`);
if (gz > budget) {
  console.error(`WARNING: dist/tenpu.html is ${kib(gz - budget)} over its budget of ${kib(budget)} gzipped (issue 3).`);
  // Strict mode for CI once the core fits: TENPU_SIZE_STRICT=1 make dist.
  if (process.env.TENPU_SIZE_STRICT === '1') process.exit(1);
}

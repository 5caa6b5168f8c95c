// Shared helpers for the browser tests: Chromium via playwright-core, the two ways the page is
// opened (dist/tenpu.html from file://, dist/site/ from a local HTTP server), fixtures, and a
// recorder that fails on any network request.
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests', 'browser', 'artifacts');
export const FIXTURES = process.env.TENPU_FIXTURES || join(ROOT, 'target', 'fixtures');
/** With examples/fixtures.rs present (make test), a missing fixture is a failure, not a skip. */
export const FIXTURES_REQUIRED = process.env.TENPU_FIXTURES_REQUIRED === '1';
const CHROMIUM = process.env.TENPU_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// ---- fixtures ----------------------------------------------------------------------------------
// The simple ones are generated here when examples/fixtures.rs has not written them; the mails
// whose verdicts need the mail/zip/office detectors come only from examples/fixtures.rs.

function minimalPe() {
  const b = Buffer.alloc(0x200);
  b.write('MZ', 0, 'latin1');
  b[0x3c] = 0x80;
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

export const HOSTILE = '<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>\u202Etxt.exe';

function hostileEml() {
  const att = Buffer.from('hello').toString('base64');
  return Buffer.from([
    `From: "${HOSTILE}" <a@b.example>`,
    'To: tanaka@example.co.jp',
    `Subject: ${HOSTILE}`,
    'Date: Mon, 2 Nov 2026 10:00:00 +0900',
    'Message-ID: <h1@b.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="BB"',
    '',
    '--BB',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `<html><body>${HOSTILE}<b onmouseover=window.__pwned=1>bold</b></body></html>`,
    '--BB',
    `Content-Type: application/octet-stream; name="${HOSTILE}.txt"`,
    `Content-Disposition: attachment; filename="${HOSTILE}.txt"`,
    'Content-Transfer-Encoding: base64',
    '',
    att,
    '--BB--',
    '',
  ].join('\r\n'), 'utf8');
}

const GENERATED = {
  'invoice.exe': minimalPe,
  'notes.txt': () => Buffer.from('買い物リスト\n牛乳\nパン\n', 'utf8'),
  'hostile.eml': hostileEml,
};

/**
 * The path of a fixture in target/fixtures, or null when it is absent and may be skipped.
 * Simple fixtures are generated there when missing (unless examples/fixtures.rs is in charge).
 */
export function fixture(name) {
  const p = join(FIXTURES, name);
  if (existsSync(p)) return p;
  if (FIXTURES_REQUIRED) throw new Error(`fixture ${p} missing (examples/fixtures.rs should have written it)`);
  if (GENERATED[name]) {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(p, GENERATED[name]());
    return p;
  }
  return null;
}
export const skipMsg = (name) => `skipping: ${join(FIXTURES, name)} absent (written by \`cargo run --example fixtures -- target/fixtures\`)`;

// ---- the two ways of opening the page ----------------------------------------------------------

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };

/** Serve dist/site on 127.0.0.1 on a free port. */
export async function serveSite() {
  const base = join(DIST, 'site');
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(base, path));
    if (!file.startsWith(base) || !existsSync(file)) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

export const TARGETS = [
  { name: 'file', url: () => pathToFileURL(join(DIST, 'tenpu.html')).href },
  { name: 'served', url: (origin) => `${origin}/` },
];

// ---- network recorder -------------------------------------------------------------------------

/**
 * Records every request of the browser context. `allowedAtLoad` are URLs that may be fetched
 * while the page loads (the page and its own assets when served); after `markLoaded()` only
 * blob: and data: URLs (the worker, the report download) are allowed, and file: for file://.
 */
export function recordRequests(context, target) {
  const seen = [];
  let loaded = false;
  const onRequest = (req) => seen.push({ url: req.url(), afterLoad: loaded });
  context.on('request', onRequest);
  return {
    markLoaded() { loaded = true; },
    all: () => seen.slice(),
    violations(origin) {
      return seen.filter(({ url, afterLoad }) => {
        if (url.startsWith('blob:') || url.startsWith('data:')) return false;
        if (target === 'file') return !(url.startsWith('file:') && !afterLoad);
        // Served: the page and its four assets, during load only.
        const own = ['/', '/index.html', '/app.js', '/tenpu.css', '/tenpu-core.js'].map((p) => origin + p);
        return afterLoad || !own.includes(url);
      });
    },
  };
}

// ---- page helpers -------------------------------------------------------------------------------

/** Open the page with a fragment, wait until the core is ready (footer shows its version). */
export async function openPage(browser, target, origin, fragment = '', opts = {}) {
  const context = await browser.newContext({ viewport: opts.viewport || { width: 1000, height: 900 }, locale: opts.locale || 'ja-JP', acceptDownloads: true });
  const rec = recordRequests(context, target.name);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const url = target.url(origin) + (fragment ? `#${fragment}` : '');
  await page.goto(url, { waitUntil: 'load' });
  rec.markLoaded();
  await page.waitForFunction(() => document.getElementById('version').textContent.startsWith('Tenpu '), null, { timeout: 30000 });
  // Count finished checks: the observer sees #verdict's data-state change.
  await page.evaluate(() => {
    window.__checks = { started: 0, finished: 0 };
    const v = document.getElementById('verdict');
    new MutationObserver(() => {
      const s = v.getAttribute('data-state');
      if (s === 'running') window.__checks.started++;
      else if (s === 'done' || s === 'failed' || s === 'cancelled') window.__checks.finished++;
    }).observe(v, { attributes: true, attributeFilter: ['data-state'] });
  });
  return { context, page, rec, errors, close: () => context.close() };
}

/**
 * Pick files with the file input and wait until the check finishes. `files` are paths or
 * {name, mimeType, buffer}. Returns {state, verdict} of #verdict.
 */
export async function check(page, files, timeout = 60000) {
  const before = await page.evaluate(() => window.__checks.finished);
  await page.setInputFiles('input[type=file]', files);
  await page.waitForFunction((n) => window.__checks.finished > n && document.getElementById('verdict').getAttribute('data-state') !== 'running', before, { timeout });
  return page.evaluate(() => {
    const v = document.getElementById('verdict');
    return { state: v.getAttribute('data-state'), verdict: v.getAttribute('data-verdict'), label: v.querySelector('h2').textContent };
  });
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// The single-file page in Firefox (issue 3: dist/tenpu.html must work from file:// in Chromium
// and Firefox). puppeteer-core drives Debian's firefox-esr over WebDriver BiDi (puppeteer-core
// never downloads a browser). The Chromium tests (page.test.mjs) cover the page in depth; this
// checks that Firefox loads the core from file:// under the page's CSP, gives the right verdicts
// for a clean mail and a dangerous one, and requests nothing but file:, data: and blob: URLs.
//
// Without Firefox (TENPU_FIREFOX, default /usr/bin/firefox-esr) the tests skip and say so;
// `make test-browser` installs firefox-esr first, and sets TENPU_FIREFOX_REQUIRED=1 so that a
// missing browser fails instead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, fixture, skipMsg } from './lib.mjs';

const FIREFOX = process.env.TENPU_FIREFOX || '/usr/bin/firefox-esr';
const REQUIRED = process.env.TENPU_FIREFOX_REQUIRED === '1';
const HAVE = existsSync(FIREFOX);
if (!HAVE && REQUIRED) throw new Error(`${FIREFOX} missing (make tools-firefox installs firefox-esr)`);
const T = { timeout: 180000 };
const PAGE = pathToFileURL(join(DIST, 'tenpu.html')).href;

describe('page in Firefox (file://)', { skip: HAVE ? false : `skipping: ${FIREFOX} absent (apt-get install firefox-esr)` }, () => {
  let browser;
  before(async () => {
    const { default: puppeteer } = await import('puppeteer-core');
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      // No updates, telemetry or other background traffic of its own.
      extraPrefsFirefox: { 'intl.accept_languages': 'ja-JP, ja', 'network.proxy.type': 0 },
    });
  });
  after(async () => {
    if (browser) await browser.close();
  });

  /** Open the page (with a URL fragment), record every request, wait for the core. */
  async function open(fragment) {
    const page = await browser.newPage();
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(PAGE + (fragment ? `#${fragment}` : ''), { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('version').textContent.startsWith('Tenpu '), { timeout: 60000 });
    return { page, requests, errors };
  }

  /** Pick a file with the file input; wait for the verdict. */
  async function check(page, path) {
    await page.evaluate(() => {
      window.__done = false;
      const v = document.getElementById('verdict');
      new MutationObserver(() => {
        const s = v.getAttribute('data-state');
        if (s === 'done' || s === 'failed' || s === 'cancelled') window.__done = true;
      }).observe(v, { attributes: true, attributeFilter: ['data-state'] });
    });
    const input = await page.$('input[type=file]');
    await input.uploadFile(path);
    await page.waitForFunction(() => window.__done, { timeout: 90000 });
    return page.evaluate(() => {
      const v = document.getElementById('verdict');
      return { state: v.getAttribute('data-state'), verdict: v.getAttribute('data-verdict') };
    });
  }

  const offPage = (urls) => urls.filter((u) => !/^(file|data|blob):/.test(u));

  test('a clean reply from the trusted domain gives no_findings; no request leaves the file', T, async (t) => {
    const f = fixture('clean-reply.eml');
    if (!f) return t.skip(skipMsg('clean-reply.eml'));
    const p = await open('trusted=example.co.jp&lang=en');
    try {
      assert.equal(await p.page.evaluate(() => location.protocol), 'file:');
      const csp = await p.page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
      assert.ok(csp.includes("connect-src 'none'") && csp.includes('worker-src blob:'), csp);
      const r = await check(p.page, f);
      assert.deepEqual(r, { state: 'done', verdict: 'no_findings' });
      assert.deepEqual(offPage(p.requests), [], `requests: ${JSON.stringify(p.requests)}`);
      assert.deepEqual(p.errors, []);
    } finally { await p.page.close(); }
  });

  test('the spoofed password-ZIP macro mail is dangerous; no request leaves the file', T, async (t) => {
    const f = fixture('spoofed-zip-macro.eml');
    if (!f) return t.skip(skipMsg('spoofed-zip-macro.eml'));
    const p = await open('lang=ja');
    try {
      const r = await check(p.page, f);
      assert.deepEqual(r, { state: 'done', verdict: 'dangerous' });
      // The reasons are rendered from the core's texts (Japanese).
      const text = await p.page.$eval('#results', (e) => e.textContent);
      assert.match(text, /マクロ/);
      assert.deepEqual(offPage(p.requests), [], `requests: ${JSON.stringify(p.requests)}`);
      assert.deepEqual(p.errors, []);
    } finally { await p.page.close(); }
  });

  test('the CSP blocks network access from the page; the request recorder does see requests', T, async () => {
    // A server that records every hit: anything the CSP let through would be recorded.
    const hits = [];
    const spy = createServer((req, res) => { hits.push(req.url); res.end('x'); });
    await new Promise((ok) => spy.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${spy.address().port}/leak`;
    try {
      // Positive control: on a page without Tenpu's CSP, the same recorder sees the request
      // (the control page's own late requests, e.g. /favicon.ico, are told apart by path).
      const control = await browser.newPage();
      const seen = [];
      control.on('request', (r) => seen.push(r.url()));
      await control.goto(url);
      await control.close();
      assert.ok(seen.includes(url), `recorder saw ${JSON.stringify(seen)}`);
      assert.ok(hits.includes('/leak'), `the control page reached the server: ${JSON.stringify(hits)}`);

      const p = await open('lang=en');
      try {
        const blocked = await p.page.evaluate(async (u) => {
          new Image().src = u + '?img';
          try { await fetch(u + '?fetch'); return false; } catch (_) { return true; }
        }, url);
        assert.equal(blocked, true, 'fetch was refused');
        await new Promise((ok) => setTimeout(ok, 500));
        const fromTenpu = hits.filter((h) => h.startsWith('/leak?'));
        assert.deepEqual(fromTenpu, [], 'no request from the Tenpu page reached the server');
        assert.deepEqual(offPage(p.requests).filter((u) => !u.startsWith(url)), []);
      } finally { await p.page.close(); }
    } finally {
      await new Promise((ok) => spy.close(ok));
    }
  });
});

// Browser tests of the page (issue 3), run by `make test` (node --test, playwright-core driving
// Debian's chromium). Every test runs twice: against dist/tenpu.html opened from file:// (the
// single saved file) and against dist/site/ served from 127.0.0.1.
//
// Test contract: #verdict gets data-verdict = dangerous | suspicious | no_findings when a check
// finishes (removed while one runs); a check that could not finish sets data-state="failed".
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE, TARGETS, check, fixture, launch, openPage, screenshot, serveSite, skipMsg } from './lib.mjs';

const T = { timeout: 120000 };

for (const target of TARGETS) {
  describe(`page (${target.name})`, () => {
    let browser;
    let server;
    let origin = '';
    before(async () => {
      browser = await launch();
      if (target.name === 'served') {
        server = await serveSite();
        origin = server.origin;
      }
    });
    after(async () => {
      if (browser) await browser.close();
      if (server) await server.close();
    });
    const open = (fragment, opts) => openPage(browser, target, origin, fragment, opts);

    test('has a strict CSP, a file input, and sends no request from load to verdict', T, async () => {
      const p = await open('lang=ja');
      try {
        const csp = await p.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
        assert.ok(csp, 'CSP meta present');
        for (const d of ["default-src 'none'", "connect-src 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", 'worker-src blob:', "'wasm-unsafe-eval'"]) {
          assert.ok(csp.includes(d), `CSP has ${d}: ${csp}`);
        }
        assert.ok(!/'unsafe-inline'|'unsafe-eval'/.test(csp), `no unsafe-inline/unsafe-eval: ${csp}`);
        assert.equal(await p.page.locator('input[type=file]').count(), 1);
        const r = await check(p.page, fixture('invoice.exe'));
        assert.equal(r.verdict, 'dangerous');
        const bad = p.rec.violations(origin);
        assert.deepEqual(bad, [], `network requests: ${JSON.stringify(p.rec.all())}`);
        assert.ok(p.rec.all().some((r2) => r2.url.startsWith('blob:')), 'the worker was started from a Blob URL');
        assert.deepEqual(p.errors, []);
      } finally { await p.close(); }
    });

    test('the CSP itself blocks network access from the page and from the worker', T, async () => {
      // A server that counts every hit: if the CSP let anything through, it would be counted.
      let hits = 0;
      const spy = createServer((req, res) => { hits++; res.end('x'); });
      await new Promise((ok) => spy.listen(0, '127.0.0.1', ok));
      const url = `http://127.0.0.1:${spy.address().port}/leak`;
      const p = await open('lang=en');
      try {
        const r = await p.page.evaluate(async (u) => {
          const seen = [];
          document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
          const f = await fetch(u).then(() => 'sent', () => 'blocked');
          navigator.sendBeacon(u, 'x'); // queued; the CSP stops it before it leaves (hits stays 0)
          const img = document.createElement('img');
          img.src = u + '.png';
          document.body.append(img);
          await new Promise((ok) => setTimeout(ok, 500));
          img.remove();
          return { f, seen };
        }, url);
        assert.equal(r.f, 'blocked');
        assert.ok(r.seen.includes('connect-src'), JSON.stringify(r.seen));
        assert.ok(r.seen.includes('img-src'), JSON.stringify(r.seen));
        const workers = p.page.workers();
        assert.ok(workers.length >= 1, 'the core runs in a worker');
        const w = await workers[0].evaluate((u) => fetch(u).then(() => 'sent', () => 'blocked'), url);
        assert.equal(w, 'blocked', 'the Blob worker inherits the page CSP');
        assert.equal(hits, 0, 'nothing reached the server');
      } finally {
        await p.close();
        await new Promise((ok) => spy.close(ok));
      }
    });

    test('invoice.exe is dangerous, with reasons and the object list', T, async () => {
      const p = await open('lang=ja');
      try {
        const r = await check(p.page, fixture('invoice.exe'));
        assert.equal(r.state, 'done');
        assert.equal(r.verdict, 'dangerous');
        assert.equal(r.label, '危険');
        const card = p.page.locator('#results article').first();
        assert.equal(await card.getAttribute('data-verdict'), 'dangerous');
        assert.match(await card.textContent(), /file\.executable/);
        assert.match(await card.locator('code.hash').first().textContent(), /^[0-9a-f]{64}$/);
        // The verdict region is announced to screen readers.
        assert.equal(await p.page.getAttribute('#verdict', 'aria-live'), 'polite');
        await screenshot(p.page, `${target.name}-dangerous`);
        // "Save report" downloads the JSON report, the same structure as `tenpu check --json`.
        const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.click('#save-report')]);
        const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
        assert.equal(json.verdict, 'dangerous');
        assert.equal(json.file, 'invoice.exe');
        // "Copy report" copies the CLI's plain text (ja while the page is Japanese).
        const text = await p.page.evaluate(() => window.tenpuReportText());
        assert.match(text, /^invoice\.exe: 危険/);
      } finally { await p.close(); }
    });

    test('notes.txt gives no_findings (never "safe")', T, async () => {
      const p = await open('lang=en');
      try {
        const r = await check(p.page, fixture('notes.txt'));
        assert.equal(r.verdict, 'no_findings');
        assert.equal(r.label, 'No problems found');
        assert.match(await p.page.textContent('#verdict-action'), /not a guarantee/);
        await screenshot(p.page, `${target.name}-no_findings`);
      } finally { await p.close(); }
    });

    test('spoofed password-ZIP macro mail is dangerous', T, async (t) => {
      const f = fixture('spoofed-zip-macro.eml');
      if (!f) return t.skip(skipMsg('spoofed-zip-macro.eml'));
      const p = await open('lang=ja');
      try {
        const r = await check(p.page, f);
        assert.equal(r.verdict, 'dangerous');
        const card = p.page.locator('#results article').first();
        // Sender as displayed vs the real address, with the differing domain highlighted.
        assert.ok(await card.locator('.mail mark').count() >= 1, 'a differing domain is highlighted');
        // The archive tree is nested (mail > zip > ...).
        assert.ok(await card.locator('.tree ul li').count() >= 1, 'nested objects shown');
        // A password found in the body is masked until asked for.
        const secrets = card.locator('code.secret');
        if (await secrets.count()) {
          const masked = await secrets.first().textContent();
          assert.match(masked, /\*/);
          await card.locator('details:has(code.secret) > summary').first().click();
          await card.locator('details:has(code.secret) dd button').first().click();
          assert.notEqual(await secrets.first().textContent(), masked, 'revealed on click');
          assert.doesNotMatch(await secrets.first().textContent(), /^\**$/);
        }
        await screenshot(p.page, `${target.name}-dangerous-mail`);
      } finally { await p.close(); }
    });

    test('clean reply from the trusted domain gives no_findings', T, async (t) => {
      const f = fixture('clean-reply.eml');
      if (!f) return t.skip(skipMsg('clean-reply.eml'));
      const p = await open('trusted=example.co.jp');
      try {
        const r = await check(p.page, f);
        assert.equal(r.verdict, 'no_findings');
      } finally { await p.close(); }
    });

    test('organisation config: banner shown, org impersonation is suspicious', T, async (t) => {
      const p = await open(`trusted=med.or.jp,po.med.or.jp&org=${encodeURIComponent('日本医師会')}&lang=ja`);
      try {
        const banner = p.page.locator('#org-banner');
        assert.ok(await banner.isVisible());
        assert.equal(await banner.textContent(), '確認する組織: 日本医師会 (med.or.jp, po.med.or.jp)');
        await p.page.click('#lang-switch');
        assert.equal(await banner.textContent(), 'Checking as: 日本医師会 (med.or.jp, po.med.or.jp)');
        await p.page.click('#lang-switch');
        const f = fixture('org-spoof.eml');
        if (!f) return t.skip(skipMsg('org-spoof.eml'));
        const r = await check(p.page, f);
        assert.equal(r.verdict, 'suspicious');
        assert.match(await p.page.locator('#results article').first().textContent(), /mail\.org_impersonation/);
        await screenshot(p.page, `${target.name}-suspicious`);
      } finally { await p.close(); }
    });

    test('hostile names, subjects and bodies show as text and run nothing', T, async () => {
      const p = await open('lang=ja');
      try {
        const scriptsBefore = await p.page.locator('script').count();
        // A bare file whose name is hostile, and hostile.eml (subject, display name, body,
        // attachment name carry <img onerror>, <script> and U+202E).
        const r1 = await check(p.page, [{ name: `${HOSTILE}.txt`, mimeType: 'text/plain', buffer: Buffer.from('x') }]);
        assert.ok(r1.verdict, 'a verdict for the hostile-named file');
        const r2 = await check(p.page, fixture('hostile.eml'));
        assert.ok(r2.verdict, `a verdict for hostile.eml (${r2.state})`);
        const pwned = await p.page.evaluate(() => window.__pwned);
        assert.equal(pwned, undefined, 'no handler from content ran');
        assert.equal(await p.page.locator('img').count(), 0, 'no <img> created from content');
        assert.equal(await p.page.locator('script').count(), scriptsBefore, 'no <script> created from content');
        assert.equal(await p.page.locator('#results b, #results iframe, #results object, #results embed').count(), 0);
        const text = await p.page.locator('#results').textContent();
        assert.ok(!text.includes('\u202E'), 'no raw U+202E in the DOM text');
        // hostile.eml's card (the second batch replaced the first): once the core reports the
        // mail (subject, display name, attachment names), they show literally, U+202E visible.
        const mails = await p.page.locator('#results .mail').count();
        if (mails) {
          assert.ok(text.includes('<script>'), 'markup in hostile.eml shown literally');
          assert.ok(text.includes('⟨U+202E⟩'), 'U+202E made visible in hostile.eml');
        }
        // And the bare file: check it again on its own to look at its card.
        await check(p.page, [{ name: `${HOSTILE}.txt`, mimeType: 'text/plain', buffer: Buffer.from('x') }]);
        const t2 = await p.page.locator('#results').textContent();
        assert.ok(t2.includes('⟨U+202E⟩'), 'U+202E in a file name made visible');
        assert.ok(t2.includes('<img src=x onerror=window.__pwned=1>'), 'file name shown literally');
        assert.equal(await p.page.locator('img').count(), 0);
        assert.equal(await p.page.evaluate(() => window.__pwned), undefined);
        assert.deepEqual(p.errors, []);
      } finally { await p.close(); }
    });

    test('a trap in the worker ends in "could not finish", and the next check works', T, async () => {
      const p = await open('lang=ja&debug=trap');
      try {
        const r = await check(p.page, fixture('notes.txt'));
        assert.equal(r.state, 'failed');
        assert.equal(r.verdict, null, 'no verdict after a failure');
        assert.equal(r.label, '検査を完了できませんでした');
        assert.match(await p.page.textContent('#results'), /unreachable/i);
        await screenshot(p.page, `${target.name}-failed`);
        // Same page, hook off: the replaced worker checks normally.
        await p.page.evaluate(() => { location.hash = 'lang=ja'; });
        const r2 = await check(p.page, fixture('invoice.exe'));
        assert.equal(r2.verdict, 'dangerous');
      } finally { await p.close(); }
    });

    test('a worker past its time limit is stopped: "could not finish", then the next check works', T, async () => {
      const p = await open('lang=en&debug=hang&timeout=1');
      try {
        const t0 = Date.now();
        const r = await check(p.page, fixture('notes.txt'), 30000);
        assert.equal(r.state, 'failed');
        assert.equal(r.verdict, null);
        assert.equal(r.label, 'Could not finish checking');
        assert.match(await p.page.textContent('#results'), /time limit \(1 s\)/);
        assert.ok(Date.now() - t0 < 20000, 'stopped near the limit');
        await p.page.evaluate(() => { location.hash = 'lang=en&timeout=30'; });
        const r2 = await check(p.page, fixture('notes.txt'));
        assert.equal(r2.verdict, 'no_findings');
      } finally { await p.close(); }
    });

    test('cancel stops a running check without a verdict', T, async () => {
      const p = await open('lang=en&debug=hang&timeout=60');
      try {
        await p.page.setInputFiles('input[type=file]', fixture('notes.txt'));
        await p.page.waitForSelector('#verdict[data-state=running]');
        assert.equal(await p.page.getAttribute('#verdict', 'data-verdict'), null, 'no data-verdict while running');
        await p.page.waitForSelector('#cancel', { state: 'visible' });
        await p.page.waitForFunction(() => /Checking: notes\.txt \(\d+ s\)/.test(document.getElementById('progress-text').textContent));
        await p.page.click('#cancel');
        await p.page.waitForSelector('#verdict[data-state=cancelled]');
        assert.equal(await p.page.getAttribute('#verdict', 'data-verdict'), null);
        await p.page.evaluate(() => { location.hash = 'lang=en'; });
        const r = await check(p.page, fixture('invoice.exe'));
        assert.equal(r.verdict, 'dangerous');
      } finally { await p.close(); }
    });

    test('dropping a file anywhere and pasting a file both start a check', T, async () => {
      const p = await open('lang=en');
      try {
        const pe = [...readFileSync(fixture('invoice.exe'))];
        const fire = (type) => p.page.evaluate(([bytes, kind]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], 'dropped.exe'));
          if (kind === 'drop') {
            document.querySelector('footer').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
          } else {
            document.body.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));
          }
        }, [pe, type]);
        for (const kind of ['drop', 'paste']) {
          const before = await p.page.evaluate(() => window.__checks.finished);
          await fire(kind);
          await p.page.waitForFunction((n) => window.__checks.finished > n, before);
          assert.equal(await p.page.getAttribute('#verdict', 'data-verdict'), 'dangerous', kind);
          assert.match(await p.page.textContent('#results'), /dropped\.exe/);
        }
      } finally { await p.close(); }
    });

    test('several files: one card each, #verdict shows the worst', T, async () => {
      const p = await open('lang=en');
      try {
        const r = await check(p.page, [fixture('notes.txt'), fixture('invoice.exe')]);
        assert.equal(r.verdict, 'dangerous');
        const cards = p.page.locator('#results article');
        assert.equal(await cards.count(), 2);
        assert.equal(await cards.nth(0).getAttribute('data-verdict'), 'no_findings');
        assert.equal(await cards.nth(1).getAttribute('data-verdict'), 'dangerous');
        assert.match(await p.page.textContent('#verdict-note'), /most serious result of 2 files/);
      } finally { await p.close(); }
    });

    test('Japanese and English both render, and the switch changes the language', T, async () => {
      const p = await open('', { locale: 'ja-JP' });
      try {
        assert.equal(await p.page.getAttribute('html', 'lang'), 'ja', 'follows the browser language');
        await check(p.page, fixture('invoice.exe'));
        assert.equal(await p.page.textContent('#verdict-label'), '危険');
        assert.match(await p.page.textContent('#verdict-action'), /添付ファイルを開かないでください/);
        assert.match(await p.page.textContent('#results'), /実行ファイル|プログラム|実行/);
        await p.page.click('#lang-switch');
        assert.equal(await p.page.getAttribute('html', 'lang'), 'en');
        assert.equal(await p.page.textContent('#verdict-label'), 'Dangerous');
        assert.match(await p.page.textContent('#verdict-action'), /Do not open the attachment/);
        assert.match(await p.page.evaluate(() => window.tenpuReportText()), /^invoice\.exe: Dangerous/);
        await screenshot(p.page, `${target.name}-dangerous-en`);
      } finally { await p.close(); }
      const q = await open('', { locale: 'en-US' });
      try {
        assert.equal(await q.page.getAttribute('html', 'lang'), 'en');
        assert.equal(await q.page.textContent('#lang-switch'), '日本語');
      } finally { await q.close(); }
    });

    test('keyboard only: Tab reaches the file button and a finding; Enter opens it', T, async () => {
      const p = await open('lang=en');
      try {
        await check(p.page, fixture('invoice.exe'));
        await p.page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
        const seen = [];
        let summary = false;
        for (let i = 0; i < 40 && !summary; i++) {
          await p.page.keyboard.press('Tab');
          const el = await p.page.evaluate(() => {
            const a = document.activeElement;
            return a ? `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''}${a.type ? '[' + a.type + ']' : ''}` : '';
          });
          seen.push(el);
          summary = el === 'summary';
        }
        assert.ok(seen.includes('input#file[file]'), `Tab reached the file input: ${seen.join(' ')}`);
        assert.ok(summary, `Tab reached a <details> summary: ${seen.join(' ')}`);
        const open1 = await p.page.evaluate(() => document.activeElement.parentElement.open);
        assert.equal(open1, false);
        await p.page.keyboard.press('Enter');
        const open2 = await p.page.evaluate(() => document.activeElement.parentElement.open);
        assert.equal(open2, true, 'Enter opened the details');
        assert.match(await p.page.evaluate(() => document.activeElement.parentElement.textContent), /What to do/);
      } finally { await p.close(); }
    });

    test('phone width: no horizontal scrolling', T, async () => {
      const p = await open('lang=ja', { viewport: { width: 360, height: 740 } });
      try {
        await check(p.page, [fixture('invoice.exe'), fixture('notes.txt')]);
        await p.page.locator('#results details summary').first().click();
        const { sw, cw } = await p.page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
        assert.ok(sw <= cw + 1, `scrollWidth ${sw} > clientWidth ${cw}`);
        await screenshot(p.page, `${target.name}-phone`);
      } finally { await p.close(); }
    });

    if (target.name === 'file') {
      test('"save this page" offers the single file, and the saved copy works from file://', T, async () => {
        const p = await open('lang=en');
        let savedPath;
        try {
          const [download] = await Promise.all([p.page.waitForEvent('download'), p.page.click('#download')]);
          const html = readFileSync(await download.path(), 'utf8');
          assert.ok(html.startsWith('<!DOCTYPE html>'));
          assert.ok(html.includes('Content-Security-Policy'));
          assert.ok(html.includes('id="tenpu-wasm"'));
          savedPath = join(mkdtempSync(join(tmpdir(), 'tenpu-saved-')), 'tenpu.html');
          writeFileSync(savedPath, html);
        } finally { await p.close(); }
        const saved = { name: 'file', url: () => pathToFileURL(savedPath).href };
        const q = await openPage(browser, saved, '', 'lang=en');
        try {
          const r = await check(q.page, fixture('invoice.exe'));
          assert.equal(r.verdict, 'dangerous');
          assert.deepEqual(q.errors, []);
        } finally { await q.close(); }
      });
    }
  });
}

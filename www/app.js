// Tenpu page: main thread. Reads files, hands them to the wasm core in a Web Worker, and shows
// the verdict and the reasons. All texts about verdicts and findings come from the core
// (`texts()`, src/codes.rs); only the page's own chrome (buttons, headings) is defined here.
//
// Security rules kept throughout this file:
// - content from files (names, subjects, addresses, bodies, evidence) reaches the DOM only via
//   text nodes (`textContent` / `createTextNode`), never as markup; there is no innerHTML here;
// - invisible and bidirectional control characters in content are made visible (⟨U+202E⟩);
// - no network: the core is embedded, the worker comes from a Blob URL, the CSP forbids the rest.
'use strict';
(() => {
  // ---- the embedded core --------------------------------------------------------------------
  // Single-file build: the wasm (LZMA or gzip, base64) and the worker source sit in non-executed
  // <script type="text/plain"> blocks. Hosted build: tenpu-core.js set self.TENPU_CORE.
  const wasmEl = document.getElementById('tenpu-wasm');
  const workerEl = document.getElementById('tenpu-worker');
  const SINGLE = !!(wasmEl && workerEl);
  // The page's own source, captured before anything changes the DOM: "save this page" in the
  // single-file build offers exactly this file again.
  const PAGE_SOURCE = SINGLE ? '<!DOCTYPE html>\n' + document.documentElement.outerHTML : null;
  const CORE = SINGLE
    ? { wasm: wasmEl.textContent.trim(), worker: workerEl.textContent }
    : (self.TENPU_CORE || { wasm: '', worker: '' });

  function fromBase64(b64) {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  const WASM_PACKED = fromBase64(CORE.wasm);
  const WORKER_URL = URL.createObjectURL(new Blob([CORE.worker], { type: 'text/javascript' }));

  // ---- page texts (chrome only; verdict and finding texts come from the core) ----------------
  const UI = {
    ja: {
      title: 'Tenpu（添付）',
      intakeH: '怪しいメールや添付ファイルを検査します',
      intakeP: 'メール（.eml / .msg）や添付ファイルを、このページのどこにでもドロップするか、ボタンで選んでください。貼り付け（Ctrl+V）でも検査できます。',
      pick: 'ファイルを選ぶ:',
      idle: 'まだ何も検査していません',
      reading: '読み込んでいます',
      starting: '検査の準備をしています',
      analysing: '検査しています',
      fileOf: (i, n) => `ファイル ${i} / ${n}`,
      seconds: (s) => `${s} 秒`,
      cancel: '中止',
      cancelled: '検査を中止しました',
      cancelledAction: '結果は出ていません。もう一度ファイルを選ぶと検査できます。',
      worstOf: (n) => `${n} 件のファイルのうち、最も注意が必要な結果を表示しています。ファイルごとの結果は下にあります。`,
      someFailed: '一部のファイルは検査を完了できませんでした。',
      incomplete: '※ 一部を検査できませんでした。下の理由を確認してください。',
      copy: '報告をコピー',
      save: '報告を保存（JSON）',
      copied: 'コピーしました',
      copyFailed: 'コピーできませんでした',
      privacyH: 'ファイルはこのコンピューターから出ません',
      privacyP: '検査はすべてこのブラウザーの中で行われ、ファイルも結果もどこにも送信されません。このページは通信そのものを禁止する設定（Content-Security-Policy）で動いています。確かめるには、開発者ツール（F12）の「ネットワーク」タブを開いたまま検査するか、ネットワークを切断（機内モード）してから使ってください。',
      download: 'このページを保存（1 ファイルで、オフラインでも使えます）',
      langSwitch: 'English',
      langSwitchLang: 'en',
      orgBanner: '確認する組織: ',
      sender: '差出人',
      displayName: '表示名',
      realAddress: '実際のアドレス',
      replyTo: '返信先',
      to: '宛先',
      subject: '件名',
      date: '日付',
      attachments: '添付',
      replyHeaders: '返信ヘッダ',
      present: 'あり',
      absent: 'なし',
      body: '本文（テキストとして表示）',
      reasons: '見つかったこと',
      noReasons: '問題になる点は見つかりませんでした。',
      explanation: '説明',
      action: 'すること',
      evidence: '根拠',
      location: '場所',
      tags: '分類',
      password: 'パスワード',
      show: '表示する',
      hide: '隠す',
      objects: '検査したもの',
      size: 'サイズ',
      kind: '種類',
      copyShort: 'コピー',
      bytes: 'バイト',
      queued: '待機中',
      running: '検査中',
      sev: { high: '危険', medium: '注意', low: '軽微', info: '情報' },
      invisible: '見えない文字・制御文字',
      detail: '詳細: ',
      timeout: (s) => `制限時間（${s} 秒）内に終わりませんでした。`,
      cannotStart: 'このブラウザーでは検査エンジンを起動できませんでした。',
      failedFallback: '検査を完了できませんでした',
      failedFallbackAction: '中身を確認できていません。開く前に送信者に確認するか、情報システム担当に相談してください。',
      results: '結果',
    },
    en: {
      title: 'Tenpu',
      intakeH: 'Check a suspicious mail or attachment',
      intakeP: 'Drop a mail (.eml / .msg) or an attachment anywhere on this page, or pick it with the button. Pasting (Ctrl+V) works too.',
      pick: 'Choose files:',
      idle: 'Nothing checked yet',
      reading: 'Reading',
      starting: 'Getting ready',
      analysing: 'Checking',
      fileOf: (i, n) => `File ${i} of ${n}`,
      seconds: (s) => `${s} s`,
      cancel: 'Cancel',
      cancelled: 'Checking was cancelled',
      cancelledAction: 'There is no result. Choose the file again to check it.',
      worstOf: (n) => `Showing the most serious result of ${n} files. Each file's result is below.`,
      someFailed: 'Some files could not be checked completely.',
      incomplete: 'Note: part of it could not be inspected. See the reasons below.',
      copy: 'Copy report',
      save: 'Save report (JSON)',
      copied: 'Copied',
      copyFailed: 'Could not copy',
      privacyH: 'Your files never leave this computer',
      privacyP: 'Everything is checked inside this browser; neither the files nor the results are sent anywhere. The page runs under a Content-Security-Policy that forbids network access altogether. To verify: keep the Network tab of the developer tools (F12) open while checking, or disconnect from the network (airplane mode) before using it.',
      download: 'Save this page (one file, works offline)',
      langSwitch: '日本語',
      langSwitchLang: 'ja',
      orgBanner: 'Checking as: ',
      sender: 'Sender',
      displayName: 'Display name',
      realAddress: 'Real address',
      replyTo: 'Reply-To',
      to: 'To',
      subject: 'Subject',
      date: 'Date',
      attachments: 'Attachments',
      replyHeaders: 'Reply headers',
      present: 'present',
      absent: 'absent',
      body: 'Body (shown as text)',
      reasons: 'What was found',
      noReasons: 'Nothing of concern was found.',
      explanation: 'Why',
      action: 'What to do',
      evidence: 'Evidence',
      location: 'Where',
      tags: 'Categories',
      password: 'Password',
      show: 'Show',
      hide: 'Hide',
      objects: 'What was inspected',
      size: 'Size',
      kind: 'Type',
      copyShort: 'Copy',
      bytes: 'bytes',
      queued: 'Waiting',
      running: 'Checking',
      sev: { high: 'high', medium: 'medium', low: 'low', info: 'info' },
      invisible: 'invisible or control character',
      detail: 'Detail: ',
      timeout: (s) => `It did not finish within the time limit (${s} s).`,
      cannotStart: 'The checking engine could not start in this browser.',
      failedFallback: 'Could not finish checking',
      failedFallbackAction: 'Its content could not be checked. Confirm with the sender or ask your IT contact before opening it.',
      results: 'Results',
    },
  };

  // ---- configuration from the URL fragment -----------------------------------------------------
  // #trusted=med.or.jp,po.med.or.jp&org=日本医師会&lang=ja&timeout=60&debug=trap|oom|hang
  function readConfig() {
    const cfg = { trusted: [], org: [], lang: null, timeout: 60, debug: null };
    const raw = location.hash.replace(/^#/, '');
    for (const part of raw.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
      let value = eq < 0 ? '' : part.slice(eq + 1);
      try { value = decodeURIComponent(value.replace(/\+/g, ' ')); } catch (_) { /* keep raw */ }
      const list = () => value.split(',').map((s) => s.trim()).filter(Boolean);
      if (key === 'trusted') cfg.trusted = list().map((d) => d.toLowerCase());
      else if (key === 'org') cfg.org = list();
      else if (key === 'lang' && (value === 'ja' || value === 'en')) cfg.lang = value;
      else if (key === 'timeout') {
        const s = Number(value);
        if (Number.isFinite(s) && s > 0) cfg.timeout = Math.min(s, 3600);
      } else if (key === 'debug' && (value === 'trap' || value === 'oom' || value === 'hang')) cfg.debug = value;
    }
    return cfg;
  }
  let config = readConfig();

  function browserLang() {
    const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    return String(langs[0] || 'en').toLowerCase().startsWith('ja') ? 'ja' : 'en';
  }
  let lang = config.lang || browserLang();
  const ui = () => UI[lang];

  // ---- DOM helpers (text only) ----------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'hidden') el.hidden = true;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  // Characters a reader cannot see or that reorder text: C0/C1 controls, soft hyphen, Arabic
  // letter mark, Hangul fillers, zero-width characters, bidi embeddings/overrides/isolates,
  // invisible operators, BOM, interlinear annotations, tag characters.
  const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{E0000}-\u{E007F}]/gu;
  const INVISIBLE_LINE = /[\u000A\u000D\u0009]/;

  /// Content as a fragment of text nodes, with invisible characters shown as ⟨U+XXXX⟩.
  function vis(s, multiline) {
    const frag = document.createDocumentFragment();
    const str = String(s ?? '');
    let last = 0;
    for (const m of str.matchAll(INVISIBLE)) {
      if (m.index > last) frag.append(document.createTextNode(str.slice(last, m.index)));
      const cp = m[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0');
      frag.append(h('span', { class: 'invis', title: ui().invisible }, `⟨U+${cp}⟩`));
      last = m.index + m[0].length;
    }
    const rest = str.slice(last);
    if (rest) frag.append(document.createTextNode(rest));
    if (!multiline) {
      // Line breaks in a one-line value (a name, a subject) are suspicious too: show them.
      for (const node of [...frag.childNodes]) {
        if (node.nodeType !== Node.TEXT_NODE || !INVISIBLE_LINE.test(node.data)) continue;
        const parts = node.data.split(/([\n\r\t])/);
        const repl = parts.map((p) => (/^[\n\r\t]$/.test(p)
          ? h('span', { class: 'invis', title: ui().invisible }, `⟨U+${p.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`)
          : document.createTextNode(p)));
        node.replaceWith(...repl);
      }
    }
    return frag;
  }
  const nameEl = (s) => h('span', { class: 'name' }, vis(s));

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const ICONS = {
    dangerous: [['polygon', { points: '8,2 16,2 22,8 22,16 16,22 8,22 2,16 2,8', fill: 'currentColor' }],
      ['rect', { x: '10.8', y: '6', width: '2.4', height: '8.5', fill: '#fff' }],
      ['rect', { x: '10.8', y: '16.2', width: '2.4', height: '2.4', fill: '#fff' }]],
    suspicious: [['polygon', { points: '12,1.5 23,21.5 1,21.5', fill: 'currentColor' }],
      ['rect', { x: '10.8', y: '8', width: '2.4', height: '7', fill: '#fff' }],
      ['rect', { x: '10.8', y: '16.8', width: '2.4', height: '2.4', fill: '#fff' }]],
    no_findings: [['circle', { cx: '12', cy: '12', r: '10.5', fill: 'currentColor' }],
      ['polyline', { points: '6.8,12.6 10.4,16.2 17.4,8.4', fill: 'none', stroke: '#fff', 'stroke-width': '2.6' }]],
    failed: [['circle', { cx: '12', cy: '12', r: '10.5', fill: 'currentColor' }],
      ['path', { d: 'M8.8 9.2a3.2 3.2 0 1 1 4.4 3c-.8.3-1.2.9-1.2 1.7v.6', fill: 'none', stroke: '#fff', 'stroke-width': '2.4' }],
      ['rect', { x: '10.8', y: '16.4', width: '2.4', height: '2.4', fill: '#fff' }]],
    cancelled: [['circle', { cx: '12', cy: '12', r: '10.5', fill: 'currentColor' }],
      ['rect', { x: '6.5', y: '10.8', width: '11', height: '2.4', fill: '#fff' }]],
    running: [['circle', { cx: '12', cy: '12', r: '9', fill: 'none', stroke: 'currentColor', 'stroke-width': '2.5', 'stroke-dasharray': '4 3' }]],
    idle: [['circle', { cx: '12', cy: '12', r: '9', fill: 'none', stroke: 'currentColor', 'stroke-width': '2' }]],
  };
  function icon(name) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    for (const [tag, attrs] of ICONS[name] || ICONS.idle) {
      const el = document.createElementNS(SVG_NS, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      svg.append(el);
    }
    return svg;
  }

  function formatSize(n) {
    const t = ui();
    const num = Number(n) || 0;
    const exact = `${num.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US')} ${t.bytes}`;
    if (num < 1024) return exact;
    const units = ['KiB', 'MiB', 'GiB'];
    let v = num; let u = -1;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]} (${exact})`;
  }

  // Same rule as the core's render::mask: first and last character kept.
  function mask(secret) {
    const chars = [...String(secret)];
    if (chars.length <= 2) return '*'.repeat(chars.length);
    return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
  }

  async function copyText(text) {
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch (_) { /* fall back below */ }
    const ta = h('textarea', { class: 'offscreen', 'aria-hidden': 'true' });
    ta.value = text;
    ta.readOnly = true;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
    ta.remove();
    return ok;
  }

  // ---- the worker that runs the core -------------------------------------------------------------
  const core = {
    worker: null,
    ready: null,
    resolveReady: null,
    texts: null,
    version: '',
    initError: '',
    pending: null,
    seq: 0,
    start() {
      const w = new Worker(WORKER_URL, { name: 'tenpu-core' });
      this.worker = w;
      this.ready = new Promise((resolve) => { this.resolveReady = resolve; });
      w.onmessage = (e) => this.onMessage(w, e.data);
      w.onerror = (e) => { if (e && e.preventDefault) e.preventDefault(); this.crash(w, 'worker error: ' + ((e && e.message) || '')); };
      w.onmessageerror = () => this.crash(w, 'worker message error');
      const copy = WASM_PACKED.slice();
      w.postMessage({ type: 'init', wasm: copy.buffer }, [copy.buffer]);
    },
    onMessage(w, m) {
      if (w !== this.worker || !m) return;
      if (m.type === 'ready') {
        const first = !this.texts;
        this.texts = m.texts;
        this.version = m.version;
        this.initError = '';
        this.resolveReady(true);
        if (first) onTexts();
      } else if (m.type === 'init-error') {
        this.initError = m.message;
        this.resolveReady(false);
      } else if (m.type === 'result' || m.type === 'error') {
        if (!this.pending || this.pending.id !== m.id) return;
        if (m.type === 'result') {
          this.finish({ ok: true, out: m.out });
        } else {
          // The instance may be poisoned after a trap: never reuse it.
          this.finish({ ok: false, error: m.message });
          this.restart();
        }
      }
    },
    crash(w, message) {
      if (w !== this.worker) return;
      if (this.pending) {
        this.finish({ ok: false, error: message });
        this.restart();
      } else {
        this.initError = message;
        this.resolveReady(false);
      }
    },
    // The time limit covers everything: starting the worker, unpacking and compiling the wasm,
    // and the check itself.
    async run(name, buffer, options, debug, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const readyOrTimeout = () => Promise.race([
        this.ready,
        new Promise((r) => setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now()))),
      ]);
      if (!this.worker) this.start();
      let ok = await readyOrTimeout();
      if (ok === false) {
        this.restart();
        ok = await readyOrTimeout();
        if (ok === false) return { ok: false, cannotStart: true, error: this.initError };
      }
      if (ok === 'timeout') {
        this.restart();
        return { ok: false, timeout: true };
      }
      return new Promise((resolve) => {
        const id = ++this.seq;
        const timer = setTimeout(() => {
          if (this.pending && this.pending.id === id) {
            this.finish({ ok: false, timeout: true });
            this.restart();
          }
        }, Math.max(0, deadline - Date.now()));
        this.pending = { id, resolve, timer };
        this.worker.postMessage({ type: 'check', id, name, bytes: buffer, options, debug }, [buffer]);
      });
    },
    finish(result) {
      const p = this.pending;
      if (!p) return;
      this.pending = null;
      clearTimeout(p.timer);
      p.resolve(result);
    },
    cancel() {
      const busy = !!this.pending;
      if (busy) this.finish({ ok: false, cancelled: true });
      if (busy) this.restart();
    },
    restart() {
      if (this.worker) this.worker.terminate();
      this.worker = null;
      this.start();
    },
  };

  const codeInfo = (code) => (core.texts ? core.texts.codes.find((c) => c.code === code) : null);
  const verdictInfo = (v) => (core.texts ? core.texts.verdicts.find((x) => x.verdict === v) : null);
  function failedTexts() {
    const c = codeInfo('check.failed');
    return c
      ? { title: c.title[lang], explanation: c.explanation[lang], action: c.action[lang] }
      : { title: ui().failedFallback, explanation: '', action: ui().failedFallbackAction };
  }

  // ---- jobs -------------------------------------------------------------------------------------
  // One batch = the files of one drop / pick / paste. A new batch replaces the shown results,
  // unless a batch is still running (then the files join it).
  let batch = [];
  let current = null;
  let jobSeq = 0;
  let tick = null;

  function options() {
    return { trusted_domains: config.trusted.slice(), org_names: config.org.slice() };
  }

  function addFiles(files) {
    const list = [...files].filter(Boolean);
    if (!list.length) return;
    const running = batch.some((j) => j.status === 'queued' || j.status === 'running');
    if (!running) {
      batch = [];
      $('results').replaceChildren();
    }
    for (const f of list) {
      const job = { id: ++jobSeq, file: f, name: f.name || 'input', size: f.size, status: 'queued', phase: null, out: null, error: null, started: 0, card: null };
      batch.push(job);
      job.card = h('article', { class: 'card' });
      $('results').append(job.card);
      renderCard(job);
    }
    renderVerdict();
    pump();
  }

  async function pump() {
    if (current) return;
    const job = batch.find((j) => j.status === 'queued');
    if (!job) { stopTick(); renderVerdict(); return; }
    current = job;
    job.status = 'running';
    job.phase = 'reading';
    job.started = Date.now();
    startTick();
    renderCard(job);
    renderVerdict();
    let buffer;
    try {
      buffer = await job.file.arrayBuffer();
    } catch (err) {
      if (job.status === 'running') {
        job.status = 'failed';
        job.error = String((err && err.message) || err);
      }
      return next(job);
    }
    if (job.status !== 'running') return next(job);
    job.phase = core.texts ? 'analysing' : 'starting';
    renderVerdict();
    const cfgTimeout = config.timeout;
    const resultP = core.run(job.name, buffer, options(), config.debug, cfgTimeout * 1000);
    core.ready.then(() => { if (job.status === 'running') { job.phase = 'analysing'; renderVerdict(); } });
    const r = await resultP;
    if (job.status !== 'running') return next(job);
    if (r.ok) {
      job.status = 'done';
      job.out = r.out;
    } else if (r.cancelled) {
      job.status = 'cancelled';
    } else {
      job.status = 'failed';
      job.error = r.timeout ? ui().timeout(cfgTimeout) : (r.cannotStart ? ui().cannotStart + ' ' + (r.error || '') : r.error || '');
    }
    next(job);
  }

  function next(job) {
    if (current === job) current = null;
    renderCard(job);
    renderVerdict();
    pump();
  }

  function cancelAll() {
    for (const j of batch) {
      if (j.status === 'queued' || j.status === 'running') {
        j.status = 'cancelled';
        renderCard(j);
      }
    }
    core.cancel();
    current = null;
    stopTick();
    renderVerdict();
  }

  function startTick() {
    if (!tick) tick = setInterval(renderProgress, 500);
  }
  function stopTick() {
    if (tick) clearInterval(tick);
    tick = null;
  }

  // ---- the verdict region ---------------------------------------------------------------------------
  const RANK = { no_findings: 0, suspicious: 1, dangerous: 2 };

  // The overall state shown in #verdict for a batch:
  //   any file dangerous                         -> dangerous (a certain answer stays certain)
  //   else any file failed                       -> failed ("could not finish", never clean)
  //   else any file cancelled                    -> cancelled
  //   else the worst verdict (suspicious > no_findings).
  function overall() {
    if (!batch.length) return { state: 'idle' };
    if (batch.some((j) => j.status === 'queued' || j.status === 'running')) return { state: 'running' };
    const done = batch.filter((j) => j.status === 'done');
    const worst = done.reduce((w, j) => (w === null || RANK[j.out.report.verdict] > RANK[w] ? j.out.report.verdict : w), null);
    const failed = batch.some((j) => j.status === 'failed');
    const cancelled = batch.some((j) => j.status === 'cancelled');
    if (worst === 'dangerous') return { state: 'done', verdict: worst, partial: failed || cancelled };
    if (failed) return { state: 'failed' };
    if (cancelled) return { state: 'cancelled' };
    return { state: 'done', verdict: worst || 'no_findings', partial: false };
  }

  function renderVerdict() {
    const t = ui();
    const el = $('verdict');
    const o = overall();
    el.setAttribute('data-state', o.state);
    if (o.state === 'done') el.setAttribute('data-verdict', o.verdict);
    else el.removeAttribute('data-verdict');
    let label = '';
    let action = '';
    let note = [];
    let iconName = o.state;
    if (o.state === 'idle') {
      label = t.idle;
    } else if (o.state === 'running') {
      label = t.analysing;
    } else if (o.state === 'done') {
      const v = verdictInfo(o.verdict);
      label = v ? v.label[lang] : o.verdict;
      action = v ? v.action[lang] : '';
      iconName = o.verdict;
      if (batch.length > 1) note.push(t.worstOf(batch.length));
      if (o.partial) note.push(t.someFailed);
      if (batch.some((j) => j.status === 'done' && !j.out.report.complete)) note.push(t.incomplete);
    } else if (o.state === 'failed') {
      const f = failedTexts();
      label = f.title;
      action = f.action;
      note.push(f.explanation);
      if (batch.length > 1) note.push(t.worstOf(batch.length));
    } else if (o.state === 'cancelled') {
      label = t.cancelled;
      action = t.cancelledAction;
    }
    $('verdict-icon').replaceChildren(icon(iconName));
    $('verdict-label').textContent = label;
    $('verdict-action').textContent = action;
    $('verdict-note').textContent = note.filter(Boolean).join(' ');
    $('progress-box').hidden = o.state !== 'running';
    $('report-actions').hidden = !(o.state === 'done' || o.state === 'failed' || o.state === 'cancelled') || !batch.some((j) => j.status === 'done' || j.status === 'failed');
    renderProgress();
  }

  function renderProgress() {
    const t = ui();
    const job = current;
    const bar = $('progress');
    if (!job) { $('progress-text').textContent = ''; return; }
    const idx = batch.indexOf(job) + 1;
    const secs = Math.floor((Date.now() - job.started) / 1000);
    const phase = t[job.phase] || t.analysing;
    $('progress-text').textContent = `${batch.length > 1 ? t.fileOf(idx, batch.length) + ' — ' : ''}${phase}: ${job.name.replace(INVISIBLE, '\uFFFD')} (${t.seconds(secs)})`;
    if (batch.length > 1) { bar.max = batch.length; bar.value = idx - 1; } else { bar.removeAttribute('value'); }
  }

  // ---- a result card per file ---------------------------------------------------------------------------
  function badge(kind, text) {
    return h('span', { class: `badge ${kind}` }, icon(ICONS[kind] ? kind : 'idle'), text);
  }

  function renderCard(job) {
    const t = ui();
    const card = job.card;
    card.removeAttribute('data-verdict');
    card.removeAttribute('data-state');
    const head = h('h3', null, nameEl(job.name), ' ');
    const parts = [head];
    if (job.status === 'queued' || job.status === 'running') {
      card.setAttribute('data-state', job.status);
      head.append(badge(job.status, job.status === 'queued' ? t.queued : t.running));
      parts.push(h('p', { class: 'meta' }, `${t.size}: ${formatSize(job.size)}`));
    } else if (job.status === 'failed') {
      card.setAttribute('data-state', 'failed');
      const f = failedTexts();
      head.append(badge('failed', f.title));
      parts.push(h('p', null, f.explanation), h('p', null, f.action));
      if (job.error) parts.push(h('p', { class: 'meta err' }, t.detail, vis(job.error)));
    } else if (job.status === 'cancelled') {
      card.setAttribute('data-state', 'cancelled');
      head.append(badge('cancelled', t.cancelled));
    } else if (job.status === 'done') {
      const report = job.out.report;
      card.setAttribute('data-verdict', report.verdict);
      const v = verdictInfo(report.verdict);
      head.append(badge(report.verdict, v ? v.label[lang] : report.verdict));
      if (batch.length > 1 && v) parts.push(h('p', null, v.action[lang]));
      if (!report.complete) parts.push(h('p', { class: 'incomplete' }, t.incomplete));
      for (const m of report.mails || []) parts.push(renderMail(m, report));
      parts.push(renderFindings(report));
      parts.push(renderObjects(report));
    }
    card.replaceChildren(...parts);
  }

  const DOMAIN_RE = /[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;
  // Last labels that are file extensions far more often than top-level domains.
  const FILE_EXTS = new Set(['exe', 'txt', 'pdf', 'doc', 'docx', 'docm', 'xls', 'xlsx', 'xlsm', 'ppt', 'pptx', 'rar', '7z', 'lnk', 'js', 'vbs', 'bat', 'cmd', 'scr', 'iso', 'img', 'html', 'htm', 'jpg', 'png', 'gif', 'eml', 'msg', 'hta', 'wsf', 'ps1', 'dll', 'rtf', 'csv']);
  const under = (d, parent) => d === parent || d.endsWith('.' + parent);
  function domainOf(addr) {
    const s = String(addr || '');
    const at = s.lastIndexOf('@');
    return at >= 0 ? s.slice(at + 1).replace(/>.*$/, '').trim().toLowerCase() : '';
  }

  // Text with the given [start, end) ranges wrapped in <mark>, everything through vis().
  function marked(s, ranges, multiline) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const [a, b] of ranges) {
      if (a > last) frag.append(vis(s.slice(last, a), multiline));
      frag.append(h('mark', null, vis(s.slice(a, b), multiline)));
      last = b;
    }
    if (last < s.length) frag.append(vis(s.slice(last), multiline));
    return frag;
  }

  function renderMail(m, report) {
    const t = ui();
    const realDomain = (m.from_domain || domainOf(m.from_address)).toLowerCase();
    const name = m.from_name || '';
    // Domains written in the display name that are not the real sender's domain.
    const nameRanges = [];
    for (const d of name.matchAll(DOMAIN_RE)) {
      const dom = d[0].toLowerCase();
      const tld = dom.split('.').pop() || '';
      if (!/[a-z]/.test(tld) || FILE_EXTS.has(tld)) continue; // 1.5, 請求書.pdf: not a domain
      if (realDomain && (under(realDomain, dom) || under(dom, realDomain))) continue;
      nameRanges.push([d.index, d.index + d[0].length]);
    }
    const senderCodes = ['mail.display_name_spoof', 'mail.org_impersonation'];
    const flagged = report.findings.some((f) => senderCodes.includes(f.code) && f.location === m.location);
    const rows = [];
    const row = (k, ...v) => rows.push(h('dt', null, k), h('dd', null, ...v));
    if (m.from_name !== null && m.from_name !== undefined) row(t.displayName, h('span', { class: 'name' }, marked(name, nameRanges)));
    if (m.from_address) {
      const addr = m.from_address;
      const at = addr.lastIndexOf('@');
      const ranges = (nameRanges.length || flagged) && at >= 0 ? [[at + 1, addr.length]] : [];
      row(t.realAddress, h('span', { class: 'name' }, marked(addr, ranges)));
    }
    if (m.reply_to) {
      const rd = domainOf(m.reply_to);
      const at = m.reply_to.lastIndexOf('@');
      const differs = rd && realDomain && !under(rd, realDomain) && !under(realDomain, rd);
      row(t.replyTo, h('span', { class: 'name' }, marked(m.reply_to, differs && at >= 0 ? [[at + 1, m.reply_to.length]] : [])));
    }
    if (m.to && m.to.length) row(t.to, m.to.map((x, i) => [i ? ', ' : '', nameEl(x)]));
    if (m.subject !== null && m.subject !== undefined) row(t.subject, nameEl(m.subject));
    if (m.date) row(t.date, nameEl(m.date));
    row(t.replyHeaders, `In-Reply-To: ${m.in_reply_to ? t.present : t.absent}, References: ${m.has_references ? t.present : t.absent}`);
    if (m.attachments && m.attachments.length) row(t.attachments, h('ul', { class: 'plain' }, m.attachments.map((a) => h('li', null, nameEl(a)))));
    const box = h('section', { class: 'mail' },
      h('h4', null, `${t.sender} `, h('span', { class: 'loc' }, vis(m.location))),
      h('dl', { class: 'kv' }, rows));
    if (m.body_preview) {
      box.append(h('details', { class: 'body' }, h('summary', null, t.body), h('pre', null, vis(m.body_preview, true))));
    }
    return box;
  }

  const SEV_ORDER = { high: 0, medium: 1, low: 2, info: 3 };
  function renderFindings(report) {
    const t = ui();
    const box = h('section', { class: 'reasons' }, h('h4', null, `${t.reasons} (${report.findings.length})`));
    if (!report.findings.length) {
      box.append(h('p', null, t.noReasons));
      return box;
    }
    const list = h('ul', { class: 'findings' });
    const sorted = report.findings.map((f, i) => [f, i]).sort((a, b) => (SEV_ORDER[a[0].severity] - SEV_ORDER[b[0].severity]) || (a[1] - b[1]));
    for (const [f] of sorted) {
      const info = codeInfo(f.code);
      const title = info ? info.title[lang] : f.code;
      const rows = [];
      const row = (k, ...v) => rows.push(h('dt', null, k), h('dd', null, ...v));
      if (info) row(t.explanation, info.explanation[lang]);
      if (info) row(t.action, info.action[lang]);
      if (f.evidence) row(t.evidence, h('pre', null, vis(f.evidence, true)));
      row(t.location, h('span', { class: 'name' }, vis(f.location)));
      if (f.tags && f.tags.length) row(t.tags, f.tags.join(', '));
      if (f.secret !== undefined && f.secret !== null) row(t.password, secretEl(f.secret));
      row('code', h('code', null, f.code));
      const sev = h('span', { class: `sev sev-${f.severity}` }, t.sev[f.severity] || f.severity);
      list.append(h('li', null, h('details', null,
        h('summary', null, sev, title, h('span', { class: 'loc' }, vis(f.location))),
        h('dl', { class: 'kv' }, rows))));
    }
    box.append(list);
    return box;
  }

  function secretEl(secret) {
    const t = ui();
    const value = h('code', { class: 'secret' }, mask(secret));
    const btn = h('button', { type: 'button', class: 'small', 'aria-pressed': 'false' }, t.show);
    btn.addEventListener('click', () => {
      const shown = btn.getAttribute('aria-pressed') === 'true';
      value.replaceChildren(shown ? document.createTextNode(mask(secret)) : vis(secret));
      btn.setAttribute('aria-pressed', shown ? 'false' : 'true');
      btn.textContent = shown ? t.show : t.hide;
    });
    return h('span', null, value, ' ', btn);
  }

  function renderObjects(report) {
    const t = ui();
    const box = h('section', { class: 'objects' }, h('h4', null, `${t.objects} (${report.objects.length})`));
    const root = h('ul', { class: 'tree' });
    const byPath = new Map();
    const counts = new Map();
    for (const f of report.findings) counts.set(f.location, (counts.get(f.location) || 0) + 1);
    for (const o of report.objects) {
      const path = o.path || [o.location];
      const key = path.join('\u0000');
      const parentKey = path.slice(0, -1).join('\u0000');
      const parent = byPath.get(parentKey);
      const n = counts.get(o.location) || 0;
      const copyBtn = o.sha256 ? h('button', { type: 'button', class: 'small', 'aria-label': `${t.copyShort} SHA-256` }, t.copyShort) : null;
      if (copyBtn) {
        copyBtn.addEventListener('click', async () => {
          const ok = await copyText(o.sha256);
          copyBtn.textContent = ok ? t.copied : t.copyFailed;
          setTimeout(() => { copyBtn.textContent = t.copyShort; }, 1500);
        });
      }
      const item = h('li', null, h('div', { class: 'obj' },
        h('div', null, h('strong', { class: 'name' }, vis(path[path.length - 1] || o.name)),
          n ? h('span', { class: 'sev sev-medium obj-count' }, `${t.reasons}: ${n}`) : null),
        h('div', { class: 'meta' }, `${t.kind}: ${o.kind} · ${t.size}: ${formatSize(o.size)}`),
        o.notes && o.notes.length ? h('div', { class: 'meta' }, vis(o.notes.join(' · '))) : null,
        o.sha256 ? h('div', { class: 'meta' }, 'SHA-256: ', h('code', { class: 'hash' }, o.sha256), ' ', copyBtn) : null));
      byPath.set(key, item);
      if (parent) {
        let ul = parent.querySelector(':scope > ul');
        if (!ul) { ul = h('ul'); parent.append(ul); }
        ul.append(item);
      } else {
        root.append(item);
      }
    }
    box.append(root);
    return box;
  }

  // ---- copy / save the report ----------------------------------------------------------------------
  function reportText() {
    const f = failedTexts();
    return batch.map((j) => {
      if (j.status === 'done') return j.out[lang === 'ja' ? 'text_ja' : 'text_en'];
      if (j.status === 'failed') return `${j.name}: ${f.title}\n  ${f.action}\n${j.error ? '  ' + j.error + '\n' : ''}`;
      return `${j.name}: ${ui().cancelled}\n`;
    }).join('\n');
  }

  function saveReport() {
    const items = batch.map((j) => (j.status === 'done'
      ? j.out.report
      : { file: j.name, verdict: null, failed: j.status === 'failed', cancelled: j.status === 'cancelled', message: j.error || '' }));
    // One file: exactly what `tenpu check --json` prints. Several: an array of those.
    const json = JSON.stringify(items.length === 1 ? items[0] : items, null, 2);
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = h('a', { href: url, download: `tenpu-report${items.length === 1 ? '-' + safeName(batch[0].name) : ''}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  const safeName = (s) => String(s).replace(INVISIBLE, '').replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);

  // ---- static texts, language, organisation banner --------------------------------------------------
  function renderChrome() {
    const t = ui();
    document.documentElement.lang = lang;
    $('t-title').textContent = t.title;
    $('t-intake-h').textContent = t.intakeH;
    $('t-intake-p').textContent = t.intakeP;
    $('t-pick').textContent = t.pick;
    $('cancel').textContent = t.cancel;
    $('copy-report').textContent = t.copy;
    $('save-report').textContent = t.save;
    $('t-privacy-h').textContent = t.privacyH;
    $('t-privacy-p').textContent = t.privacyP;
    $('download').textContent = t.download;
    $('lang-switch').textContent = t.langSwitch;
    $('lang-switch').setAttribute('lang', t.langSwitchLang);
    $('results').setAttribute('aria-label', t.results);
    $('version').textContent = core.version ? `Tenpu ${core.version}` : '';
    const banner = $('org-banner');
    if (config.org.length || config.trusted.length) {
      const who = config.org.length ? config.org.join(', ') : '';
      const doms = config.trusted.length ? config.trusted.join(', ') : '';
      banner.replaceChildren(t.orgBanner, h('strong', { class: 'name' }, vis(who || doms)), who && doms ? ` (${doms})` : '');
      banner.hidden = false;
    } else {
      banner.replaceChildren();
      banner.hidden = true;
    }
  }

  function renderAll() {
    renderChrome();
    for (const j of batch) renderCard(j);
    renderVerdict();
  }

  function onTexts() {
    renderAll();
  }

  // ---- events ---------------------------------------------------------------------------------------
  $('file').addEventListener('change', (e) => {
    const input = e.target;
    addFiles(input.files);
    input.value = '';
  });

  let dragDepth = 0;
  const hasFiles = (e) => e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth++;
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) document.body.classList.remove('dragging');
  });
  document.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    dragDepth = 0;
    document.body.classList.remove('dragging');
    if (e.dataTransfer && e.dataTransfer.files) addFiles(e.dataTransfer.files);
  });
  document.addEventListener('paste', (e) => {
    const dt = e.clipboardData;
    if (!dt) return;
    const files = [...(dt.files || [])];
    if (files.length) {
      e.preventDefault();
      addFiles(files);
      return;
    }
    const text = dt.getData('text/plain');
    if (text) {
      e.preventDefault();
      addFiles([new File([text], 'pasted.txt', { type: 'text/plain' })]);
    }
  });

  $('cancel').addEventListener('click', cancelAll);
  $('lang-switch').addEventListener('click', () => {
    lang = lang === 'ja' ? 'en' : 'ja';
    renderAll();
  });
  $('copy-report').addEventListener('click', async () => {
    const ok = await copyText(reportText());
    $('copy-status').textContent = ok ? ui().copied : ui().copyFailed;
    setTimeout(() => { $('copy-status').textContent = ''; }, 2500);
  });
  $('save-report').addEventListener('click', saveReport);
  window.addEventListener('hashchange', () => {
    config = readConfig();
    if (config.lang) lang = config.lang;
    renderAll();
  });

  if (SINGLE) {
    $('download').href = URL.createObjectURL(new Blob([PAGE_SOURCE], { type: 'text/html' }));
  }

  // Exposed for tests and for copying by hand: the plain-text report of the shown results.
  window.tenpuReportText = reportText;

  renderAll();
  core.start();
})();

// Tenpu worker: runs the wasm core off the main thread. The build prepends wasm-bindgen's
// `--target no-modules` glue, which defines the global `wasm_bindgen`. The page starts this
// worker from a Blob URL and sends it the wasm bytes (no fetch: the page's CSP forbids it).
//
// Messages in:  {type: 'init', wasm: ArrayBuffer (the wasm, LZMA- or gzip-compressed)}
//               {type: 'check', id, name, bytes: ArrayBuffer, options, debug}
// Messages out: {type: 'ready', texts, version} | {type: 'init-error', message}
//               {type: 'result', id, out: {report, text_ja, text_en}} | {type: 'error', id, message}
//
// A trap (panic, out of memory) leaves the wasm instance unusable: the page terminates this
// worker after any error and starts a fresh one.
'use strict';

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
    try {
      // The page embeds the wasm compressed (compressed data in base64 gzips to about its own
      // size, base64 of the raw wasm gzips a quarter worse): LZMA (lzmaDecode below), or gzip
      // (magic 1f 8b) when the build had no xz, unpacked by the browser's DecompressionStream.
      const packed = new Uint8Array(msg.wasm);
      let wasm;
      if (packed[0] === 0x1f && packed[1] === 0x8b) {
        const unpacked = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
        wasm = await new Response(unpacked).arrayBuffer();
      } else {
        wasm = lzmaDecode(packed);
      }
      await wasm_bindgen({ module_or_path: wasm });
      self.postMessage({ type: 'ready', texts: wasm_bindgen.texts(), version: wasm_bindgen.version() });
    } catch (err) {
      self.postMessage({ type: 'init-error', message: describe(err) });
    }
  } else if (msg.type === 'check') {
    try {
      // Test hooks (URL fragment `debug=`): a real wasm trap, running out of wasm memory, and a
      // worker that never answers.
      if (msg.debug === 'trap') wasm_bindgen.debug_trap();
      if (msg.debug === 'oom') wasm_bindgen.debug_oom();
      if (msg.debug === 'hang') { for (;;) { /* never returns: the page's time limit must end it */ } }
      const out = wasm_bindgen.check(new Uint8Array(msg.bytes), msg.name, msg.options);
      self.postMessage({ type: 'result', id: msg.id, out });
    } catch (err) {
      self.postMessage({ type: 'error', id: msg.id, message: describe(err) });
    }
  }
};

function describe(err) {
  if (err && typeof err === 'object') {
    const name = err.name ? String(err.name) : 'Error';
    return name + ': ' + String(err.message || '');
  }
  return String(err);
}

// ---- LZMA ("lzma_alone", what `xz --format=lzma` writes) decoder ------------------------------
// The page embeds the wasm LZMA-compressed: ~17% smaller than gzip, and what is left of the page
// gzips no further, so this is what keeps dist/tenpu.html within its size budget. Follows Igor
// Pavlov's public-domain reference decoder (LzmaSpec.cpp in the LZMA SDK, DOC/lzma-specification.txt):
// a range coder over adaptive bit probabilities, literals coded with the previous byte as context,
// matches as (length, distance) with four repeat distances. The input is the page's own embedded
// data, but the decoder still checks every bound and throws on anything malformed.
function lzmaDecode(src) {
  const fail = (what) => { throw new Error('embedded core: bad LZMA data (' + what + ')'); };
  if (src.length < 18) fail('short');
  let props = src[0];
  if (props >= 9 * 5 * 5) fail('properties');
  const lc = props % 9; props = (props / 9) | 0;
  const lp = props % 5; const pb = (props / 5) | 0;
  // Bytes 1-4 dictionary size (unused: the whole output stays in memory), 5-12 output size.
  let size = 0;
  for (let i = 12; i >= 5; i--) size = size * 256 + src[i];
  const sizeKnown = size !== 2 ** 64 - 1 && src[5] !== 0xff;
  const limit = 1 << 30;
  let out = new Uint8Array(sizeKnown ? size : Math.min(limit, src.length * 4));
  if (sizeKnown && size > limit) fail('size');
  let pos = 0;

  // Range decoder. `range` and `code` are unsigned 32-bit values kept in int32 variables (fast in
  // JS engines); unsigned comparisons flip the sign bit of both sides.
  let inPos = 13;
  if (src[inPos++] !== 0) fail('range coder');
  let code = ((src[14] << 24) | (src[15] << 16) | (src[16] << 8) | src[17]) | 0;
  inPos = 18;
  let range = -1; // 0xffffffff
  const probs = (n) => new Uint16Array(n).fill(1024);
  function bit(p, i) {
    const prob = p[i];
    const bound = Math.imul(range >>> 11, prob);
    let b;
    if ((code ^ 0x80000000) < (bound ^ 0x80000000)) { range = bound; p[i] = prob + ((2048 - prob) >>> 5); b = 0; }
    else { range = (range - bound) | 0; code = (code - bound) | 0; p[i] = prob - (prob >>> 5); b = 1; }
    if ((range & 0xff000000) === 0) {
      if (inPos >= src.length) fail('truncated');
      range <<= 8; code = (code << 8) | src[inPos++];
    }
    return b;
  }
  function direct(n) {
    let res = 0;
    for (; n > 0; n--) {
      range = range >>> 1;
      let b = 0;
      if ((code ^ 0x80000000) >= (range ^ 0x80000000)) { code = (code - range) | 0; b = 1; }
      res = res * 2 + b;
      if ((range & 0xff000000) === 0) {
        if (inPos >= src.length) fail('truncated');
        range <<= 8; code = (code << 8) | src[inPos++];
      }
    }
    return res;
  }
  function tree(p, off, n) {
    let m = 1;
    for (let i = 0; i < n; i++) m = (m << 1) + bit(p, off + m);
    return m - (1 << n);
  }
  function reverse(p, off, n) {
    let m = 1, sym = 0;
    for (let i = 0; i < n; i++) { const b = bit(p, off + m); m = (m << 1) + b; sym |= b << i; }
    return sym;
  }
  const lenCoder = () => ({ choice: probs(2), low: probs(16 << 3), mid: probs(16 << 3), high: probs(256) });
  function len(c, posState) {
    if (bit(c.choice, 0) === 0) return tree(c.low, posState << 3, 3);
    if (bit(c.choice, 1) === 0) return 8 + tree(c.mid, posState << 3, 3);
    return 16 + tree(c.high, 0, 8);
  }

  const literal = probs(0x300 << (lc + lp));
  const isMatch = probs(12 << 4), isRep = probs(12), isRepG0 = probs(12), isRepG1 = probs(12), isRepG2 = probs(12);
  const isRep0Long = probs(12 << 4);
  const posSlot = probs(4 << 6), posCoders = probs(115), align = probs(16);
  const lenDec = lenCoder(), repLenDec = lenCoder();
  let state = 0, rep0 = 0, rep1 = 0, rep2 = 0, rep3 = 0;
  const pbMask = (1 << pb) - 1, lpMask = (1 << lp) - 1;

  function room(n) {
    if (n <= out.length - pos) return;
    if (sizeKnown || out.length - pos + limit - out.length < n) fail('longer than stated');
    const bigger = new Uint8Array(Math.min(limit, Math.max(out.length * 2, pos + n)));
    bigger.set(out);
    out = bigger;
  }
  function put(b) {
    room(1);
    out[pos++] = b;
  }

  for (;;) {
    if (sizeKnown && pos === size && code === 0) break;
    const posState = pos & pbMask;
    if (bit(isMatch, (state << 4) + posState) === 0) {
      const prev = pos > 0 ? out[pos - 1] : 0;
      const base = 0x300 * (((pos & lpMask) << lc) + (prev >>> (8 - lc)));
      let sym = 1;
      if (state >= 7) {
        if (rep0 >= pos) fail('distance');
        let match = out[pos - rep0 - 1];
        do {
          const mb = (match >>> 7) & 1;
          match <<= 1;
          const b = bit(literal, base + ((1 + mb) << 8) + sym);
          sym = (sym << 1) | b;
          if (mb !== b) break;
        } while (sym < 0x100);
      }
      while (sym < 0x100) sym = (sym << 1) | bit(literal, base + sym);
      put(sym - 0x100);
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let n;
    if (bit(isRep, state) !== 0) {
      if (pos === 0) fail('repeat at start');
      if (bit(isRepG0, state) === 0) {
        if (bit(isRep0Long, (state << 4) + posState) === 0) {
          state = state < 7 ? 9 : 11;
          put(out[pos - rep0 - 1]);
          continue;
        }
      } else {
        let dist;
        if (bit(isRepG1, state) === 0) dist = rep1;
        else {
          if (bit(isRepG2, state) === 0) dist = rep2;
          else { dist = rep3; rep3 = rep2; }
          rep2 = rep1;
        }
        rep1 = rep0; rep0 = dist;
      }
      n = len(repLenDec, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2; rep2 = rep1; rep1 = rep0;
      n = len(lenDec, posState);
      state = state < 7 ? 7 : 10;
      // The distance: a 6-bit slot (by length), then its low bits.
      const slot = tree(posSlot, (n < 3 ? n : 3) << 6, 6);
      if (slot < 4) rep0 = slot;
      else {
        const bits = (slot >>> 1) - 1;
        let dist = (2 | (slot & 1)) * 2 ** bits;
        if (slot < 14) dist += reverse(posCoders, dist - slot, bits);
        else dist += direct(bits - 4) * 16 + reverse(align, 0, 4);
        rep0 = dist;
      }
      if (rep0 === 0xffffffff) {
        if (code !== 0) fail('end marker');
        break;
      }
      if (rep0 >= pos) fail('distance');
    }
    n += 2;
    if (sizeKnown && n > size - pos) fail('longer than stated');
    room(n);
    for (const end = pos + n; pos < end; pos++) out[pos] = out[pos - rep0 - 1];
  }
  if (sizeKnown && pos !== size) fail('shorter than stated');
  return out.subarray(0, pos);
}

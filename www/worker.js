// Tenpu worker: runs the wasm core off the main thread. The build prepends wasm-bindgen's
// `--target no-modules` glue, which defines the global `wasm_bindgen`. The page starts this
// worker from a Blob URL and sends it the wasm bytes (no fetch: the page's CSP forbids it).
//
// Messages in:  {type: 'init', wasm: ArrayBuffer (gzip-compressed wasm)}
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
      // The page embeds the wasm gzip-compressed (base64 of gzip is a quarter smaller than
      // base64 of the raw wasm, once the page itself is served or stored gzipped).
      const unpacked = new Blob([msg.wasm]).stream().pipeThrough(new DecompressionStream('gzip'));
      const wasm = await new Response(unpacked).arrayBuffer();
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

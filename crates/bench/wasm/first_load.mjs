// `cargo xtask bench --first-load`: how long a first visit takes until `window.kmsLab.ready`
// resolves (the lab is interactive), in Debian's headless Chromium, with the release bundle
// (dist/) served gzipped as a CDN would serve it (Content-Encoding: gzip, level 9, for every
// text and wasm file).
//
// Two networks, each with a fresh browser context (empty cache) per load:
//   - "emulated": Chromium's network emulation at 20 Mbit/s down, 5 Mbit/s up, 40 ms latency
//     (the anchor: ready within 1 s);
//   - "loopback": no emulation.
// For each load: ready (ms after navigation start, from the `kmslab:ready` event), when the
// first download's wasm had arrived (its resource timing's responseEnd), the bytes
// transferred (encoded) and the wasm's part of them, the longest task before ready, and when a
// KMS command sent at ready was answered (the engine, KMS included, is a chunk fetched from
// ready on: what a study site's first `run` waits for).
// Prints one JSON object on stdout; progress on stderr. A measurement, never pass/fail.
//
// Usage: node crates/bench/wasm/first_load.mjs [--loads N]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
// The e2e harness's Chromium (its flags, a fresh profile per launch).
const { launch } = await import(path.join(root, 'tests', 'e2e', 'harness.js'));

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const LOADS = Number(arg('loads', 5));
const dist = path.resolve(process.env.KMSLAB_DIST || path.join(root, 'dist'));
const log = (m) => process.stderr.write(`first-load: ${m}\n`);

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml',
};

// Every file gzipped once, as a CDN keeps it.
const gzipped = new Map();
function body(file) {
  if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
  return gzipped.get(file);
}

function serve() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`no release bundle at ${dist}: run \`cargo xtask dist\` first`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.normalize(path.join(dist, rel));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    const gz = /gzip/.test(req.headers['accept-encoding'] || '');
    const bytes = gz ? body(file) : fs.readFileSync(file);
    res.writeHead(200, {
      'content-type': type,
      'content-length': bytes.length,
      'cache-control': 'no-store',
      ...(gz ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(bytes);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${server.address().port}/` }));
  });
}

// Installed before the page's scripts: readiness and long tasks.
const INIT = () => {
  const s = (window.__firstLoad = { readyAt: null, longtasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) s.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* no long-task observer */ }
  window.addEventListener('kmslab:ready', () => {
    s.readyAt = performance.now();
    s.firstRun = window.kmsLab.run('aws kms list-keys --query "length(Keys)"').then((out) => {
      s.firstRunAt = performance.now();
      s.firstRunExit = out.exitCode;
    });
  });
};

const EMULATED = {
  offline: false,
  latency: 40,
  downloadThroughput: (20 * 1000 * 1000) / 8,
  uploadThroughput: (5 * 1000 * 1000) / 8,
};

const pct = (xs, p) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : null;
};
const round = (x) => (typeof x === 'number' ? Math.round(x * 10) / 10 : x);

async function oneLoad(browser, base, network) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (network) await cdp.send('Network.emulateNetworkConditions', network);
  let bytes = 0;
  let wasmBytes = 0;
  const urls = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    if ((urls.get(e.requestId) || '').endsWith('.wasm')) wasmBytes += e.encodedDataLength;
  });
  await page.goto(base, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__firstLoad && window.__firstLoad.readyAt !== null, null, { timeout: 120000 });
  // What came before ready (the question bank, fetched after it, is not counted).
  const before = { bytes, wasmBytes };
  await page.waitForFunction(() => window.__firstLoad.firstRunAt !== undefined, null, { timeout: 120000 });
  const out = await page.evaluate(() => {
    const s = window.__firstLoad;
    const before = s.longtasks.filter((t) => t.start < s.readyAt);
    // When the first download had arrived: what of ready is the network, what the start-up.
    const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'));
    return {
      ready_ms: s.readyAt,
      wasm_response_end_ms: wasm ? wasm.responseEnd : null,
      longest_task_before_ready_ms: before.reduce((m, t) => Math.max(m, t.duration), 0),
      first_kms_run_ms: s.firstRunExit === 0 ? s.firstRunAt : null,
    };
  });
  await context.close();
  return { ...out, transferred_kib: before.bytes / 1024, wasm_transferred_kib: before.wasmBytes / 1024 };
}

const { server, base } = await serve();
const browser = await launch();
let code = 0;
try {
  const wasm = fs.readdirSync(dist).find((f) => f.endsWith('_bg.wasm'));
  const result = {
    network_emulated: { download_mbit_s: 20, upload_mbit_s: 5, latency_ms: 40 },
    wasm_gz_kib: wasm ? round(body(path.join(dist, wasm)).length / 1024) : null,
    goal_ready_ms: 1000,
  };
  for (const [name, network] of [['emulated', EMULATED], ['loopback', null]]) {
    const loads = [];
    // One warm-up load (the server's gzip, the browser's first process), not counted.
    await oneLoad(browser, base, network);
    for (let i = 0; i < LOADS; i++) {
      const r = await oneLoad(browser, base, network);
      loads.push(r);
      log(`${name} ${i + 1}/${LOADS}: ready ${Math.round(r.ready_ms)} ms (wasm arrived at ${Math.round(r.wasm_response_end_ms)} ms), ${Math.round(r.transferred_kib)} KiB`);
    }
    const ready = loads.map((l) => l.ready_ms);
    result[name] = {
      ready_ms: { p50: round(pct(ready, 50)), max: round(pct(ready, 100)), n: ready.length },
      wasm_response_end_ms_p50: round(pct(loads.map((l) => l.wasm_response_end_ms), 50)),
      transferred_kib: round(loads[0].transferred_kib),
      wasm_transferred_kib: round(loads[0].wasm_transferred_kib),
      longest_task_before_ready_ms: round(Math.max(...loads.map((l) => l.longest_task_before_ready_ms))),
      first_kms_run_ms_p50: round(pct(loads.map((l) => l.first_kms_run_ms), 50)),
      loads: loads.map((l) => Object.fromEntries(Object.entries(l).map(([k, v]) => [k, round(v)]))),
    };
  }
  result.goal_met = result.emulated.ready_ms.p50 !== null && result.emulated.ready_ms.p50 <= 1000;
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`first-load bench failed: ${e.stack || e.message}`);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);

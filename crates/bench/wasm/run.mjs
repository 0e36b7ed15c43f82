// `cargo xtask bench --wasm`: runs the engine benchmark compiled to wasm32 (wasm-bindgen
// `--target web` output in DIR) in Debian's headless Chromium, driven by playwright-core (the
// e2e tests' copy), and prints its JSON result on stdout.
//
// Usage: node crates/bench/wasm/run.mjs DIR BUDGET_MS [NATIVE_BENCH]
//
// With NATIVE_BENCH (the native bench binary), the native engine rows also run before the first
// page load and after each one (`--engine-only`), and `interleaved` pairs every load with the
// mean of the native runs just before and just after it: per-load ratios of wasm time to native
// time and their median. This machine's speed drifts by up to half within a minute; a pair a few
// seconds apart shares most of that drift, where one native run before all three loads and one
// after them do not.
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
// playwright-core as the e2e tests install it (tests/e2e/node_modules).
const require = createRequire(path.join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('playwright-core');

const [dir, budgetArg, nativeBench] = process.argv.slice(2);
if (!dir) {
  console.error('usage: run.mjs DIR BUDGET_MS [NATIVE_BENCH]');
  process.exit(2);
}
const budget = Number(budgetArg || 1500);
const LOADS = 3;
const served = path.resolve(dir);

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>KMS Lab engine bench</title>
<script type="module">
  import init, { run_engine } from './wasm_bench.js';
  window.bench = async (budget) => { await init(); return run_engine(budget); };
  window.benchReady = true;
</script>`;

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === '/' || url.pathname === '/index.html') {
    res.writeHead(200, { 'content-type': TYPES['.html'] });
    res.end(PAGE);
    return;
  }
  const file = path.normalize(path.join(served, decodeURIComponent(url.pathname)));
  if (!file.startsWith(served) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

// A fresh, empty profile directory, and the flags this machine's closed network needs.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kmslab-bench-'));

// One run of the native engine rows (NATIVE_BENCH --engine-only): their ops/s by row.
function nativeRows() {
  const out = path.join(profile, 'native.json');
  const r = spawnSync(nativeBench, ['--engine-only', '--json', out, '--budget-ms', String(budget)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`native bench failed (${r.error ? r.error.message : `status ${r.status}`})`);
  return JSON.parse(fs.readFileSync(out, 'utf8')).engine;
}
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
let code = 0;
try {
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  // Three loads of the page, each a fresh wasm instance compiled anew: one load's figures vary
  // by up to a third from the next (the JIT's tiering, the machine), so each row reports the
  // median of the three, and every load's figures are kept in `loads`.
  const loads = [];
  const natives = nativeBench ? [nativeRows()] : [];
  let userAgent = '';
  for (let i = 0; i < LOADS; i++) {
    await page.goto(`http://127.0.0.1:${port}/?load=${i}`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30000 });
    userAgent = await page.evaluate(() => navigator.userAgent);
    loads.push(JSON.parse(await page.evaluate((b) => window.bench(b), budget)));
    if (nativeBench) natives.push(nativeRows());
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = {
    engine: Object.fromEntries(
      Object.keys(loads[0].engine).map((row) => [row, median(loads.map((l) => l.engine[row]))]),
    ),
    loads: loads.map((l) => l.engine),
    failures: loads.reduce((n, l) => n + (l.failures || 0), 0),
  };
  if (nativeBench) {
    // Wasm time over native time for each load: the mean native ops/s around it over its ops/s.
    const rows = Object.keys(loads[0].engine);
    const ratios = loads.map((l, i) =>
      Object.fromEntries(
        rows.map((row) => [row, (natives[i][row] + natives[i + 1][row]) / 2 / l.engine[row]]),
      ),
    );
    result.interleaved = {
      native: natives,
      ratios,
      median: Object.fromEntries(rows.map((row) => [row, median(ratios.map((r) => r[row]))])),
    };
  }
  result.browser = userAgent;
  if (problems.length) result.problems = problems;
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`wasm bench failed: ${e.message}`);
  code = 1;
} finally {
  await context.close();
  server.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(code);

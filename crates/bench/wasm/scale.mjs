// `cargo xtask bench --scale`: the app (dist/, served plain by the e2e harness) in Debian's
// headless Chromium, driven by playwright-core, with a big world. Measures (figures, never
// pass/fail):
//   1. the set-up (`lab load --s3-put`, `lab load --operation`, real calls through
//      `window.kmsLab.run`): wall time and the main thread's long tasks (PerformanceObserver
//      'longtask', buffered);
//   2. a reload: time to `kmsLab.ready` (state read from IndexedDB), the stored record's size,
//      the JS heap and the wasm memory;
//   3. typical commands in that world: call → two animation frames after `run` resolves
//      (run + grade + render), the save that follows (the `kmslab-save` User Timing measures of
//      src/persist.rs: serialise + IndexedDB write), and both together;
//   4. the exports of that world (`kmsLab.state()`, the Lab menu's "Export world (JSON)"): wall
//      time and long tasks;
//   5. every scenario's start (its set-up script) in a fresh page: wall time and long tasks.
// During `lab load` the terminal's progress bar is watched (a MutationObserver): how many
// values it showed, the first and the last label.
// Prints the JSON result on stdout; progress goes to stderr.
//
// Usage: node crates/bench/wasm/scale.mjs [--objects N] [--rate R/s] [--duration D]
//          [--real-calls N] [--rounds N]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const { serveDist } = await import(path.join(root, 'tests', 'e2e', 'harness.js'));
const require = createRequire(path.join(root, 'tests', 'e2e', 'package.json'));
const { chromium } = require('playwright-core');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const OBJECTS = Number(arg('objects', 12000));
const RATE = arg('rate', '5000/s');
const DURATION = arg('duration', '10s');
const REAL_CALLS = Number(arg('real-calls', 1500));
const ROUNDS = Number(arg('rounds', 4));
const BUCKET = 'scale-bench';
const ALIAS = 'alias/scale-bench';
const log = (m) => process.stderr.write(`scale: ${m}\n`);

// Installed before every page load: long tasks, readiness, the wasm instance's exports.
const INIT = () => {
  const s = (window.__scale = { longtasks: [], readyAt: null, wasm: null });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) s.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    s.longtaskObserver = true;
  } catch (e) {
    s.longtaskObserver = false;
  }
  window.addEventListener('kmslab:ready', () => { s.readyAt = performance.now(); });
  const keep = (r) => { const inst = r && (r.instance || r); if (inst && inst.exports) s.wasm = inst.exports; return r; };
  const streaming = WebAssembly.instantiateStreaming;
  const plain = WebAssembly.instantiate;
  if (streaming) WebAssembly.instantiateStreaming = (...a) => streaming.apply(WebAssembly, a).then(keep);
  WebAssembly.instantiate = (...a) => plain.apply(WebAssembly, a).then(keep);
  const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // The save measures (src/persist.rs makes them, then clears its timeline: an observer keeps
  // them here), those that started at or after `t0`.
  s.measures = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) s.measures.push({ name: e.name, startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'measure' });
  const savesSince = (t0) => {
    const pick = (n) => s.measures.filter((e) => e.name === n && e.startTime >= t0 - 0.5);
    return { save: pick('kmslab-save'), serialise: pick('kmslab-save-serialise'), idb: pick('kmslab-save-idb') };
  };
  s.savesSince = savesSince;
  // The terminal's progress bar (`lab load` runs in chunks): every value it shows.
  s.progress = [];
  s.watchProgress = () => {
    const seen = (s.progress = []);
    const look = () => {
      const p = document.querySelector('[data-testid=term-job] progress');
      if (!p) return;
      const value = p.getAttribute('value');
      const last = seen[seen.length - 1];
      if (!last || last.value !== value) {
        seen.push({ at: performance.now(), value, max: p.getAttribute('max'), label: p.getAttribute('aria-label') });
      }
    };
    new MutationObserver(look).observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['value', 'aria-label'],
    });
  };
  // The job runner's User Timing (src/job_runner.rs): its chunks and the finish (the render of
  // the finished world) since `t0`.
  s.jobTimings = (t0) => {
    const of = (n) => s.measures.filter((e) => e.name === n && e.startTime >= t0 - 0.5);
    const chunks = of('kmslab-job-chunk');
    const finish = of('kmslab-job-finish');
    return {
      chunks: chunks.length,
      longest_chunk_ms: chunks.reduce((m, e) => Math.max(m, e.duration), 0),
      finish_ms: finish.length ? finish[0].duration : null,
    };
  };
  s.progressSummary = () => ({
    updates: s.progress.length,
    with_value: s.progress.filter((p) => p.value !== null).length,
    first_label: s.progress[0]?.label ?? null,
    last_label: s.progress[s.progress.length - 1]?.label ?? null,
  });
  s.sleep = sleep;
  // One command: wall (call → 2 frames after `run` resolves), its save, and the two together.
  s.timed = async (line, saveTimeoutMs) => {
    const t0 = performance.now();
    const r = await window.kmsLab.run(line);
    const tRun = performance.now();
    await frames();
    const tFrames = performance.now();
    let saves = savesSince(t0);
    while (!saves.save.length && performance.now() - t0 < saveTimeoutMs) {
      await sleep(2);
      saves = savesSince(t0);
    }
    const save = saves.save[0];
    return {
      ok: r.ok, exitCode: r.exitCode, err: r.ok ? undefined : (r.stderr || '').slice(0, 200),
      json: r.json,
      run: tRun - t0, wall: tFrames - t0,
      save: save ? save.duration : null,
      serialise: saves.serialise[0] ? saves.serialise[0].duration : null,
      idb: saves.idb[0] ? saves.idb[0].duration : null,
      saveStartAfterCall: save ? save.startTime - t0 : null,
      total: save ? Math.max(tFrames, save.startTime + save.duration) - t0 : tFrames - t0,
    };
  };
  // Long tasks in [from, to]: how many, the longest and their sum (ms).
  s.blocked = (from, to) => {
    const xs = s.longtasks.filter((e) => e.start >= from && e.start <= to);
    return {
      count: xs.length,
      max_ms: xs.reduce((m, e) => Math.max(m, e.duration), 0),
      total_ms: xs.reduce((m, e) => m + e.duration, 0),
    };
  };
  // The saved world's IndexedDB record(s): key and length in UTF-16 code units (≈ bytes, ASCII).
  s.idbRecords = () => new Promise((resolve) => {
    const open = indexedDB.open('kmslab');
    open.onerror = () => resolve([]);
    open.onsuccess = () => {
      const db = open.result;
      const out = [];
      const stores = [...db.objectStoreNames];
      if (!stores.length) { db.close(); resolve(out); return; }
      const tx = db.transaction(stores, 'readonly');
      for (const name of stores) {
        const req = tx.objectStore(name).openCursor();
        req.onsuccess = () => {
          const c = req.result;
          if (!c) return;
          out.push({ store: name, key: String(c.key), chars: typeof c.value === 'string' ? c.value.length : JSON.stringify(c.value).length });
          c.continue();
        };
      }
      tx.oncomplete = () => { db.close(); resolve(out); };
    };
  });
};

function pct(xs, p) {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return null;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}
const stats = (xs) => ({ p50: pct(xs, 50), p95: pct(xs, 95), max: pct(xs, 100), n: xs.filter((x) => typeof x === 'number').length });
const round = (x) => (typeof x === 'number' ? Math.round(x * 10) / 10 : x);
const roundAll = (o) => JSON.parse(JSON.stringify(o, (_, v) => round(v)));

// The trail inside the exported state: the first object with an `events` array and `counters`.
function trailOf(state) {
  const stack = [state];
  while (stack.length) {
    const o = stack.pop();
    if (!o || typeof o !== 'object') continue;
    if (Array.isArray(o.events) && o.counters && typeof o.counters === 'object') return o;
    for (const v of Object.values(o)) if (v && typeof v === 'object') stack.push(v);
  }
  return null;
}

const { server, base } = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-precise-memory-info',
  ],
});
const result = { world: { objects: OBJECTS, load: `Encrypt at ${RATE} for ${DURATION}`, real_calls: REAL_CALLS } };
let code = 0;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const run = (line) => page.evaluate((l) => window.kmsLab.run(l), line);
  const must = async (line) => {
    const r = await run(line);
    if (!r.ok) throw new Error(`${line}: ${r.stderr}`);
    return r;
  };

  await page.goto(`${base}#/terminal`);
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run, null, { timeout: 60000 });
  result.browser = await page.evaluate(() => navigator.userAgent);
  result.longtask_observer = await page.evaluate(() => window.__scale.longtaskObserver);
  result.first_ready_ms = await page.evaluate(() => window.__scale.readyAt);

  // 1. The big world, step by step: wall time and long tasks during each step.
  const steps = [];
  const step = async (name, fn) => {
    const from = await page.evaluate(() => performance.now());
    const out = await fn();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const to = await page.evaluate(() => performance.now());
    const blocked = await page.evaluate(([a, b]) => window.__scale.blocked(a, b), [from, to]);
    steps.push({ step: name, wall_ms: to - from, longtasks: blocked, ...(out || {}) });
    log(`${name}: ${Math.round(to - from)} ms, longest task ${Math.round(blocked.max_ms)} ms`);
  };
  await step('create the bucket and the key', async () => {
    await must(`aws s3api create-bucket --bucket ${BUCKET}`);
    const key = await must('aws kms create-key --description scale-bench');
    await must(`aws kms create-alias --alias-name ${ALIAS} --target-key-id ${key.json.KeyMetadata.KeyId}`);
  });
  await page.evaluate(() => window.__scale.watchProgress());
  await step(`lab load --s3-put ${OBJECTS}`, async () => {
    const t0 = await page.evaluate(() => performance.now());
    const r = await must(`lab load --s3-put ${OBJECTS} --bucket ${BUCKET}`);
    const progress_bar = await page.evaluate(() => window.__scale.progressSummary());
    const job = await page.evaluate((t) => window.__scale.jobTimings(t), t0);
    return { output: r.stdout.trim().split('\n')[0], progress_bar, job };
  });
  await page.evaluate(() => window.__scale.watchProgress());
  await step(`lab load --operation Encrypt --rate ${RATE} --duration ${DURATION}`, async () => {
    const t0 = await page.evaluate(() => performance.now());
    const r = await must(`lab load --operation Encrypt --key-id ${ALIAS} --rate ${RATE} --duration ${DURATION}`);
    const progress_bar = await page.evaluate(() => window.__scale.progressSummary());
    const job = await page.evaluate((t) => window.__scale.jobTimings(t), t0);
    return {
      output: r.stdout.trim().split('\n').filter((l) => /^(requests|succeeded|throttled|CloudTrail)/.test(l)).join('; '),
      progress_bar,
      job,
    };
  });
  await step(`${REAL_CALLS} real calls (aws kms encrypt) through kmsLab.run`, async () => {
    let failed = 0;
    for (let i = 0; i < REAL_CALLS; i += 50) {
      const n = Math.min(50, REAL_CALLS - i);
      failed += await page.evaluate(async ([alias, n]) => {
        let bad = 0;
        for (let j = 0; j < n; j++) {
          const r = await window.kmsLab.run(`aws kms encrypt --key-id ${alias} --plaintext aGVsbG8gd29ybGQ=`);
          if (!r.ok) bad++;
        }
        return bad;
      }, [ALIAS, n]);
    }
    return { failed };
  });
  result.setup = steps;
  result.setup_longtasks = await page.evaluate(() => window.__scale.blocked(0, performance.now()));

  // What landed: counters over every event, the full events the browser keeps, the state's size.
  const shape = await page.evaluate(() => {
    const t0 = performance.now();
    const st = window.kmsLab.state();
    const t1 = performance.now();
    return { state: st, state_call_ms: t1 - t0 };
  });
  const trail = trailOf(shape.state);
  const stateJson = JSON.stringify(shape.state);
  result.trail = trail ? {
    counters_total: trail.counters.total,
    counters_by_event_name: trail.counters.by_event_name,
    full_events_kept: trail.events.length,
    retention: trail.retention ?? null,
  } : null;
  result.state_json_chars = stateJson.length;
  result.state_call_ms = shape.state_call_ms;
  const lookup = await run('aws cloudtrail lookup-events --max-results 5');
  result.lookup_events_sample = lookup.ok ? (lookup.json?.Events || []).map((e) => e.EventName) : lookup.stderr;
  shape.state = null;

  // 4. The exports: long tasks of `kmsLab.state()` and of the Lab menu's download.
  const exports = [];
  const measured = async (name, fn) => {
    await page.evaluate(() => window.__scale.sleep(300));
    const from = await page.evaluate(() => performance.now());
    await fn();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const to = await page.evaluate(() => performance.now());
    const blocked = await page.evaluate(([a, b]) => window.__scale.blocked(a, b), [from, to]);
    exports.push({ what: name, wall_ms: to - from, longtasks: blocked });
    log(`${name}: ${Math.round(to - from)} ms, longest task ${Math.round(blocked.max_ms)} ms`);
  };
  await measured('kmsLab.state()', () => page.evaluate(() => { window.kmsLab.state(); }));
  await measured('Lab menu: Export world (JSON)', async () => {
    await page.click('[data-testid=lab-menu]');
    await Promise.all([page.waitForEvent('download'), page.click('text=Export world (JSON)')]);
  });
  result.exports = exports;

  // Let the last debounced save finish, then read the stored record.
  await page.waitForTimeout(2500);
  result.idb_records = await page.evaluate(() => window.__scale.idbRecords());
  result.local_storage_chars = await page.evaluate(() => {
    let n = 0;
    for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); n += k.length + (localStorage.getItem(k) || '').length; }
    return n;
  });

  // 2. Reload: the world comes back from IndexedDB.
  log('reload');
  const t0 = Date.now();
  await page.reload();
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run, null, { timeout: 120000 });
  const reloadWall = Date.now() - t0;
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const reload = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const w = window.__scale.wasm;
    return {
      ready_ms: window.__scale.readyAt,
      dom_content_loaded_ms: nav ? nav.domContentLoadedEventEnd : null,
      longtasks: window.__scale.blocked(0, performance.now()),
      js_heap_used_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
      js_heap_total_bytes: performance.memory ? performance.memory.totalJSHeapSize : null,
      wasm_memory_bytes: w && w.memory ? w.memory.buffer.byteLength : null,
      measure_user_agent_specific_memory: typeof performance.measureUserAgentSpecificMemory === 'function' && self.crossOriginIsolated,
    };
  });
  reload.wall_ms_from_node = reloadWall;
  await cdp.send('HeapProfiler.collectGarbage');
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  reload.js_heap_used_bytes_after_gc = metrics.JSHeapUsedSize ?? null;
  reload.js_heap_total_bytes_after_gc = metrics.JSHeapTotalSize ?? null;
  const back = await run(`aws s3api list-objects-v2 --bucket ${BUCKET} --query 'length(Contents)'`);
  reload.objects_after_reload = back.ok ? back.stdout.trim() : back.stderr.trim();
  result.reload = reload;
  log(`ready ${Math.round(reload.ready_ms)} ms after navigation`);

  // 3. Typical commands, each after a quiet moment so its save is a leading-edge one.
  const enc = await must(`aws kms encrypt --key-id ${ALIAS} --plaintext aGVsbG8=`);
  const blob = enc.json.CiphertextBlob;
  const lines = [];
  for (let i = 0; i < ROUNDS; i++) {
    lines.push(
      `aws kms describe-key --key-id ${ALIAS}`,
      `aws kms encrypt --key-id ${ALIAS} --plaintext aGVsbG8gd29ybGQ=`,
      `aws kms decrypt --ciphertext-blob ${blob}`,
      'aws kms list-keys',
      `aws kms generate-data-key --key-id ${ALIAS} --key-spec AES_256`,
      `aws s3api put-object --bucket ${BUCKET} --key bench/round-${i}`,
      `aws s3api head-object --bucket ${BUCKET} --key bench/round-${i}`,
      'aws cloudtrail lookup-events --max-results 5',
      'lab clock advance 1m',
      'aws sts get-caller-identity',
    );
  }
  const from = await page.evaluate(() => performance.now());
  const per = [];
  for (const line of lines) {
    await page.evaluate(() => window.__scale.sleep(400));
    const r = await page.evaluate(([l, t]) => window.__scale.timed(l, t), [line, 1500]);
    delete r.json;
    per.push({ line, ...r });
  }
  const to = await page.evaluate(() => performance.now());
  result.commands = per.map((r) => roundAll(r));
  result.command_stats_ms = roundAll({
    run: stats(per.map((r) => r.run)),
    wall_run_grade_render: stats(per.map((r) => r.wall)),
    save: stats(per.map((r) => r.save)),
    save_serialise: stats(per.map((r) => r.serialise)),
    save_idb: stats(per.map((r) => r.idb)),
    total_with_save: stats(per.map((r) => r.total)),
  });
  result.commands_failed = per.filter((r) => !r.ok).map((r) => `${r.line}: ${r.err}`);
  result.commands_without_save = per.filter((r) => r.save === null).map((r) => r.line);
  result.commands_longtasks = await page.evaluate(([a, b]) => window.__scale.blocked(a, b), [from, to]);
  result.goal_p95_total_ms = 50;
  result.goal_met = result.command_stats_ms.total_with_save.p95 !== null && result.command_stats_ms.total_with_save.p95 <= 50;

  // 5. Every scenario's start (a fresh world and its set-up script), in a fresh page.
  log('scenario starts');
  const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await fresh.addInitScript(INIT);
  const sp = await fresh.newPage();
  sp.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  sp.on('dialog', (d) => d.accept());
  await sp.goto(`${base}#/scenarios`);
  await sp.waitForSelector('main a[href*="#/scenarios/"]', { timeout: 60000 });
  const ids = await sp.evaluate(() => [...new Set([...document.querySelectorAll('main a[href*="#/scenarios/"]')]
    .map((a) => a.getAttribute('href').split('#/scenarios/')[1]))]);
  const starts = [];
  for (const id of ids) {
    await sp.goto(`${base}#/scenarios/${id}`);
    await sp.waitForSelector('[data-testid=start-scenario]', { timeout: 60000 });
    await sp.evaluate(() => window.__scale.sleep(300));
    const from = await sp.evaluate(() => performance.now());
    await sp.click('[data-testid=start-scenario]');
    await sp.waitForSelector('[data-testid=objectives]', { timeout: 60000 });
    await sp.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const to = await sp.evaluate(() => performance.now());
    const blocked = await sp.evaluate(([a, b]) => window.__scale.blocked(a, b), [from, to]);
    starts.push({ scenario: id, wall_ms: to - from, longtasks: blocked });
    log(`start ${id}: ${Math.round(to - from)} ms, longest task ${Math.round(blocked.max_ms)} ms`);
  }
  result.scenario_starts = starts.map((r) => roundAll(r));
  await fresh.close();

  if (problems.length) result.problems = problems.slice(0, 20);
  console.log(JSON.stringify(roundAll(result)));
} catch (e) {
  console.error(`scale bench failed: ${e.stack || e.message}`);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);

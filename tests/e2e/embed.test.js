// Embedding: the #/embed/… views in iframes on ANOTHER origin, driven over the versioned
// postMessage protocol (README, "Embedding"): handshake, run/state/load/start/reset, the events
// (objective, completed, answered, changed, resize), the security rules (only the parent window,
// only allowed origins), separate worlds per instance, and screenshots of every view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { dist, root, launch, newPage, shotPath } from './harness.js';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
};

let browser, lab, host, LAB, LOCKED, HOST;

/** The lab looks for an optional `embed.json` beside index.html; where there is none, the
 *  browser logs the 404 of that probe as a console error. Anything else is a real problem. */
const real = (problems) => problems.filter((p) => !/status of 404/.test(p));

/** The lab's origin: dist at /labs/kms/ (open to any host) and /locked/kms/ (an embed.json
 *  that allows one other origin only). */
function serveLab() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const prefix = ['/labs/kms/', '/locked/kms/'].find((p) => url.pathname.startsWith(p));
    if (!prefix) { res.writeHead(404); res.end(); return; }
    const rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    if (prefix === '/locked/kms/' && rel === 'embed.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(['https://study.example']));
      return;
    }
    const file = path.normalize(path.join(dist, rel));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end(); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** The study site: serves the host page it is asked for (`/host?frames=URL1|URL2`). */
function serveHost() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const frames = (url.searchParams.get('frames') || '').split('|').filter(Boolean);
    const labOrigin = new URL(frames[0] || LAB).origin;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Study site</title></head><body>
<h1>Study site</h1>
${frames.map((f, i) => `<iframe id="f${i}" src="${f}" style="width:800px;height:400px;border:1px solid #888"></iframe>`).join('\n')}
<iframe id="sibling" srcdoc="<p>another frame</p>" style="width:10px;height:10px"></iframe>
<script>
  window.LAB_ORIGIN = ${JSON.stringify(labOrigin)};
  window.msgs = [];
  window.addEventListener('message', (e) => {
    const frame = [...document.querySelectorAll('iframe')].findIndex((f) => f.contentWindow === e.source);
    window.msgs.push({ frame, origin: e.origin, data: e.data });
    if (e.data && e.data.type === 'resize') document.querySelectorAll('iframe')[frame].style.height = e.data.height + 'px';
  });
  window.send = (i, m) => document.getElementById('f' + i).contentWindow.postMessage(Object.assign({ kmslab: 1 }, m), window.LAB_ORIGIN);
</script></body></html>`);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

before(async () => {
  lab = await serveLab();
  host = await serveHost();
  LAB = `http://127.0.0.1:${lab.address().port}/labs/kms/`;
  LOCKED = `http://127.0.0.1:${lab.address().port}/locked/kms/`;
  // Another origin: same host name, another port.
  HOST = `http://127.0.0.1:${host.address().port}/host`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  lab?.close();
  host?.close();
});

const hostPage = (...frames) => `${HOST}?frames=${encodeURIComponent(frames.join('|'))}`;

/** Messages frame `i` has sent of `type` (optionally matching `pred`). */
const received = (page, i, type) =>
  page.evaluate(([i, type]) => window.msgs.filter((m) => m.frame === i && m.data && m.data.type === type).map((m) => m.data), [i, type]);

/** Waits for a message of `type` from frame `i` (the n-th, 0-based). */
async function waitFor(page, i, type, pred = '() => true') {
  await page.waitForFunction(([i, type, pred]) => {
    const f = eval(pred); // eslint-disable-line no-eval
    return window.msgs.some((m) => m.frame === i && m.data && m.data.type === type && f(m.data));
  }, [i, type, pred], { timeout: 30000 });
  const all = await received(page, i, type);
  return all.filter(eval(pred)).pop(); // eslint-disable-line no-eval
}

/** Sends a request to frame `i` and resolves with its `result`. */
let nextId = 1;
async function request(page, i, message) {
  const id = `r${nextId++}`;
  await page.evaluate(([i, m]) => window.send(i, m), [i, { ...message, id }]);
  return waitFor(page, i, 'result', `(d) => d.id === ${JSON.stringify(id)}`);
}

async function handshake(page, i) {
  await waitFor(page, i, 'ready');
  const before = (await received(page, i, 'ready')).length;
  await page.evaluate((i) => window.send(i, { type: 'hello' }), i);
  await page.waitForFunction(([i, n]) => window.msgs.filter((m) => m.frame === i && m.data?.type === 'ready').length > n, [i, before]);
}

test('embed: handshake, run, state, load, reset, failures and events from another origin', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1000, height: 900 });
  await page.goto(hostPage(`${LAB}?instance=protocol#/embed/terminal`));
  // `ready` comes unasked, to the referrer's origin, with the version and route.
  const ready = await waitFor(page, 0, 'ready');
  assert.equal(ready.kmslab, 1);
  assert.equal(ready.route, '/embed/terminal');
  assert.ok(ready.version);
  const origins = await page.evaluate(() => [...new Set(window.msgs.map((m) => m.origin))]);
  assert.deepEqual(origins, [new URL(LAB).origin]);
  await handshake(page, 0);

  const who = await request(page, 0, { type: 'run', line: 'aws sts get-caller-identity --query Account --output text' });
  assert.equal(who.ok, true);
  assert.equal(who.exitCode, 0);
  assert.equal(who.stdout.trim(), '111122223333');
  // The line shows in the view's own terminal.
  await page.frameLocator('#f0').locator('.term-entry').filter({ hasText: 'get-caller-identity' }).first().waitFor();
  const made = await request(page, 0, { type: 'run', line: 'aws kms create-key --description embedded' });
  assert.equal(made.ok, true);
  const keyId = made.json.KeyMetadata.KeyId;
  const failed = await request(page, 0, { type: 'run', line: 'aws kms describe-key --key-id alias/none' });
  assert.equal(failed.ok, false);
  assert.equal(failed.exitCode, 254);
  assert.match(failed.stderr, /NotFoundException/);
  // A change of the world is announced.
  const changed = await waitFor(page, 0, 'changed');
  assert.ok(changed.revision > 0);

  const state = await request(page, 0, { type: 'state' });
  assert.equal(state.ok, true);
  assert.equal(state.state.kind, 'kmslab-state');
  // A bad state document is refused and the world stays as it was.
  const bad = await request(page, 0, { type: 'load', state: { kind: 'something-else', schemaVersion: 1 } });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'InvalidState');
  const still = await request(page, 0, { type: 'run', line: `aws kms describe-key --key-id ${keyId} --query KeyMetadata.KeyState --output text` });
  assert.equal(still.stdout.trim(), 'Enabled');
  // Unknown types, missing fields and unknown scenarios get ok:false with their id.
  const unknown = await request(page, 0, { type: 'teleport' });
  assert.deepEqual([unknown.ok, unknown.error.code], [false, 'UnknownType']);
  const missing = await request(page, 0, { type: 'run' });
  assert.deepEqual([missing.ok, missing.error.code], [false, 'MissingField']);
  const noScenario = await request(page, 0, { type: 'start', scenario: 'no-such-scenario' });
  assert.deepEqual([noScenario.ok, noScenario.error.code], [false, 'UnknownScenario']);

  // reset, then load the saved state back.
  assert.equal((await request(page, 0, { type: 'reset' })).ok, true);
  const gone = await request(page, 0, { type: 'run', line: `aws kms describe-key --key-id ${keyId}` });
  assert.equal(gone.ok, false);
  assert.equal((await request(page, 0, { type: 'load', state: state.state })).ok, true);
  const back = await request(page, 0, { type: 'run', line: `aws kms describe-key --key-id ${keyId} --query KeyMetadata.Description --output text` });
  assert.equal(back.stdout.trim(), 'embedded');

  // The frame sized itself from `resize` events.
  const resize = await waitFor(page, 0, 'resize');
  assert.ok(resize.height > 100, `height ${resize.height}`);
  const frameHeight = await page.evaluate(() => document.getElementById('f0').getBoundingClientRect().height);
  assert.ok(Math.abs(frameHeight - (await received(page, 0, 'resize')).pop().height) <= 4, `frame is ${frameHeight}px`);
  assert.deepEqual(real(problems), [], problems.join('\n'));
  await context.close();
});

test('embed: a scenario reports its objectives and completion with scores', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1000, height: 900 });
  await page.goto(hostPage(`${LAB}?instance=scenario#/embed/scenario/key-rotation`));
  await handshake(page, 0);
  assert.equal((await request(page, 0, { type: 'start', scenario: 'key-rotation' })).ok, true);
  await page.frameLocator('#f0').locator('[data-testid=embed-shell]').waitFor();
  // The started scenario's variables are in the view's shell session.
  const key = await request(page, 0, { type: 'run', line: 'echo $KEY_ID' });
  assert.match(key.stdout, /^[0-9a-f-]{36}\s*$/);
  const solution = fs.readFileSync(path.join(root, 'crates', 'lab', 'scenarios', 'key-rotation', 'solutions', 'on-demand-first.aws'), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of solution) {
    const r = await request(page, 0, { type: 'run', line });
    assert.equal(r.ok, true, `${line}: ${r.stderr}`);
  }
  const done = await waitFor(page, 0, 'completed');
  assert.equal(done.scenario, 'key-rotation');
  assert.ok(done.score.total > 0);
  assert.equal(done.score.passed, done.score.total);
  const objectives = await received(page, 0, 'objective');
  assert.ok(objectives.length >= 1);
  for (const o of objectives) {
    assert.equal(o.scenario, 'key-rotation');
    assert.equal(typeof o.objective, 'string');
    assert.equal(typeof o.passed, 'boolean');
    assert.equal(o.score.total, done.score.total);
  }
  assert.equal(objectives.at(-1).score.passed, done.score.total);
  assert.equal((await received(page, 0, 'completed')).length, 1, 'completed is sent once');
  assert.deepEqual(real(problems), [], problems.join('\n'));
  await context.close();
});

test('embed: a quiz answer is reported with the running score', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1000, height: 900 });
  await page.goto(hostPage(`${LAB}?instance=quiz#/embed/quiz/key-types`));
  await handshake(page, 0);
  const frame = page.frameLocator('#f0');
  const q = frame.locator('[data-testid=question]');
  await q.waitFor();
  const id = await q.locator('[data-testid=question-id]').textContent();
  const need = /Choose (\d)/.exec(await q.textContent());
  for (let i = 0; i < (need ? Number(need[1]) : 1); i++) await q.locator('[data-testid=option]').nth(i).click();
  await frame.locator('[data-testid=submit-answer]').click();
  const answered = await waitFor(page, 0, 'answered');
  assert.equal(answered.question, id);
  assert.equal(typeof answered.correct, 'boolean');
  assert.deepEqual(answered.score, { correct: answered.correct ? 1 : 0, answered: 1 });
  assert.deepEqual(real(problems), [], problems.join('\n'));
  await context.close();
});

test('embed: only the parent window, and only allowed origins, can drive the lab', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1000, height: 900 });
  await page.goto(hostPage(`${LAB}?instance=guarded#/embed/terminal`));
  await handshake(page, 0);
  // A sibling frame (not the parent) posts a command: nothing runs.
  await page.evaluate(() => {
    // The same request, posted by the sibling's own script.
    const s = document.getElementById('sibling');
    s.contentWindow.document.body.innerHTML = '';
    const script = s.contentWindow.document.createElement('script');
    script.textContent = "parent.document.getElementById('f0').contentWindow.postMessage({ kmslab: 1, type: 'run', id: 'evil2', line: 'aws kms create-key --description evil' }, '*');";
    s.contentWindow.document.body.appendChild(script);
  });
  const keys = await request(page, 0, { type: 'run', line: 'aws kms list-keys --query "length(Keys)"' });
  assert.equal(keys.stdout.trim(), '0', 'no key was created by a window other than the parent');
  assert.equal((await page.evaluate(() => window.msgs.filter((m) => m.data?.id === 'evil2').length)), 0);

  // A lab whose embed.json does not list this host answers nothing, not even `ready`.
  const locked = await newPage(browser, { width: 1000, height: 900 });
  await locked.page.goto(hostPage(`${LOCKED}?instance=locked#/embed/terminal`));
  await locked.page.frameLocator('#f0').locator('[data-testid=embed-shell]').waitFor();
  await locked.page.evaluate(() => {
    window.send(0, { type: 'hello' });
    window.send(0, { type: 'run', id: 'x', line: 'aws kms create-key' });
  });
  await locked.page.waitForTimeout(1500);
  assert.equal(await locked.page.evaluate(() => window.msgs.length), 0, 'the locked lab posts nothing to this host');
  await locked.context.close();
  assert.deepEqual(real(problems), [], problems.join('\n'));
  await context.close();
});

test('embed: two embeds keep separate worlds, and the full lab world is untouched', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1700, height: 900 });
  // The full lab has a world of its own first.
  await page.goto(LAB + '#/kms/keys');
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
  await page.evaluate(() => window.kmsLab.run('aws kms create-key --description full-lab'));
  // Saving is asynchronous (IndexedDB): wait until the full lab's save holds the key.
  await page.waitForFunction(() => new Promise((resolve) => {
    const open = indexedDB.open('kmslab');
    open.onsuccess = () => {
      const get = open.result.transaction('state').objectStore('state').get('kmslab.state.doc');
      get.onsuccess = () => { resolve(String(get.result || '').includes('full-lab')); open.result.close(); };
      get.onerror = () => resolve(false);
    };
    open.onerror = () => resolve(false);
  }));
  await page.goto(hostPage(`${LAB}?instance=left#/embed/terminal`, `${LAB}?instance=right#/embed/terminal`));
  await handshake(page, 0);
  await handshake(page, 1);
  await request(page, 0, { type: 'run', line: 'aws kms create-key --description left' });
  const descriptions = async (i) => {
    const r = await request(page, i, { type: 'run', line: 'aws kms list-keys --query "Keys[].KeyId" --output text' });
    const ids = r.stdout.split(/\s+/).filter(Boolean);
    const out = [];
    for (const id of ids) {
      out.push((await request(page, i, { type: 'run', line: `aws kms describe-key --key-id ${id} --query KeyMetadata.Description --output text` })).stdout.trim());
    }
    return out;
  };
  assert.deepEqual(await descriptions(0), ['left']);
  assert.deepEqual(await descriptions(1), [], 'the right embed does not see the left one');
  // Reload: each embed reads its own saved world back.
  await page.reload();
  await handshake(page, 0);
  await handshake(page, 1);
  assert.deepEqual(await descriptions(0), ['left']);
  assert.deepEqual(await descriptions(1), []);
  // The full lab still has exactly its own key.
  await page.goto(LAB + '#/kms/keys');
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.state);
  await page.waitForSelector('[data-testid=keys-table]');
  const table = await page.textContent('[data-testid=keys-table]');
  assert.match(table, /full-lab/);
  assert.doesNotMatch(table, /left/);
  assert.deepEqual(real(problems), [], problems.join('\n'));
  await context.close();
});

test('embed views: screenshots at 400×600 and 800×600, light and dark', async () => {
  const views = [['terminal', 'terminal'], ['scenario', 'scenario/key-rotation'], ['quiz', 'quiz/key-types'], ['question', 'quiz/q/kt-default-key']];
  for (const theme of ['light', 'dark']) {
    for (const [w, h] of [[400, 600], [800, 600]]) {
      const { context, page, problems } = await newPage(browser, { width: w, height: h });
      for (const [name, route] of views) {
        await page.goto(`${LAB}?instance=shots-${name}&theme=${theme}#/embed/${route}`);
        await page.waitForSelector('[data-testid=embed-shell]');
        assert.equal(await page.getAttribute('html', 'data-theme'), theme);
        assert.equal(await page.locator('.side-nav, .top-bar').count(), 0, 'no side navigation or top bar');
        await page.waitForSelector('[data-testid=open-full-lab]');
        // Nothing sticks out sideways at this width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `${name} at ${w}px overflows by ${overflow}px`);
        await page.screenshot({ path: shotPath(`embed-${name}-${w}x${h}-${theme}`) });
      }
      assert.deepEqual(real(problems), [], problems.join('\n'));
      await context.close();
    }
  }
});

// embed.js from a plain HTML page on ANOTHER origin (issue #15 item 3): the handshake, run, start,
// the objective/completed/changed/resize events, two embeds with separate worlds, errors as
// rejections with a code, only the lab's own frame is listened to, and destroy().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, newPage, root, dist, shotPath } from './harness.js';

const SCENARIO = 'key-rotation';
const scenarioDir = path.join(root, 'crates', 'lab', 'scenarios', SCENARIO);
const objectives = JSON.parse(fs.readFileSync(path.join(scenarioDir, 'scenario.json'), 'utf8'))
  .objectives.map((o) => o.id);
/** The reference solution: one line per command (comments and blank lines dropped). */
const solution = fs.readFileSync(path.join(scenarioDir, 'solutions', 'scheduled-first.aws'), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

let lab; let labBase; let host; let hostBase; let browser;

/** The study site: a plain page on its own origin (another port) that loads embed.js from the lab. */
function serveHost(embedSrc) {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A study site</title>
<style>body{font:16px system-ui;margin:16px} .slot{border:1px solid #888;margin:8px 0}</style></head>
<body>
<h1>Rotate your keys</h1>
<p>Try it here:</p>
<div id="a" class="slot"></div>
<div id="b" class="slot"></div>
<script src="${embedSrc}"></script>
</body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/course/lesson.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    } else {
      res.writeHead(404); res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, base: `http://127.0.0.1:${server.address().port}/course/` })));
}

before(async () => {
  ({ server: lab, base: labBase } = await serveDist());
  ({ server: host, base: hostBase } = await serveHost(labBase + 'embed.js'));
  browser = await launch();
});
after(async () => { await browser?.close(); lab?.close(); host?.close(); });

/** The lab probes for its optional `embed.json`; where there is none the browser logs that 404 as a
 *  console error. Those are excused (and every 404 must be that probe); anything else is a problem. */
function real(made) {
  const stray = made.notFound.filter((u) => !u.endsWith('/embed.json'));
  return [...made.problems.filter((p) => !/status of 404/.test(p)), ...stray.map((u) => `404: ${u}`)];
}

/** A context whose lab origin serves embed.js (from the source tree when the bundle has none yet). */
async function hostPage(viewport = { width: 1000, height: 900 }) {
  const made = await newPage(browser, viewport);
  made.notFound = [];
  made.context.on('response', (r) => { if (r.status() === 404) made.notFound.push(r.url()); });
  if (!fs.existsSync(path.join(dist, 'embed.js'))) {
    await made.context.route(labBase + 'embed.js', (route) => route.fulfill({
      status: 200, contentType: 'text/javascript', path: path.join(root, 'static', 'embed.js'),
    }));
  }
  await made.page.goto(hostBase + 'lesson.html');
  assert.notEqual(new URL(hostBase).origin, new URL(labBase).origin, 'the host is on another origin');
  // Every message each embed hears, by slot.
  await made.page.evaluate(() => { window.heard = { a: [], b: [] }; window.labs = {}; });
  return made;
}

/** Embeds `route` into slot `slot` from inside the host page; resolves once the handle is there. */
async function embedInto(page, slot, options) {
  return page.evaluate(async ({ slot, options }) => {
    const handle = await window.KmsLab.embed(document.getElementById(slot), options);
    window.labs[slot] = handle;
    handle.on('*', (m) => window.heard[slot].push(m));
    return { version: handle.version, route: handle.route, origin: handle.origin, url: handle.url };
  }, { slot, options });
}

test('embed.js: terminal and scenario embeds from another origin, handshake, run, start, events, resize, separate worlds', async () => {
  const made = await hostPage();
  const { context, page } = made;

  // The terminal embed: handshake and a command.
  const a = await embedInto(page, 'a', { route: 'terminal', instance: 'embedjs-a', theme: 'dark' });
  assert.equal(a.origin, new URL(labBase).origin);
  assert.equal(a.url, `${labBase}?instance=embedjs-a&theme=dark#/embed/terminal`);
  assert.ok(a.version != null, 'ready carried a version');
  const iframeA = await page.evaluate(() => {
    const f = document.querySelector('#a iframe');
    return { src: f.src, title: f.title, referrerPolicy: f.referrerPolicy };
  });
  assert.equal(iframeA.src, a.url);

  const who = await page.evaluate(() => window.labs.a.run('aws sts get-caller-identity --output json'));
  assert.equal(who.ok, true, JSON.stringify(who));
  assert.equal(who.exitCode, 0);
  assert.equal(who.json.Account, '111122223333');
  assert.equal(typeof who.stdout, 'string');
  assert.equal(typeof who.stderr, 'string');
  const text = await page.evaluate(() => window.labs.a.run('aws sts get-caller-identity --query Account --output text'));
  assert.equal(text.stdout.trim(), '111122223333');
  assert.equal(text.json, null);
  const failed = await page.evaluate(() => window.labs.a.run('aws kms describe-key --key-id alias/missing'));
  assert.equal(failed.ok, false, 'a failing command resolves with ok:false');
  assert.equal(failed.exitCode, 254);
  assert.match(failed.stderr, /NotFoundException/);

  const created = await page.evaluate(() => window.labs.a.run('aws kms create-key --description from-embed-a'));
  assert.equal(created.ok, true);
  const keyA = created.json.KeyMetadata.KeyId;
  await page.waitForFunction(() => window.heard.a.some((m) => m.type === 'changed'), null, { timeout: 15000 });
  const changed = await page.evaluate(() => window.heard.a.filter((m) => m.type === 'changed'));
  assert.ok(changed.every((m) => m.kmslab === 1), 'every message carries kmslab: 1');

  // The scenario embed beside it, in its own instance.
  const b = await embedInto(page, 'b', { route: `scenario/${SCENARIO}`, instance: 'embedjs-b' });
  assert.equal(b.url, `${labBase}?instance=embedjs-b#/embed/scenario/${SCENARIO}`);
  await page.evaluate((id) => window.labs.b.start(id), SCENARIO);
  const keyVar = await page.evaluate(() => window.labs.b.run('echo $KEY_ID'));
  assert.match(keyVar.stdout.trim(), /^[0-9a-f-]{36}$/, `the started scenario's $KEY_ID is in the run session: ${JSON.stringify(keyVar)}`);

  for (const line of solution) {
    const r = await page.evaluate((l) => window.labs.b.run(l), line);
    assert.equal(r.ok, true, `${line}: ${JSON.stringify(r)}`);
  }
  await page.waitForFunction(() => window.heard.b.some((m) => m.type === 'completed'), null, { timeout: 30000 });
  const heardB = await page.evaluate(() => window.heard.b);
  const passed = new Set(heardB.filter((m) => m.type === 'objective' && m.passed).map((m) => m.objective));
  assert.deepEqual([...passed].sort(), [...objectives].sort(), 'every objective was reported passed');
  for (const m of heardB.filter((x) => x.type === 'objective')) {
    assert.equal(m.scenario, SCENARIO);
    assert.equal(m.score.total, objectives.length);
    assert.ok(m.score.passed >= 0 && m.score.passed <= objectives.length);
  }
  const completed = heardB.find((m) => m.type === 'completed');
  assert.equal(completed.scenario, SCENARIO);
  assert.deepEqual(completed.score, { passed: objectives.length, total: objectives.length });
  assert.ok(heardB.some((m) => m.type === 'changed'), 'the scenario embed reported changes');
  assert.ok(!heardB.some((m) => m.type === 'answered'));

  // Separate worlds: the key made in A is not in B, and B's scenario key is not in A.
  const worlds = await page.evaluate(async () => ({
    a: JSON.stringify(await window.labs.a.state()),
    b: JSON.stringify(await window.labs.b.state()),
  }));
  assert.ok(worlds.a.includes(keyA), 'A keeps its key');
  assert.ok(!worlds.b.includes(keyA), 'B never saw A\'s key');
  assert.ok(!worlds.a.includes(keyVar.stdout.trim()), 'A never saw B\'s scenario key');
  assert.match(worlds.a, /"kind":"kmslab-state"/);

  // The iframes follow the lab's resize events.
  await page.waitForFunction(() => ['a', 'b'].every((s) => window.heard[s].some((m) => m.type === 'resize')),
    null, { timeout: 15000 });
  for (const slot of ['a', 'b']) {
    const sized = await page.evaluate((s) => {
      const last = window.heard[s].filter((m) => m.type === 'resize').pop();
      return { reported: last.height, style: document.querySelector(`#${s} iframe`).style.height };
    }, slot);
    assert.ok(sized.reported > 0, `${slot}: a positive height`);
    assert.equal(sized.style, `${Math.ceil(sized.reported)}px`, `${slot}: the iframe took the reported height`);
  }
  await page.screenshot({ path: shotPath('embedjs-host-two-embeds'), fullPage: true });
  assert.deepEqual(real(made), [], real(made).join('\n'));
  await context.close();
});

test('embed.js: reset/load/state round trip, lab errors reject with a code, forged messages are ignored, destroy', async () => {
  const made = await hostPage();
  const { context, page } = made;
  await embedInto(page, 'a', { route: 'terminal', instance: 'embedjs-c' });
  const out = await page.evaluate(async () => {
    const lab = window.labs.a;
    const made = await lab.run('aws kms create-key --description keep-me');
    const saved = await lab.state();
    await lab.reset();
    const afterReset = JSON.stringify(await lab.state());
    await lab.load(saved);
    const afterLoad = JSON.stringify(await lab.state());
    const errorOf = (p) => p.then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message, isError: e instanceof Error }));
    const badStart = await errorOf(lab.start('no-such-scenario'));
    const badLoad = await errorOf(lab.load({ kind: 'not-a-state' }));
    const stillThere = JSON.stringify(await lab.state()).includes(made.json.KeyMetadata.KeyId);
    return { keyId: made.json.KeyMetadata.KeyId, afterReset, afterLoad, badStart, badLoad, stillThere };
  });
  assert.ok(!out.afterReset.includes(out.keyId), 'reset() gave a fresh world');
  assert.ok(out.afterLoad.includes(out.keyId), 'load(state) brought the key back');
  for (const [what, e] of [['start(unknown)', out.badStart], ['load(bad)', out.badLoad]]) {
    assert.ok(e, `${what} rejected`);
    assert.equal(e.isError, true, `${what} rejects with an Error`);
    assert.equal(typeof e.code, 'string', `${what} carries the lab's error code`);
    assert.ok(e.code.length > 0 && e.message.length > 0, `${what}: ${JSON.stringify(e)}`);
  }
  assert.equal(out.stillThere, true, 'failed requests left the world unchanged');

  // A message that claims to come from the lab but is posted by another window is not heard.
  const forged = await page.evaluate(async () => {
    let fired = 0;
    window.labs.a.on('completed', () => { fired += 1; });
    window.postMessage({ kmslab: 1, type: 'completed', scenario: 'key-rotation', score: { passed: 4, total: 4 } }, '*');
    const frame = document.createElement('iframe');
    frame.srcdoc = `<script>parent.postMessage({ kmslab: 1, type: 'completed', scenario: 'x', score: { passed: 1, total: 1 } }, '*')<\/script>`;
    document.body.appendChild(frame);
    await new Promise((r) => setTimeout(r, 500));
    frame.remove();
    return fired;
  });
  assert.equal(forged, 0, 'only the lab frame\'s own messages reach on() listeners');

  // destroy(): the iframe goes, pending and later requests reject with code 'destroyed'.
  const gone = await page.evaluate(async () => {
    const lab = window.labs.a;
    const pending = lab.run('aws kms list-keys').then(() => 'resolved', (e) => e.code);
    lab.destroy();
    const later = await lab.state().then(() => 'resolved', (e) => e.code);
    return { pending: await pending, later, frames: document.querySelectorAll('#a iframe').length };
  });
  assert.equal(gone.frames, 0);
  assert.equal(gone.later, 'destroyed');
  assert.ok(['destroyed', 'resolved'].includes(gone.pending), gone.pending);
  assert.deepEqual(real(made), [], real(made).join('\n'));
  await context.close();
});

test('embed.js: a question embed reports answered with the score', async () => {
  const made = await hostPage();
  const { context, page } = made;
  const QUESTION = 'rot-default-off';
  const quiz = JSON.parse(fs.readFileSync(path.join(root, 'crates', 'lab', 'quiz', 'rotation.json'), 'utf8'));
  const right = quiz.questions.find((q) => q.id === QUESTION).options.find((o) => o.correct).text;
  await embedInto(page, 'a', { route: `quiz/q/${QUESTION}`, instance: 'embedjs-q', theme: 'light' });
  const frame = page.frames().find((f) => f.url().includes(`#/embed/quiz/q/${QUESTION}`));
  assert.ok(frame, 'the question frame');
  await frame.waitForSelector('[data-testid=question]');
  await frame.locator('[data-testid=option]').filter({ has: frame.locator('.option-text', { hasText: right }) }).first().click();
  await frame.click('[data-testid=submit-answer]');
  await page.waitForFunction(() => window.heard.a.some((m) => m.type === 'answered'), null, { timeout: 15000 });
  const answered = await page.evaluate(() => window.heard.a.filter((m) => m.type === 'answered'));
  assert.equal(answered.length, 1);
  assert.equal(answered[0].question, QUESTION);
  assert.equal(answered[0].correct, true);
  assert.deepEqual(answered[0].score, { correct: 1, answered: 1 });
  assert.deepEqual(real(made), [], real(made).join('\n'));
  await context.close();
});

test('embed.js: a lab that never answers makes embed() reject with code timeout', async () => {
  const { context, page } = await hostPage();
  const result = await page.evaluate(() => window.KmsLab.embed('#a', { base: location.origin + '/nowhere/', timeout: 1500 })
    .then(() => 'resolved', (e) => ({ code: e.code, frames: document.querySelectorAll('#a iframe').length })));
  assert.deepEqual(result, { code: 'timeout', frames: 0 });
  await context.close();
});

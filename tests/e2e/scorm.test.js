// The SCORM 1.2 package (issue #15 item 5) inside a real SCORM 1.2 runtime acting as the LMS
// (scorm-again's Scorm12API as window.API): `cargo xtask scorm` builds the zip from the bundle,
// an "LMS" page frames the package's launch page, the learner solves the scenario (or answers
// quiz questions) in the lab, and the LMS receives the score, the status, commits, suspend_data
// and LMSFinish.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { launch, newPage, root, dist, shotPath } from './harness.js';

const here = path.join(root, 'tests', 'e2e');
const SCENARIO = 'key-rotation';
const TOPIC = 'rotation';
const scenarioDir = path.join(root, 'crates', 'lab', 'scenarios', SCENARIO);
const objectives = JSON.parse(fs.readFileSync(path.join(scenarioDir, 'scenario.json'), 'utf8')).objectives.map((o) => o.id);
const solution = fs.readFileSync(path.join(scenarioDir, 'solutions', 'scheduled-first.aws'), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const topic = JSON.parse(fs.readFileSync(path.join(root, 'crates', 'lab', 'quiz', `${TOPIC}.json`), 'utf8'));
const questions = topic.questions.map((q) => q.id);
/** Option texts of question `id`: the right ones, or the wrong ones. */
const optionTexts = (id, correct) => topic.questions.find((q) => q.id === id).options
  .filter((o) => Boolean(o.correct) === correct).map((o) => o.text);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kmslab-scorm-'));
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.xml': 'application/xml',
};

/** `cargo xtask scorm` from the bundle under test, then unpacked (as an LMS does on upload). */
function buildPackage(flag, id) {
  const zip = path.join(tmp, `${flag}-${id}.zip`);
  execFileSync(process.env.CARGO || 'cargo', ['xtask', 'scorm', `--${flag}`, id, '--dist', dist, '--out', zip],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = path.join(tmp, `${flag}-${id}`);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  return dir;
}

/** The LMS: its player page (scorm-again as window.API) and the unpacked packages, on one origin. */
function serveLms(packages) {
  const player = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LMS player</title>
<style>body{margin:0;font:14px system-ui} header{padding:6px 10px;background:#334;color:#fff}</style>
<script src="/scorm-again/scorm12.js"></script>
<script>
  const params = new URLSearchParams(location.search);
  window.lmsLog = [];
  window.API = new Scorm12API({ autocommit: false, lmsCommitUrl: false, logLevel: 4 });
  API.loadFromJSON(JSON.parse(params.get('cmi') || '{}'));
  const snap = (ev) => ({ ev, status: API.cmi.core.lesson_status, raw: API.cmi.core.score.raw, at: Date.now() });
  for (const ev of ['LMSInitialize', 'LMSCommit', 'LMSFinish']) API.on(ev, () => lmsLog.push(snap(ev)));
  API.on('LMSSetValue.cmi.*', (element, value) => lmsLog.push({ ev: 'set', element, value }));
</script></head>
<body><header>Course: KMS · SCORM 1.2 player</header>
<iframe id="sco" style="width:100%;height:760px;border:0"></iframe>
<script>document.getElementById('sco').src = '/content/' + params.get('pkg') + '/launch.html';</script>
</body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://lms.test');
    let file = null;
    if (url.pathname === '/player.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] }); res.end(player); return;
    }
    if (url.pathname === '/scorm-again/scorm12.js') file = path.join(here, 'node_modules', 'scorm-again', 'dist', 'scorm12.js');
    const m = /^\/content\/([a-z0-9-]+)\/(.*)$/.exec(url.pathname);
    if (m && packages[m[1]]) {
      const base = packages[m[1]];
      file = path.normalize(path.join(base, decodeURIComponent(m[2]) || 'index.html'));
      if (!file.startsWith(base)) file = null;
    }
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () =>
    resolve({ server, base: `http://127.0.0.1:${server.address().port}/` })));
}

let scenarioPkg; let quizPkg; let lms; let lmsBase; let browser;
before(async () => {
  scenarioPkg = buildPackage('scenario', SCENARIO);
  quizPkg = buildPackage('quiz', TOPIC);
  ({ server: lms, base: lmsBase } = await serveLms({ scenario: scenarioPkg, quiz: quizPkg }));
  browser = await launch();
});
after(async () => { await browser?.close(); lms?.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** The browser logs the lab's probe for its optional embed.json (absent in a package) as a 404. */
function real(made) {
  const stray = made.notFound.filter((u) => !u.endsWith('/embed.json'));
  return [...made.problems.filter((p) => !/status of 404/.test(p)), ...stray.map((u) => `404: ${u}`)];
}

async function lmsPage(context, made, pkg, cmi = {}) {
  const page = made ? made.page : await context.newPage();
  await page.goto(`${lmsBase}player.html?pkg=${pkg}&cmi=${encodeURIComponent(JSON.stringify(cmi))}`);
  const sco = await waitForFrame(page, /\/launch\.html/);
  await sco.waitForFunction(() => window.kmslabScorm, null, { timeout: 30000 });
  await sco.evaluate(() => window.kmslabScorm.ready.then(() => true));
  return { page, sco };
}

async function waitForFrame(page, pattern) {
  for (let i = 0; i < 300; i++) {
    const frame = page.frames().find((f) => pattern.test(f.url()));
    if (frame) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error(`no frame matching ${pattern}`);
}

/** What the LMS holds; the write-only elements (exit, session_time) as the SCO last set them. */
const cmi = (page) => page.evaluate(() => {
  const lastSet = (element) => window.lmsLog.filter((e) => e.ev === 'set' && e.element === element).pop()?.value;
  return {
    status: API.cmi.core.lesson_status, raw: API.cmi.core.score.raw, min: API.cmi.core.score.min,
    max: API.cmi.core.score.max, suspend: API.cmi.suspend_data, exit: lastSet('cmi.core.exit'),
    sessionTime: lastSet('cmi.core.session_time'), log: window.lmsLog,
  };
});

test('SCORM package: manifest and contents as an LMS imports them', () => {
  for (const [dir, title] of [[scenarioPkg, 'scenario'], [quizPkg, 'quiz']]) {
    const manifest = fs.readFileSync(path.join(dir, 'imsmanifest.xml'), 'utf8');
    assert.match(manifest, /<schema>ADL SCORM<\/schema>\s*<schemaversion>1\.2<\/schemaversion>/);
    assert.match(manifest, /xmlns="http:\/\/www\.imsproject\.org\/xsd\/imscp_rootv1p1p2"/);
    assert.match(manifest, /xmlns:adlcp="http:\/\/www\.adlnet\.org\/xsd\/adlcp_rootv1p2"/);
    assert.match(manifest, /<resource identifier="kmslab-sco" type="webcontent" adlcp:scormtype="sco" href="launch\.html">/);
    assert.match(manifest, /<organizations default="kmslab-org">/);
    const listed = [...manifest.matchAll(/<file href="([^"]+)"\/>/g)].map((m) => m[1]).sort();
    const walk = (d, pre = '') => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(path.join(d, e.name), `${pre}${e.name}/`) : [`${pre}${e.name}`]);
    const present = walk(dir).filter((f) => f !== 'imsmanifest.xml').sort();
    assert.deepEqual(listed, present, `${title}: the manifest lists every file`);
    for (const f of ['launch.html', 'scorm-launch.js', 'scorm-config.js', 'embed.js', 'index.html']) {
      assert.ok(present.includes(f), `${title}: ${f}`);
    }
    assert.ok(present.some((f) => f.endsWith('.wasm')), `${title}: the bundle's wasm`);
    assert.ok(!present.includes('embed.json'), `${title}: no embed.json (the launch page is same-origin)`);
  }
  const config = fs.readFileSync(path.join(quizPkg, 'scorm-config.js'), 'utf8');
  assert.match(config, /"route": "quiz\/rotation"/);
});

test('SCORM: solving the scenario in the lab reports 25% … 100%, passed, commits, suspend_data and LMSFinish into scorm-again', async () => {
  const made = await newPage(browser, { width: 1100, height: 900 });
  made.notFound = [];
  made.context.on('response', (r) => { if (r.status() === 404) made.notFound.push(r.url()); });
  const student = { core: { student_id: 'learner-42', student_name: 'Doe, Jane' } };
  const { page, sco } = await lmsPage(made.context, made, 'scenario', student);

  let now = await cmi(page);
  assert.equal(now.log[0].ev, 'LMSInitialize', 'LMSInitialize first');
  assert.equal(now.status, 'incomplete');
  assert.equal(now.min, '0');
  assert.equal(now.max, '100');
  assert.equal(now.raw, '0');
  const instance = await sco.evaluate(() => window.kmslabScorm.instance);
  assert.match(instance, /^scorm-scenario-key-rotation-[0-9a-z]+$/, 'an instance per package and learner');
  const keyId = (await sco.evaluate(async () => (await window.kmslabScorm.ready).run('echo $KEY_ID'))).stdout.trim();
  assert.match(keyId, /^[0-9a-f-]{36}$/, 'the launch page started the scenario');

  // One objective: a quarter of the score, still incomplete, committed.
  const commitsBefore = now.log.filter((e) => e.ev === 'LMSCommit').length;
  const first = await sco.evaluate(async (line) => (await window.kmslabScorm.ready).run(line), solution[0]);
  assert.equal(first.ok, true, JSON.stringify(first));
  const expected = String(Math.round(100 / objectives.length));
  await page.waitForFunction((raw) => API.cmi.core.score.raw === raw, expected, { timeout: 15000 });
  now = await cmi(page);
  assert.equal(now.status, 'incomplete');
  assert.ok(now.log.filter((e) => e.ev === 'LMSCommit').length > commitsBefore, 'the score was committed');
  assert.ok(now.log.some((e) => e.ev === 'LMSCommit' && e.raw === expected), 'a commit carried the partial score');

  for (const line of solution.slice(1)) {
    const r = await sco.evaluate(async (l) => (await window.kmslabScorm.ready).run(l), line);
    assert.equal(r.ok, true, `${line}: ${JSON.stringify(r)}`);
  }
  await page.waitForFunction(() => API.cmi.core.lesson_status === 'passed', null, { timeout: 30000 });
  now = await cmi(page);
  assert.equal(now.raw, '100');
  const passedCommit = now.log.find((e) => e.ev === 'LMSCommit' && e.status === 'passed');
  assert.ok(passedCommit && passedCommit.raw === '100', 'passed and 100 were committed');
  assert.ok(now.suspend.length > 0 && now.suspend.length <= 4096, `suspend_data fits SCORM 1.2: ${now.suspend.length}`);
  const saved = JSON.parse(now.suspend);
  assert.equal(saved.m, '1'.repeat(objectives.length), 'every objective is kept as passed');
  assert.equal(saved.c, 1);
  const stateSize = (await sco.evaluate(async () => JSON.stringify(await (await window.kmslabScorm.ready).state()).length));
  if ('w' in saved) assert.ok(stateSize < 4096, 'the world is in suspend_data only when it fits');
  else assert.ok(stateSize > 4096 - now.suspend.length, `a ${stateSize}-character world stays in the browser`);
  await page.screenshot({ path: shotPath('scorm-scenario-passed'), fullPage: true });

  // pagehide: session time, exit, a last commit, LMSFinish.
  await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
  await page.waitForFunction(() => window.lmsLog.some((e) => e.ev === 'LMSFinish'), null, { timeout: 15000 });
  now = await cmi(page);
  const finishAt = now.log.findIndex((e) => e.ev === 'LMSFinish');
  assert.equal(now.log[finishAt - 1].ev, 'LMSCommit', 'committed right before LMSFinish');
  assert.equal(now.log.filter((e) => e.ev === 'LMSFinish').length, 1);
  assert.equal(now.exit, '', 'a passed lesson exits normally');
  assert.match(now.sessionTime, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/, 'session_time in CMITimespan');
  assert.equal(now.status, 'passed');

  // The learner comes back: the LMS hands the suspend_data back; the browser still has the world.
  const resumed = await lmsPage(made.context, made, 'scenario', {
    ...student, core: { ...student.core, lesson_status: 'passed', entry: 'resume' }, suspend_data: now.suspend,
  });
  const progress = await resumed.sco.evaluate(() => window.kmslabScorm.progress());
  assert.equal(progress.marks, '1'.repeat(objectives.length));
  assert.equal(progress.completed, true);
  assert.equal(progress.best, 100);
  const again = await cmi(resumed.page);
  assert.equal(again.status, 'passed', 'a passed lesson stays passed');
  assert.equal(again.raw, '100');
  const keyAgain = (await resumed.sco.evaluate(async () => (await window.kmslabScorm.ready).run('echo $KEY_ID'))).stdout.trim();
  assert.equal(keyAgain, keyId, 'the scenario was not restarted: the same world');
  assert.deepEqual(real(made), [], real(made).join('\n'));
  await made.context.close();
});

test('SCORM: answering quiz questions in the lab reports the percentage of the topic into scorm-again', async () => {
  const made = await newPage(browser, { width: 1100, height: 900 });
  made.notFound = [];
  made.context.on('response', (r) => { if (r.status() === 404) made.notFound.push(r.url()); });
  const { page, sco } = await lmsPage(made.context, made, 'quiz', { core: { student_id: 'learner-7' } });
  const lab = await waitForFrame(page, /#\/embed\/quiz\/rotation/);
  await lab.waitForSelector('[data-testid=question]', { timeout: 30000 });

  const verdicts = {};
  for (let i = 0; i < 2; i++) {
    const q = lab.locator('[data-testid=question]');
    const id = (await q.locator('[data-testid=question-id]').textContent()).trim();
    // The first question is answered right, the second wrong.
    const wantRight = i === 0;
    const need = /Choose (\d)/.exec(await q.textContent());
    const picks = optionTexts(id, wantRight).slice(0, need ? Number(need[1]) : 1);
    if (!wantRight && picks.length < (need ? Number(need[1]) : 1)) picks.push(...optionTexts(id, true));
    for (const text of picks.slice(0, need ? Number(need[1]) : 1)) {
      await q.locator('[data-testid=option]').filter({ has: lab.locator('.option-text', { hasText: text }) }).first().click();
    }
    await lab.click('[data-testid=submit-answer]');
    await lab.waitForSelector('[data-testid=feedback]');
    const verdict = (await lab.locator('[data-testid=feedback] strong').first().textContent()).trim();
    verdicts[id] = verdict.startsWith('Correct');
    // The answer reached the LMS: one more mark in suspend_data.
    await page.waitForFunction((n) => {
      const s = JSON.parse(API.cmi.suspend_data || '{}');
      return typeof s.m === 'string' && s.m.replace(/-/g, '').length === n;
    }, i + 1, { timeout: 15000 });
    await lab.click('[data-testid=next-question]');
    await lab.waitForFunction((prev) => document.querySelector('[data-testid=question-id]')?.textContent.trim() !== prev, id);
  }
  assert.equal(Object.keys(verdicts).length, 2, 'two different questions answered');
  assert.deepEqual(Object.values(verdicts), [true, false], 'the lab judged one right, one wrong');
  const right = Object.values(verdicts).filter(Boolean).length;
  const expected = String(Math.round((100 * right) / questions.length));
  const now = await cmi(page);
  assert.equal(now.raw, expected, `${right} of ${questions.length} right`);
  assert.equal(now.status, 'incomplete', 'not every question is answered yet');
  const marks = JSON.parse(now.suspend).m;
  for (const [id, ok] of Object.entries(verdicts)) {
    assert.equal(marks[questions.indexOf(id)], ok ? '1' : '0', `${id} is kept as ${ok ? 'right' : 'wrong'}`);
  }
  await page.screenshot({ path: shotPath('scorm-quiz-answered'), fullPage: true });
  assert.deepEqual(real(made), [], real(made).join('\n'));
  await made.context.close();
});

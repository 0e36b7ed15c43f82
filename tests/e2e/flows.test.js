// Real flows through the engine in the page: run aws-cli commands in the terminal, see the key in
// the console and the events in Activity, reload and find everything still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serveDist, launch, newPage, waitForApp, shotPath, type } from './harness.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

// Helpers evaluated in the page: the lab saves its world in IndexedDB (database kmslab, store state).
const IDB_HELPERS = `
  window.idbOpen = () => new Promise((res, rej) => { const r = indexedDB.open('kmslab', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('state'); r.onsuccess = () => res(r.result); r.onerror = rej; });
  window.idbPut = async (k, v) => { const db = await idbOpen(); await new Promise((res, rej) => {
    const tx = db.transaction('state', 'readwrite'); tx.objectStore('state').put(v, k); tx.oncomplete = res; tx.onerror = rej; }); db.close(); };
  window.idbGet = async (k) => { const db = await idbOpen(); const v = await new Promise((res, rej) => {
    const r = db.transaction('state').objectStore('state').get(k); r.onsuccess = () => res(r.result); r.onerror = rej; }); db.close(); return v; };
`;

test('a burst of commands is saved once it settles, and a reload in the middle of it loses nothing', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await context.addInitScript(IDB_HELPERS);
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  // Ten calls in one turn: the first is saved at once, the rest wait for a quiet moment.
  const ids = await page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < 10; i++) {
      const r = await window.kmsLab.run(`aws kms create-key --description burst-${i}`);
      out.push(JSON.parse(r.stdout).KeyMetadata.KeyId);
    }
    return out;
  });
  // Reload straight away: the pending change is written as the page goes (pagehide).
  await page.reload();
  await waitForApp(page);
  const listed = await page.evaluate(async () =>
    (await window.kmsLab.run("aws kms list-keys --query 'Keys[].KeyId' --output text")).stdout);
  for (const id of ids) assert.ok(listed.includes(id), `key ${id} survives a reload during the burst`);
  // The next change reaches IndexedDB (at once, or once the burst settles), and the
  // closing-time copy is cleared.
  await page.evaluate(() => window.kmsLab.run('aws kms create-key --description after'));
  let saved = '';
  for (let i = 0; i < 50 && !/"after"/.test(saved); i++) {
    await page.waitForTimeout(100);
    saved = (await page.evaluate(() => idbGet('kmslab.state.doc'))) || '';
  }
  assert.match(saved.slice(0, 200), /kmslab-state/);
  assert.ok(/"after"/.test(saved), 'the change after the reload is saved in IndexedDB');
  assert.equal(await page.evaluate(() => localStorage.getItem('kmslab.state.pending-parts')), null);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a big world is saved in parts: a command writes what changed, a reload puts it together, an older whole save still loads', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await context.addInitScript(IDB_HELPERS + `
    window.idbKeys = async () => { const db = await idbOpen(); const v = await new Promise((res, rej) => {
      const r = db.transaction('state').objectStore('state').getAllKeys(); r.onsuccess = () => res(r.result); r.onerror = rej; });
      db.close(); return v; };
    window.idbClear = async () => { const db = await idbOpen(); await new Promise((res, rej) => {
      const tx = db.transaction('state', 'readwrite'); tx.objectStore('state').clear(); tx.oncomplete = res; tx.onerror = rej; });
      db.close(); };
  `);
  const parts = async () => (await page.evaluate(() => idbKeys())).filter((k) => k.startsWith('kmslab.state.part.')).sort();
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  await page.evaluate(async () => {
    await window.kmsLab.run('aws s3api create-bucket --bucket parts-demo');
    await window.kmsLab.run('lab load --s3-put 2000 --bucket parts-demo');
  });
  // The objects and events are parts; the document keeps only placeholders for them.
  let before = [];
  for (let i = 0; i < 50 && before.length < 10; i++) { await page.waitForTimeout(100); before = await parts(); }
  assert.ok(before.length >= 10, `saved in parts: ${before.length}`);
  const doc = await page.evaluate(() => idbGet('kmslab.state.doc'));
  assert.ok(!doc.includes('bulk/001999') && doc.includes('kmslab-part'), 'objects are out of the document');

  // One more object: a few parts change, the rest stay as they were.
  await page.waitForTimeout(2100);
  await page.evaluate(() => window.kmsLab.run('aws s3api put-object --bucket parts-demo --key extra.txt'));
  let after = before;
  for (let i = 0; i < 50 && after.join() === before.join(); i++) { await page.waitForTimeout(100); after = await parts(); }
  const added = after.filter((k) => !before.includes(k));
  const removed = before.filter((k) => !after.includes(k));
  assert.ok(added.length >= 1 && added.length <= 4, `parts written: ${added.length} of ${after.length}`);
  assert.ok(removed.length <= added.length, `parts deleted: ${removed.length}`);

  // A reload puts the world back together.
  await page.reload();
  await waitForApp(page);
  for (const key of ['bulk/000000', 'bulk/001999', 'extra.txt']) {
    const r = await page.evaluate((k) => window.kmsLab.run(`aws s3api head-object --bucket parts-demo --key ${k}`), key);
    assert.equal(r.exitCode, 0, `${key}: ${r.stderr}`);
  }

  // A whole save written by an earlier build loads, and the next save replaces it with parts.
  const whole = await page.evaluate(async () => {
    await window.kmsLab.run('aws kms create-key --description from-an-older-build');
    return JSON.stringify(window.kmsLab.state());
  });
  // Once that is saved, the store holds what an older build wrote: one whole document.
  for (let i = 0; i < 50 && !((await page.evaluate(() => idbGet('kmslab.state.doc'))) || '').includes('from-an-older-build'); i++) {
    await page.waitForTimeout(100);
  }
  await page.evaluate(async (text) => { await idbClear(); await idbPut('kmslab.state', text); localStorage.clear(); }, whole);
  await page.goto('about:blank');
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  const described = await page.evaluate(() =>
    window.kmsLab.run("aws kms list-keys --query 'Keys[].KeyId' --output text"));
  const descriptions = [];
  for (const id of described.stdout.split(/\s+/).filter(Boolean)) {
    descriptions.push((await page.evaluate((k) => window.kmsLab.run(`aws kms describe-key --key-id ${k} --query KeyMetadata.Description --output text`), id)).stdout.trim());
  }
  assert.ok(descriptions.includes('from-an-older-build'), descriptions.join(','));
  let keys = [];
  for (let i = 0; i < 50 && keys.includes('kmslab.state'); i++) { await page.waitForTimeout(100); keys = await page.evaluate(() => idbKeys()); }
  for (let i = 0; i < 50 && !keys.includes('kmslab.state.doc'); i++) { await page.waitForTimeout(100); keys = await page.evaluate(() => idbKeys()); }
  assert.ok(keys.includes('kmslab.state.doc') && !keys.includes('kmslab.state'), keys.filter((k) => !k.includes('.part.')).join(','));
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('two tabs of the same lab: whichever saves last is the saved lab, and it always loads', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await context.addInitScript(IDB_HELPERS);
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  await page.evaluate(async () => {
    await window.kmsLab.run('aws s3api create-bucket --bucket two-tabs');
    await window.kmsLab.run('lab load --s3-put 600 --bucket two-tabs');
  });
  await page.waitForTimeout(2500);
  // A second tab loads the same saved lab.
  const other = await context.newPage();
  await other.goto(base + '#/kms/keys');
  await waitForApp(other);
  await other.waitForTimeout(1500);
  // The first tab changes the objects (its save drops the parts it no longer needs) ...
  await page.evaluate(async () => {
    for (let i = 0; i < 40; i++) await window.kmsLab.run(`aws s3api delete-object --bucket two-tabs --key bulk/${String(i * 15).padStart(6, '0')}`);
  });
  await page.waitForTimeout(2500);
  // ... then the second tab saves a change of its own, last.
  await other.evaluate(() => window.kmsLab.run('aws kms create-key --description saved-last'));
  await other.waitForTimeout(2500);
  await other.close();
  await page.close();
  const third = await context.newPage();
  await third.goto(base + '#/kms/keys');
  await waitForApp(third);
  assert.equal(await third.locator('[data-testid=notice]').count(), 0, 'the saved lab loads');
  const head = await third.evaluate(() => window.kmsLab.run('aws s3api head-object --bucket two-tabs --key bulk/000000'));
  assert.equal(head.exitCode, 0, 'the last saver (the second tab) never deleted that object');
  const keys = await third.evaluate(() => JSON.stringify(window.kmsLab.state()));
  assert.ok(keys.includes('saved-last'), 'the second tab saved last');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('Export world (JSON) downloads the whole state file of a big world, made in short passes', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  await page.evaluate(async () => {
    await window.kmsLab.run('aws s3api create-bucket --bucket export-demo');
    await window.kmsLab.run('lab load --s3-put 1500 --bucket export-demo');
  });
  const expected = await page.evaluate(() => window.kmsLab.state());
  // What the export's progress bar says, pass by pass.
  await page.evaluate(() => {
    window.__exportSeen = [];
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=export-progress]');
      if (bar) {
        const p = bar.querySelector('progress');
        window.__exportSeen.push({ text: bar.textContent, value: p.getAttribute('value'), max: p.getAttribute('max') });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await page.click('[data-testid=lab-menu]');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[role=menu] >> text=Export world (JSON)'),
  ]);
  assert.equal(download.suggestedFilename(), 'kmslab-state.json');
  const seen = await page.evaluate(() => window.__exportSeen);
  const counted = seen.filter((s) => /Exporting the world: \d+ of \d+ parts/.test(s.text));
  assert.ok(counted.length >= 1, `the bar counted parts: ${JSON.stringify(seen.slice(0, 5))}`);
  assert.ok(counted.every((s) => Number(s.value) < Number(s.max)), JSON.stringify(counted));
  await page.waitForSelector('[data-testid=export-progress]', { state: 'detached' });
  const text = await fs.promises.readFile(await download.path(), 'utf8');
  assert.ok(!text.includes('kmslab-part'), 'no placeholder is left in the file');
  const file = JSON.parse(text);
  assert.equal(file.kind, 'kmslab-state');
  assert.deepEqual(file, expected, 'the file is the state kmsLab.state() gives');
  assert.ok(text.includes('bulk/001499'));
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('terminal → console → activity → reload keeps the world', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await type(page, 'aws kms create-key --description "e2e key"');
  await page.waitForSelector('.term-entry');
  const created = await page.locator('.term-entry').last().locator('.term-stdout').textContent();
  const keyId = JSON.parse(created).KeyMetadata.KeyId;
  assert.match(keyId, /^[0-9a-f-]{36}$/);
  await type(page, `aws kms create-alias --alias-name alias/e2e --target-key-id ${keyId}`);
  await type(page, 'aws kms encrypt --key-id alias/e2e --plaintext aGVsbG8= --query KeyId --output text');
  await page.waitForFunction(() => document.querySelectorAll('.term-entry').length === 3);
  const arn = (await page.locator('.term-entry').last().locator('.term-stdout').textContent()).trim();
  assert.ok(arn.endsWith(keyId), arn);
  await type(page, 'aws kms describe-key --key-id alias/nope');
  await page.waitForSelector('.term-failed .term-stderr');
  assert.match(await page.textContent('.term-failed .term-stderr'),
    /An error occurred \(NotFoundException\) when calling the DescribeKey operation/);
  await page.click('.term-failed [data-testid=why]');
  assert.match(await page.textContent('[data-testid=why-card]'), /Regional/);
  await page.screenshot({ path: shotPath('flow-terminal-desktop') });

  await page.click('nav.side-nav >> text=Console');
  await page.waitForSelector('[data-testid=keys-table]');
  const table = await page.textContent('[data-testid=keys-table]');
  assert.ok(table.includes(keyId) && table.includes('alias/e2e') && table.includes('e2e key'), table);
  await page.click(`text=${keyId}`);
  await page.waitForSelector('[data-testid=key-policy]');
  assert.match(await page.textContent('[data-testid=key-policy]'), /Enable IAM User Permissions/);
  await page.screenshot({ path: shotPath('flow-key-detail-desktop'), fullPage: true });

  await page.click('nav.side-nav >> text=Activity');
  await page.waitForSelector('[data-testid=events-table]');
  const events = await page.textContent('[data-testid=events-table]');
  for (const name of ['CreateKey', 'CreateAlias', 'Encrypt', 'DescribeKey', 'NotFoundException']) {
    assert.ok(events.includes(name), `Activity should show ${name}`);
  }
  await page.screenshot({ path: shotPath('flow-activity-desktop'), fullPage: true });

  await page.reload();
  await waitForApp(page);
  await page.click('nav.side-nav >> text=Console');
  await page.waitForSelector('[data-testid=keys-table]');
  assert.ok((await page.textContent('[data-testid=keys-table]')).includes(keyId), 'key survives a reload');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a corrupt save gives a clear message and a fresh lab, never a blank page', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await context.addInitScript(IDB_HELPERS);
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  const newer = '{"schemaVersion": 99, "kind": "kmslab-state", "session": {}}';
  await page.evaluate((doc) => idbPut('kmslab.state.doc', doc), newer);
  await page.reload();
  await waitForApp(page);
  const notice = await page.textContent('[data-testid=notice]');
  assert.match(notice, /newer/);
  assert.equal(await page.evaluate(() => idbGet('kmslab.state.rejected')), newer, 'the unreadable save is kept');
  assert.ok(await page.locator('[data-testid=notice] >> text=Download the old save').count() === 1);
  await page.screenshot({ path: shotPath('flow-corrupt-save-desktop') });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('window.kmsLab: ready, run, state, reset (the study-site API)', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base + '#/kms/keys');
  const result = await page.evaluate(async () => {
    const readyEvent = new Promise((r) => window.addEventListener('kmslab:ready', () => r(true)));
    const api = await window.kmsLab.ready;
    const created = await api.run('aws kms create-key --description api');
    const failed = await api.run('aws kms describe-key --key-id alias/missing');
    const text = await api.run('aws sts get-caller-identity --query Account --output text');
    const state = api.state();
    await api.reset();
    const after = api.state();
    return { created, failed, text, kind: state.kind, version: state.schemaVersion,
      keysBefore: JSON.stringify(state).includes(created.json.KeyMetadata.KeyId),
      keysAfter: JSON.stringify(after).includes(created.json.KeyMetadata.KeyId),
      sameApi: api === window.kmsLab, readyEvent: await Promise.race([readyEvent, Promise.resolve('already')]) };
  });
  assert.equal(result.created.ok, true);
  assert.equal(result.created.exitCode, 0);
  assert.match(result.created.json.KeyMetadata.Arn, /^arn:aws:kms:us-east-1:111122223333:key\//);
  assert.equal(result.failed.ok, false);
  assert.equal(result.failed.exitCode, 254);
  assert.match(result.failed.stderr, /An error occurred \(NotFoundException\) when calling the DescribeKey operation/);
  assert.equal(result.text.stdout.trim(), '111122223333');
  assert.equal(result.text.json, null);
  assert.equal(result.kind, 'kmslab-state');
  assert.equal(result.version, 1);
  assert.equal(result.keysBefore, true);
  assert.equal(result.keysAfter, false, 'reset() gives a fresh world');
  assert.equal(result.sameApi, true);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('create a key in the wizard, then an invalid policy edit is refused and nothing is saved', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base + '#/kms/create-key');
  await waitForApp(page);
  // The console's steps: configure, labels, administrators, users, review.
  await page.click('[data-testid=wizard-next]');
  await page.fill('input[aria-label=Alias]', 'wizard-key');
  await page.fill('input[aria-label=Description]', 'made by the wizard');
  await page.click('[data-testid=wizard-next]');
  await page.check('[data-testid=admins] >> text=arn:aws:iam::111122223333:role/SecurityAdmin');
  await page.click('[data-testid=wizard-next]');
  await page.check('[data-testid=users] >> text=arn:aws:iam::111122223333:role/AppRole');
  await page.click('[data-testid=wizard-next]');
  const policy = JSON.parse(await page.textContent('[data-testid=wizard-policy]'));
  assert.deepEqual(policy.Statement.map((s) => s.Sid), ['Enable IAM User Permissions',
    'Allow access for Key Administrators', 'Allow use of the key', 'Allow attachment of persistent resources']);
  await page.click('[data-testid=create-key]');
  await page.waitForSelector('[data-testid=key-policy]');
  assert.match(location(page), /#\/kms\/keys\/us-east-1\/[0-9a-f-]{36}$/);
  assert.match(await page.textContent('[data-testid=flash]'), /Created key .* with alias alias\/wizard-key/);
  const saved = await page.textContent('[data-testid=key-policy]');
  assert.match(saved, /Allow access for Key Administrators/);
  await page.screenshot({ path: shotPath('flow-wizard-created-desktop'), fullPage: true });

  await page.click('[data-testid=edit-policy]');
  await page.fill('[data-testid=policy-editor]', '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow" ');
  await page.click('text=Save changes');
  assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicyDocumentException/);
  await page.fill('[data-testid=policy-editor]', '{"Version":"2012-10-17","Statement":[{"Sid":"x","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Acton":"kms:*","Resource":"*"}]}');
  await page.click('text=Save changes');
  await page.waitForSelector('[data-testid=policy-error]');
  assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicyDocumentException/);
  await page.screenshot({ path: shotPath('flow-policy-invalid-desktop'), fullPage: true });
  await page.click('text=Cancel');
  assert.equal(await page.textContent('[data-testid=key-policy]'), saved, 'the policy is unchanged');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

function location(page) { return page.url(); }

test('a scenario starts from its deep link, grades live as the learner works, and persists', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/scenarios');
  await waitForApp(page);
  const cards = await page.locator('[data-testid=scenario-cards] .card').count();
  assert.ok(cards >= 13, `13 scenario ids are listed (got ${cards})`);
  await page.goto(base + '#/scenarios/scheduled-deletion');
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
  const before = await page.locator('[data-testid=objectives] .obj-pass').count();
  assert.equal(before, 0, 'nothing passes on the untouched setup');
  await page.click('[data-testid=check]');
  await page.screenshot({ path: shotPath('flow-scenario-started-desktop'), fullPage: true });
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=objectives]');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('s3-bucket-keys grades live in the browser: Bucket Keys on, the wrong turn named, the fix, the debrief', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/scenarios/s3-bucket-keys');
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), 0, 'nothing passes untouched');
  assert.match(await page.textContent('[data-testid=scenario-vars]'), /\$KEY_ID = [0-9a-f-]{36}/, 'the story\'s key id is shown');
  const enc = '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/clickstream"},"BucketKeyEnabled":true}]}';
  await type(page, `aws s3api put-bucket-encryption --bucket clickstream-111122223333 --server-side-encryption-configuration '${enc}'`);
  // Graded on a copy of the world after the operation: 100 uploads make one KMS request now
  // (the old files stay readable too; AppRole's new uploads are denied).
  await page.waitForFunction(() => document.querySelector('[data-testid=objectives] li:first-child')?.classList.contains('obj-pass'));
  assert.equal(await page.locator('[data-testid=objectives] li:nth-child(2).obj-fail').count(), 1, 'AppRole cannot upload yet');
  await page.waitForSelector('[data-testid=wrong-turns]');
  assert.match(await page.textContent('[data-testid=wrong-turns]'), /bucket ARN/);
  const arn = 'arn:aws:s3:::clickstream-111122223333';
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${arn}/*` },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [arn, `${arn}/*`] } } }] });
  await type(page, `aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '${policy}'`);
  await page.waitForSelector('[data-testid=debrief]');
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), 4);
  assert.equal(await page.locator('[data-testid=wrong-turns]').count(), 0, 'no wrong turn once solved');
  await page.screenshot({ path: shotPath('flow-scenario-solved-desktop'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a quiz question: answer, feedback with citation, and the proof runs every option', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/quiz/q/rot-default-off');
  await waitForApp(page);
  await page.click('[data-testid=question] >> text=On, every three years');
  await page.click('[data-testid=submit-answer]');
  const feedback = await page.textContent('[data-testid=feedback]');
  assert.match(feedback, /Not quite/);
  assert.match(feedback, /docs\.aws\.amazon\.com/);
  await page.click('[data-testid=run-proof]');
  await page.waitForSelector('[data-testid=option-checks]');
  const checks = await page.locator('[data-testid=option-checks] li').allTextContents();
  assert.ok(checks.some((c) => /^holds — Off until you enable it/.test(c) && c.includes('right answer')), checks.join('\n'));
  assert.equal(await page.locator('[data-testid=option-checks] li.check-bad').count(), 0, 'every option check agrees with the answer key');
  await page.screenshot({ path: shotPath('flow-quiz-proof-desktop'), fullPage: true });
  await page.goto(base + '#/quiz/mode/review');
  await page.waitForSelector('[data-testid=question]');
  assert.match(await page.textContent('[data-testid=question]'), /rot-default-off/, 'the missed question is up for review');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('an access denial is enforced, explained in the terminal, and lights the evaluation flowchart', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await type(page, 'K=$(aws kms create-key --query KeyMetadata.KeyId --output text)');
  await type(page, 'aws kms encrypt --key-id $K --plaintext aGk= --profile security-admin');
  await page.waitForSelector('.term-failed');
  assert.match(await page.textContent('.term-failed .term-stderr'),
    /AccessDeniedException.*because no identity-based policy allows the kms:Encrypt action/s);
  await page.click('.term-failed [data-testid=why]');
  assert.match(await page.textContent('[data-testid=why-card]'), /no identity policy allows kms:Encrypt/);
  await page.screenshot({ path: shotPath('flow-why-desktop') });
  await page.goto(base + '#/learn/access-control');
  await page.waitForSelector('[data-testid=flow-explanation]');
  assert.match(await page.textContent('[data-testid=flow-explanation]'), /DENIED/);
  assert.equal(await page.locator('.svg-lit').count() >= 1, true, 'a gate is lit');
  await page.screenshot({ path: shotPath('flow-evaluation-lit-desktop'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('an exam: timed, finished early, results by topic, and the attempt on the trend plot', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/quiz/mode/exam');
  await waitForApp(page);
  await page.check('text=10 questions');
  await page.click('[data-testid=start-exam]');
  await page.waitForSelector('[role=timer]');
  await page.locator('.options .option').first().click();
  await page.click('[data-testid=finish-exam]');
  await page.click('[data-testid=confirm-finish]');
  await page.waitForSelector('[data-testid=exam-results]');
  assert.match(await page.textContent('[data-testid=exam-results]'), /Result: \d+ \/ 10/);
  await page.goto(base + '#/quiz');
  await page.waitForSelector('[data-testid=exam-trend]');
  await page.screenshot({ path: shotPath('flow-quiz-trend-desktop'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a performance task is graded against the learner’s own world', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/quiz');
  await waitForApp(page);
  const card = page.locator('[data-testid=task-task-rotation-180]');
  await card.locator('text=Check my world').click();
  assert.match(await card.textContent(), /Not yet/);
  await page.goto(base + '#/terminal');
  await type(page, 'K=$(aws kms create-key --query KeyMetadata.KeyId --output text)');
  await type(page, 'aws kms create-alias --alias-name alias/payments --target-key-id $K');
  await type(page, 'aws kms enable-key-rotation --key-id $K --rotation-period-in-days 180');
  await page.waitForFunction(() => document.querySelectorAll('.term-entry').length === 3);
  await page.goto(base + '#/quiz');
  const done = page.locator('[data-testid=task-task-rotation-180]');
  await done.locator('text=Check my world').click();
  assert.match(await done.textContent(), /Done/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('S3, EBS and RDS pages show encryption settings of what the learner created', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await type(page, 'K=$(aws kms create-key --query KeyMetadata.KeyId --output text)');
  await type(page, 'aws s3api create-bucket --bucket lab-reports');
  await type(page, `aws s3api put-bucket-encryption --bucket lab-reports --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"'$K'"},"BucketKeyEnabled":true}]}'`);
  await type(page, 'aws ec2 create-volume --availability-zone us-east-1a --size 8 --encrypted --kms-key-id $K');
  await page.waitForFunction(() => document.querySelectorAll('.term-entry').length === 4);
  const failed = await page.locator('.term-failed').count();
  assert.equal(failed, 0, await page.locator('.term-failed').allTextContents().then((t) => t.join('\n')));
  await page.goto(base + '#/s3');
  await page.waitForSelector('[data-testid=buckets-table]');
  const buckets = await page.textContent('[data-testid=buckets-table]');
  assert.match(buckets, /lab-reports/);
  assert.match(buckets, /aws:kms/);
  await page.screenshot({ path: shotPath('flow-s3-desktop'), fullPage: true });
  await page.goto(base + '#/ec2');
  await page.waitForSelector('text=Volumes (1)');
  await page.screenshot({ path: shotPath('flow-ec2-desktop'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

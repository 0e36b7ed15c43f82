// The learner walk: plays the lab as a person would and asserts what the person *sees* after each
// action (the question answered is the one shown with the feedback, options move between attempts,
// the policy shown is the one saved, a scenario's world is one unit, banners leave with the page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath, type } from './harness.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function lastOutput(page) {
  const entry = page.locator('.term-entry').last();
  const stdout = (await entry.locator('.term-stdout').count()) ? await entry.locator('.term-stdout').textContent() : '';
  const stderr = (await entry.locator('.term-stderr').count()) ? await entry.locator('.term-stderr').textContent() : '';
  return { stdout, stderr };
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

test('first visit: a start page with three ways in, page titles, focus on headings, and the last place remembered', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base);
  await waitForApp(page);
  await page.waitForSelector('h1#page-title');
  assert.equal(await page.textContent('h1#page-title'), 'Learn AWS KMS by doing it');
  assert.equal(await page.title(), 'Start · KMS Lab');
  const ways = await page.locator('[data-testid=ways-in] .card h3').allTextContents();
  assert.equal(ways.length, 3, ways.join(' | '));
  assert.match(ways.join(' | '), /guided scenario/i);
  assert.match(ways.join(' | '), /quiz/i);
  assert.match(ways.join(' | '), /console/i);
  assert.equal(await page.locator('[data-testid=continue]').count(), 0, 'a first visit has no last place');
  await page.screenshot({ path: shotPath('learner-start-desktop'), fullPage: true });
  await page.click('text=Start the guided scenario');
  await page.waitForSelector('[data-testid=start-scenario]');
  assert.match(await page.title(), /^Scenario: .+ · KMS Lab$/);
  assert.equal(await focusedId(page), 'page-title', 'focus moves to the new page heading');
  await page.goto(base + '#/quiz');
  await page.waitForSelector('[data-testid=quiz-topics]');
  assert.equal(await page.title(), 'Quizzes · KMS Lab');
  // A returning learner is offered the page they were on.
  await page.goto(base + '#/');
  await page.waitForSelector('[data-testid=continue]');
  assert.match(await page.textContent('[data-testid=continue]'), /Quizzes/);
  await page.click('[data-testid=continue] >> text=Continue where you left off');
  await page.waitForSelector('[data-testid=quiz-topics]');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

/** Reads the question on screen: its id, stem and options in the order shown. */
async function shown(page) {
  const q = page.locator('[data-testid=question]');
  return {
    id: await q.locator('[data-testid=question-id]').textContent(),
    stem: await q.locator('[data-testid=stem]').textContent(),
    options: await q.locator('[data-testid=option] .option-text').allTextContents(),
  };
}

/** Answers the question on screen with its first options; returns what was shown and the feedback. */
async function answer(page) {
  const before = await shown(page);
  const need = /Choose (\d)/.exec(await page.textContent('[data-testid=question]'));
  const count = need ? Number(need[1]) : 1;
  for (let i = 0; i < count; i++) await page.locator('[data-testid=question] [data-testid=option]').nth(i).click();
  await page.click('[data-testid=submit-answer]');
  await page.waitForSelector('[data-testid=feedback]');
  const after = await shown(page);
  const feedback = page.locator('[data-testid=feedback]');
  return { before, after, feedbackFor: await feedback.getAttribute('data-question-id'), verdict: await feedback.locator('strong').first().textContent() };
}

for (const [mode, route] of [
  ['topic', '#/quiz/key-types'],
  ['practice', '#/quiz/mode/practice'],
  ['spaced repetition', '#/quiz/mode/due'],
]) {
  test(`quiz (${mode}): feedback stays on the question answered, four times in a row`, async () => {
    const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
    await page.goto(base + route);
    await waitForApp(page);
    await page.waitForSelector('[data-testid=question]');
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const { before, after, feedbackFor, verdict } = await answer(page);
      assert.equal(after.id, before.id, `question ${i + 1}: the question shown changed after Submit`);
      assert.equal(after.stem, before.stem);
      assert.deepEqual(after.options, before.options, 'options stay where they were');
      assert.equal(feedbackFor, before.id, 'the feedback is for the question answered');
      assert.match(verdict, /^(Correct|Not quite)\.$/);
      seen.push(before.id);
      await page.click('[data-testid=next-question]');
      await page.waitForFunction((id) => document.querySelector('[data-testid=question-id]')?.textContent !== id, before.id);
    }
    assert.equal(new Set(seen).size, 4, `four different questions: ${seen.join(', ')}`);
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

test('quiz: options are shuffled per attempt, the right answer is not always first, review keeps flagged ones', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  // The same question on five visits: the options move.
  const orders = new Set();
  for (let i = 0; i < 5; i++) {
    await page.goto(base + '#/quiz/q/rot-default-off');
    if (i === 0) await waitForApp(page);
    await page.reload();
    await waitForApp(page);
    await page.waitForSelector('[data-testid=question]');
    orders.add((await shown(page)).options.join(' | '));
  }
  assert.ok(orders.size >= 2, `five attempts showed one order: ${[...orders][0]}`);
  // Across a topic, the right answer (marked after Submit) sits in different positions.
  await page.goto(base + '#/quiz/mode/practice');
  await page.waitForSelector('[data-testid=question]');
  const rightAt = [];
  let flagged;
  for (let i = 0; i < 8; i++) {
    const { before } = await answer(page);
    const marks = await page.locator('[data-testid=question] [data-testid=option]').evaluateAll(
      (els) => els.map((e) => e.classList.contains('option-right')));
    rightAt.push(marks.indexOf(true));
    if (i === 2) { await page.click('[data-testid=flag]'); flagged = before.id; }
    await page.click('[data-testid=next-question]');
    await page.waitForFunction((id) => document.querySelector('[data-testid=question-id]')?.textContent !== id, before.id);
  }
  assert.ok(rightAt.some((p) => p > 0), `the right answer was first every time: ${rightAt}`);
  // Review shows missed and flagged questions, and answering there keeps the feedback in place.
  await page.goto(base + '#/quiz/mode/review');
  await page.waitForSelector('[data-testid=question]');
  const reviewIds = [];
  for (;;) {
    const { before, after, feedbackFor } = await answer(page);
    assert.equal(after.id, before.id);
    assert.equal(feedbackFor, before.id);
    reviewIds.push(before.id);
    await page.click('[data-testid=next-question]');
    const more = await page.waitForFunction((id) => {
      const now = document.querySelector('[data-testid=question-id]')?.textContent;
      return now !== id ? (now ? 'next' : 'done') : false;
    }, before.id);
    if ((await more.jsonValue()) === 'done') break;
  }
  assert.ok(reviewIds.includes(flagged), `flagged ${flagged} is in review: ${reviewIds}`);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('exam: finishing asks first, results show titles, a percentage and the pass mark, flagged goes to review', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/quiz/mode/exam');
  await waitForApp(page);
  await page.check('text=10 questions');
  await page.click('[data-testid=start-exam]');
  await page.waitForSelector('[role=timer]');
  await page.locator('[data-testid=exam-question] [data-testid=option]').first().click();
  const firstOrder = await page.locator('[data-testid=exam-question] .option-text').allTextContents();
  const firstId = await page.getAttribute('[data-testid=exam-question]', 'data-question-id');
  await page.click('[data-testid=exam-next]');
  const flaggedId = await page.getAttribute('[data-testid=exam-question]', 'data-question-id');
  await page.click('[data-testid=exam-flag]');
  await page.click('[data-testid=finish-exam]');
  const confirm = await page.textContent('[data-testid=finish-confirm]');
  assert.match(confirm, /9 unanswered and 1 flagged/);
  await page.click('[data-testid=keep-going]');
  assert.equal(await page.locator('[data-testid=finish-confirm]').count(), 0);
  assert.equal(await page.locator('[data-testid=exam-results]').count(), 0, 'not finished without confirming');
  await page.click('[data-testid=finish-exam]');
  await page.click('[data-testid=confirm-finish]');
  await page.waitForSelector('[data-testid=exam-results]');
  const results = await page.textContent('[data-testid=exam-results]');
  assert.match(results, /Result: \d+ \/ 10 \(\d+%\)/);
  assert.match(await page.textContent('[data-testid=exam-verdict]'), /pass mark of 72%.*720 out of 1000/s);
  const topics = await page.locator('[data-testid=exam-results] tbody td:first-child').allTextContents();
  assert.ok(topics.length > 0 && topics.every((t) => /[A-Z ]/.test(t) && !/^[a-z0-9-]+$/.test(t)), `topic titles, not slugs: ${topics}`);
  // The review shows each question with the options in the order they were shown in the exam.
  const reviewed = page.locator(`[data-testid=exam-review] li[data-question-id="${firstId}"]`);
  await reviewed.locator('summary').click();
  assert.deepEqual(await reviewed.locator('.option-text').allTextContents(), firstOrder);
  await page.screenshot({ path: shotPath('learner-exam-results-desktop'), fullPage: true });
  await page.click('[data-testid=exam-results] >> text=Review missed and flagged');
  await page.waitForSelector('[data-testid=question]');
  const inReview = [];
  for (let i = 0; i < 12; i++) {
    const id = await page.textContent('[data-testid=question-id]');
    inReview.push(id);
    if (id === flaggedId) break;
    await answer(page);
    await page.click('[data-testid=next-question]');
    await page.waitForFunction((prev) => document.querySelector('[data-testid=question-id]')?.textContent !== prev, id);
  }
  assert.ok(inReview.includes(flaggedId), `flagged ${flaggedId} is in review (${inReview})`);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('IAM: an inline policy is shown, edited with its real text, saved, and the banner leaves with the page', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/iam');
  await waitForApp(page);
  await page.click('.split-list >> text=AppRole');
  const policy = page.locator('[data-testid=inline-policy][data-policy-name=AppKeyUse]');
  const shownText = await policy.locator('[data-testid=policy-text]').textContent();
  const doc = JSON.parse(shownText);
  assert.ok(JSON.stringify(doc).includes('kms:'), shownText);
  await policy.locator('button', { hasText: 'Edit' }).click();
  const editor = page.locator('textarea[aria-label="Inline policy JSON"]');
  assert.deepEqual(JSON.parse(await editor.inputValue()), doc, 'the editor opens on the real policy');
  doc.Statement.push({ Effect: 'Allow', Action: 'kms:ListAliases', Resource: '*' });
  await editor.fill(JSON.stringify(doc, null, 2));
  await page.click('text=Save policy');
  await page.waitForSelector('[data-testid=flash]');
  assert.match(await page.textContent('[data-testid=flash]'), /Saved inline policy AppKeyUse/);
  await page.waitForFunction(() => document.querySelector('[data-testid=inline-policy][data-policy-name=AppKeyUse] [data-testid=policy-text]')?.textContent.includes('kms:ListAliases'));
  await page.screenshot({ path: shotPath('learner-iam-edited-desktop'), fullPage: true });
  await page.click('nav.side-nav >> text=Quizzes');
  await page.waitForSelector('[data-testid=quiz-topics]');
  assert.equal(await page.locator('[data-testid=flash]').count(), 0, 'the banner does not follow the learner');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('diagnose-denied-decrypt played to completion: the Why? card does not give the cause away, CloudTrail does', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/scenarios/diagnose-denied-decrypt');
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
  const decrypt = 'aws kms decrypt --ciphertext-blob fileb://secret.bin --encryption-context department=finance --profile app --query Plaintext --output text';
  await type(page, decrypt);
  const failed = await lastOutput(page);
  const code = /\((\w+)\)/.exec(failed.stderr)?.[1];
  assert.ok(code, failed.stderr);
  const entry = page.locator('.term-entry').last();
  if (await entry.locator('[data-testid=why]').count()) {
    await entry.locator('[data-testid=why]').click();
    const card = await entry.locator('[data-testid=why-card]').textContent();
    assert.match(card, /CloudTrail/);
    assert.doesNotMatch(card, /\bDENIED\b/, card);
    assert.doesNotMatch(card, /no identity policy allows|key policy does not allow|is disabled|context differs/i, card);
  }
  // Diagnose as a learner would: the error code, then the policies and grants.
  let cause;
  if (code === 'DisabledException') cause = 'disabled-key';
  else if (code === 'InvalidCiphertextException') cause = 'encryption-context';
  else {
    await type(page, 'aws kms get-key-policy --key-id $KEY_ID --policy-name default --output text');
    const keyPolicy = (await lastOutput(page)).stdout;
    // CloudTrail tells a revoked grant apart from an IAM policy that lost kms:Decrypt.
    await type(page, "aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=RevokeGrant --query 'length(Events)' --output text");
    const revoked = Number((await lastOutput(page)).stdout.trim() || '0');
    if (!keyPolicy.includes(':root')) cause = 'key-policy';
    else if (revoked > 0) cause = 'grant';
    else cause = 'iam-policy';
  }
  const appIam = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'], Resource: '*' }] });
  const fixes = {
    'disabled-key': ['aws kms enable-key --key-id $KEY_ID'],
    'encryption-context': ['aws kms re-encrypt --ciphertext-blob fileb://secret.bin --source-encryption-context Department=Finance --destination-key-id $KEY_ID --destination-encryption-context department=finance --query CiphertextBlob --output text | base64 --decode > secret.bin'],
    'iam-policy': [`aws iam put-role-policy --role-name AppRole --policy-name AppKeyUse --policy-document '${appIam}'`],
    // Grants are eventually consistent (about a minute without the grant token): wait it out.
    grant: ['aws kms create-grant --key-id $KEY_ID --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt', 'lab clock advance 2m'],
  };
  if (cause === 'key-policy') {
    await type(page, 'aws kms get-key-policy --key-id $KEY_ID --policy-name default --query Policy --output text');
    const policy = JSON.parse((await lastOutput(page)).stdout);
    policy.Statement.unshift({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' });
    fixes['key-policy'] = [`aws kms put-key-policy --key-id $KEY_ID --policy-name default --policy '${JSON.stringify(policy)}'`];
  }
  for (const line of fixes[cause]) {
    await type(page, line);
    assert.equal((await lastOutput(page)).stderr.trim(), '', `${line}\n${(await lastOutput(page)).stderr}`);
  }
  await type(page, `echo "${cause}: found it" > diagnosis.txt`);
  await type(page, decrypt);
  assert.equal((await lastOutput(page)).stderr.trim(), '', `the app decrypts again after fixing ${cause}`);
  await page.waitForSelector('[data-testid=debrief]', { timeout: 20000 });
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), 3);
  await page.screenshot({ path: shotPath('learner-diagnose-solved-desktop'), fullPage: true });
  // Restart: world, files and variables are one unit; the diagnosis no longer passes.
  await page.click('[data-testid=restart-scenario]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=objectives] .obj-pass').length === 0);
  assert.equal(await page.locator('[data-testid=debrief]').count(), 0);
  await type(page, 'cat diagnosis.txt');
  assert.notEqual((await lastOutput(page)).stderr.trim(), '', 'diagnosis.txt is gone after Restart');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('s3-bucket-keys played to completion: its key in eu-north-1 is reachable from the story and the Region picker', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/scenarios/s3-bucket-keys');
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=scenario-vars]');
  const regions = await page.locator('select[data-testid=region] option').allTextContents();
  assert.ok(regions.some((r) => r.includes('eu-north-1')), `eu-north-1 offered: ${regions.length} Regions`);
  assert.ok(regions.length >= 30, `every commercial Region is offered (${regions.length})`);
  const keyId = /\$KEY_ID = ([0-9a-f-]{36})/.exec(await page.textContent('[data-testid=scenario-vars]'))[1];
  await page.click('[data-testid=scenario-vars] >> text=open the key');
  await page.waitForFunction((id) => location.hash.includes(`/kms/keys/eu-north-1/${id}`), keyId);
  await page.waitForSelector('h1#page-title');
  assert.match(await page.textContent('main'), new RegExp(keyId));
  await page.goBack();
  await page.waitForSelector('[data-testid=objectives]');
  const enc = '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/clickstream"},"BucketKeyEnabled":true}]}';
  await type(page, `aws s3api put-bucket-encryption --bucket clickstream-111122223333 --server-side-encryption-configuration '${enc}'`);
  const arn = 'arn:aws:s3:::clickstream-111122223333';
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${arn}/*` },
    { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:s3:arn': [arn, `${arn}/*`] } } }] });
  await type(page, `aws iam put-role-policy --role-name AppRole --policy-name ClickstreamWriter --policy-document '${policy}'`);
  await page.waitForSelector('[data-testid=debrief]', { timeout: 20000 });
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), 4);
  // The Region picker reaches the scenario's Region: the key is listed there.
  await page.goto(base + '#/kms/keys');
  await page.selectOption('select[data-testid=region]', 'eu-north-1');
  await page.waitForFunction((id) => document.querySelector('main')?.textContent.includes(id), keyId);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('rds-snapshot-cross-account played to completion through the scenario terminal', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/scenarios/rds-snapshot-cross-account');
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
  const total = await page.locator('[data-testid=objectives] li').count();
  const P = '444455556666'; const PROD = '111122223333';
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${PROD}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${P}:root` }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
    { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${P}:root` }, Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }] });
  // A learner's first try: sharing the aws/rds snapshot is refused, and a Why? card explains.
  await type(page, `aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-nightly --attribute-name restore --values-to-add ${P}`);
  assert.notEqual((await lastOutput(page)).stderr.trim(), '', 'an aws/rds snapshot cannot be shared');
  for (const line of [
    `aws kms put-key-policy --key-id $SHARE_KEY --policy-name default --policy '${policy}'`,
    'aws rds copy-db-snapshot --source-db-snapshot-identifier orders-db-nightly --target-db-snapshot-identifier orders-db-share --kms-key-id alias/rds-share',
    'aws rds wait db-snapshot-available --db-snapshot-identifier orders-db-share',
    `aws rds modify-db-snapshot-attribute --db-snapshot-identifier orders-db-share --attribute-name restore --values-to-add ${P}`,
    `aws rds copy-db-snapshot --profile partner-admin --source-db-snapshot-identifier arn:aws:rds:us-east-1:${PROD}:snapshot:orders-db-share --target-db-snapshot-identifier orders-db-partner --kms-key-id alias/partner-rds`,
    'aws rds wait db-snapshot-available --profile partner-admin --db-snapshot-identifier orders-db-partner',
    'aws rds restore-db-instance-from-db-snapshot --profile partner-admin --db-instance-identifier orders-db --db-snapshot-identifier orders-db-partner',
  ]) {
    await type(page, line);
    assert.equal((await lastOutput(page)).stderr.trim(), '', `${line}\n${(await lastOutput(page)).stderr}`);
  }
  await page.waitForSelector('[data-testid=debrief]', { timeout: 30000 });
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), total);
  await page.screenshot({ path: shotPath('learner-rds-solved-desktop'), fullPage: true });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('terminal: Tab completes without a stray space, yaml output, s3 ls relative names, history survives reload', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await page.fill('#term-input', 'aws kms cre');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'aws kms create-');
  await page.press('#term-input', 'Tab');
  assert.equal(await page.inputValue('#term-input'), 'aws kms create-', 'a second Tab adds nothing');
  assert.match(await page.textContent('.term-hint'), /create-key/);
  await page.fill('#term-input', '');
  await type(page, 'aws kms list-keys --output yaml');
  const yaml = await lastOutput(page);
  assert.equal(yaml.stderr, '');
  assert.match(yaml.stdout, /^Keys:/m);
  await type(page, 'aws s3 mb s3://walk-bucket');
  await type(page, 'echo hi > a.txt');
  await type(page, 'aws s3 cp a.txt s3://walk-bucket/logs/2026/a.txt');
  await type(page, 'aws s3 ls s3://walk-bucket/logs/');
  const ls = (await lastOutput(page)).stdout;
  assert.match(ls, /^\s+PRE 2026\/$/m, ls);
  assert.doesNotMatch(ls, /logs\//, ls);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('.term-entry');
  assert.match(await page.textContent('.terminal'), /aws s3 ls s3:\/\/walk-bucket\/logs\//, 'scrollback survives a reload');
  await page.focus('#term-input');
  await page.press('#term-input', 'ArrowUp');
  assert.equal(await page.inputValue('#term-input'), 'aws s3 ls s3://walk-bucket/logs/', '↑ history survives a reload');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

// Real flows through the engine in the page: run aws-cli commands in the terminal, see the key in
// the console and the events in Activity, reload and find everything still there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath } from './harness.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

async function type(page, line) {
  await page.fill('#term-input', line);
  await page.press('#term-input', 'Enter');
}

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
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  await page.evaluate(() => localStorage.setItem('kmslab.state', '{"schemaVersion": 99, "kind": "kmslab-state", "session": {}}'));
  await page.reload();
  await waitForApp(page);
  const notice = await page.textContent('[data-testid=notice]');
  assert.match(notice, /newer/);
  assert.equal(await page.evaluate(() => localStorage.getItem('kmslab.state.rejected')),
    '{"schemaVersion": 99, "kind": "kmslab-state", "session": {}}');
  await page.screenshot({ path: shotPath('flow-corrupt-save-desktop') });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

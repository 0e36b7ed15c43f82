// Secrets Manager and Parameter Store in the console: encryption settings first, the stored
// items with their KMS keys, and reads that are real audited calls (a disabled key fails with
// the KMS error and its Why? card).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath } from './harness.js';

let server, base, browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const run = (page, line) => page.evaluate((l) => window.kmsLab.run(l), line);

test('secrets and parameters: pages list them with their keys, and reading them calls KMS as the learner', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await page.goto(base + '#/secretsmanager');
  await waitForApp(page);
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
  const key = (await run(page, 'aws kms create-key --description secrets --query KeyMetadata.KeyId --output text')).stdout.trim();
  assert.equal((await run(page, `aws secretsmanager create-secret --name prod/db --secret-string s3cr3t-value --kms-key-id ${key}`)).ok, true);
  assert.equal((await run(page, 'aws ssm put-parameter --name /app/token --value tok-123 --type SecureString')).ok, true);

  await page.goto(base + '#/secretsmanager');
  await page.waitForSelector('[data-testid=secrets-encryption]');
  const table = page.locator('[data-testid=secrets-table]');
  await table.waitFor();
  assert.match(await table.textContent(), /prod\/db/);
  assert.match(await table.textContent(), new RegExp(key));
  await page.click('[data-testid=retrieve-secret]');
  await page.waitForSelector('[data-testid=secret-value]');
  assert.match(await page.textContent('[data-testid=secret-value]'), /s3cr3t-value/);
  await page.screenshot({ path: shotPath('secrets-desktop'), fullPage: true });
  // With the key disabled, the read fails as AWS answers it.
  await run(page, `aws kms disable-key --key-id ${key}`);
  await page.click('[data-testid=retrieve-secret]');
  await page.waitForFunction(() => /DecryptionFailure|DisabledException/.test(document.body.textContent));

  // The console's services are in the side navigation.
  await page.click('nav.side-nav >> text=Parameter Store');
  await page.waitForSelector('[data-testid=parameters-encryption]');
  assert.equal(await page.textContent('.nav-sublink.current'), 'Parameter Store');
  const params = page.locator('[data-testid=parameters-table]');
  await params.waitFor();
  assert.match(await params.textContent(), /\/app\/token/);
  assert.match(await params.textContent(), /SecureString/);
  await page.click('[data-testid=show-parameter]');
  await page.waitForSelector('[data-testid=parameter-value]');
  assert.match(await page.textContent('[data-testid=parameter-value]'), /tok-123/);
  await page.screenshot({ path: shotPath('parameters-desktop'), fullPage: true });
  // Both reads are in CloudTrail, with the KMS Decrypt calls the services made as the learner.
  const trail = await run(page, "aws cloudtrail lookup-events --query 'Events[].EventName' --output text");
  assert.match(trail.stdout, /GetSecretValue/);
  assert.match(trail.stdout, /GetParameter/);
  assert.match(trail.stdout, /Decrypt/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

// Scenarios finished with the console pages and Lab tools alone (issue 19), never the terminal:
// each test reads what a learner sees (the scenario's variables, the key's tabs, a refusal's
// error) and clicks through the pages, ending with every objective passed (N/N). Named
// `console-only: <scenario id>`, like those in kms_console.test.js and services_console.test.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage } from './harness.js';
import { act, succeed, startScenario, scenarioVar, finished, signInAs, rowIds } from './console.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const DESKTOP = { width: 1280, height: 900 };
const ACCOUNT = '111122223333';
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/AppRole`;

const badge = (page) => page.textContent('.page-header .badge');
async function waitState(page, state) {
  await page.waitForFunction((s) => document.querySelector('.page-header .badge')?.textContent === s, state);
}

async function openTab(page, name) {
  await page.click(`[role=tab] >> text="${name}"`);
}

/** Opens a key from the keys table by its alias (through the navigation). */
async function openKeyByAlias(page, alias) {
  await page.click('nav.side-nav a[href$="#/kms/keys"]');
  await page.waitForSelector('[data-testid=keys-table]');
  await page.locator('[data-testid=keys-table] tr', { hasText: alias }).locator('a').first().click();
  await page.waitForSelector('.page-header .badge');
}

async function labTools(page) {
  await page.click('nav.side-nav a[href$="#/lab-tools"]');
  await page.waitForSelector('h1:has-text("Lab tools")');
}

/**
 * Lab tools' "Encrypt or decrypt a file with KMS", as the current profile; returns the flash.
 * `key` and `context` may be empty.
 */
async function kmsFile(page, { operation, input, output, key = '', context = '' }) {
  await labTools(page);
  const panel = '[data-testid=lab-kms-file]';
  await page.selectOption(`${panel} select[name=operation]`, operation);
  await page.selectOption(`${panel} select[name=in]`, input);
  await page.fill(`${panel} input[name=out]`, output);
  await page.fill(`${panel} input[name=key]`, key);
  await page.fill(`${panel} input[name=context]`, context);
  return act(page, '[data-testid=lab-kms-run]');
}

/** Lab tools: saves a text file. */
async function writeFile(page, name, content) {
  await labTools(page);
  await page.fill('[data-testid=lab-files] input[name=name]', name);
  await page.fill('[data-testid=lab-files] textarea[name=content]', content);
  await succeed(page, '[data-testid=lab-write]');
}

/** The key page's policy editor: replaces the policy and saves it. */
async function saveKeyPolicy(page, policy) {
  await page.click('[data-testid=edit-policy]');
  await page.fill('[data-testid=policy-editor]', JSON.stringify(policy, null, 2));
  await page.click('text=Save changes');
  await page.waitForSelector('[data-testid=policy-editor]', { state: 'detached' });
}

/** IAM: replaces (or adds) a role's inline policy in the editor. */
async function putRolePolicy(page, role, name, doc) {
  await page.click('nav.side-nav a[href$="#/iam"]');
  await page.click(`.split-list >> text=${role}`);
  await page.waitForSelector(`[data-testid=iam-detail] >> text=role/${role}`);
  const existing = page.locator(`[data-testid=inline-policy][data-policy-name=${name}]`);
  if (await existing.count()) {
    await existing.locator('button', { hasText: 'Edit' }).click();
  } else {
    await page.click('[data-testid=add-inline-policy]');
    await page.fill('input[aria-label="Policy name"]', name);
  }
  await page.fill('[data-testid=inline-policy-json]', JSON.stringify(doc, null, 2));
  await page.click('text=Save policy');
  await page.waitForSelector('[data-testid=inline-policy-editor]', { state: 'detached' });
}

test('console-only: key-rotation', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'key-rotation');
  await openKeyByAlias(page, 'alias/payments');
  await openTab(page, 'Key rotation');
  await page.fill('input[aria-label="Rotation period in days"]', '180');
  await page.click('[data-testid=enable-rotation]');
  await page.waitForFunction(() => document.querySelector('[data-testid=rotation-status]')?.textContent === 'Enabled');
  // 210 days on the top bar's clock: KMS rotates on its 180-day schedule.
  for (let i = 0; i < 7; i += 1) await page.click('[data-testid=advance-30d]');
  await page.waitForSelector('[data-testid=rotations-table]');
  assert.match(await page.textContent('[data-testid=rotations-table]'), /Automatic/);
  await page.click('[data-testid=rotate-now]');
  await page.waitForFunction(() => /On-demand/.test(document.querySelector('[data-testid=rotations-table]')?.textContent || ''));
  // The old ledger still opens: KMS picks the material from the ciphertext.
  const r = await kmsFile(page, { operation: 'Decrypt', input: 'ledger.bin', output: 'ledger.txt' });
  assert.ok(r.ok, r.text);
  assert.match(r.text, /Decrypted ledger\.bin into ledger\.txt/);
  await finished(page, 'key-rotation');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: diagnose-denied-decrypt', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'diagnose-denied-decrypt');
  // The app's own call, as the app: its error names the layer to look at.
  await signInAs(page, 'app');
  const denied = await kmsFile(page, { operation: 'Decrypt', input: 'secret.bin', output: 'secret.txt', context: 'department=finance' });
  assert.equal(denied.ok, false, denied.text);
  await signInAs(page, 'admin');
  let cause;
  if (/DisabledException/.test(denied.text)) {
    cause = 'disabled-key: DisabledException; security-admin disabled the key';
    await openKeyByAlias(page, 'alias/finance');
    assert.equal(await badge(page), 'Disabled');
    await page.click('[data-testid=enable-key]');
    await waitState(page, 'Enabled');
  } else if (/InvalidCiphertextException/.test(denied.text)) {
    // CloudTrail's Encrypt event shows the context used: Department=Finance. Re-encrypt the
    // data under the context the app sends.
    cause = 'encryption-context: InvalidCiphertextException; the data was encrypted with Department=Finance';
    const plain = await kmsFile(page, { operation: 'Decrypt', input: 'secret.bin', output: 'secret.txt', context: 'Department=Finance' });
    assert.ok(plain.ok, plain.text);
    const again = await kmsFile(page, { operation: 'Encrypt', input: 'secret.txt', output: 'secret.bin', key: 'alias/finance', context: 'department=finance' });
    assert.ok(again.ok, again.text);
  } else {
    assert.match(denied.text, /AccessDeniedException/);
    await openKeyByAlias(page, 'alias/finance');
    const policy = JSON.parse(await page.textContent('[data-testid=key-policy]'));
    await page.click('nav.side-nav a[href$="#/iam"]');
    await page.click('.split-list >> text=AppRole');
    await page.waitForSelector('[data-testid=iam-detail] >> text=role/AppRole');
    const hasIamPolicy = await page.locator('[data-testid=inline-policy][data-policy-name=AppKeyUse]').count();
    if (!policy.Statement.some((s) => s.Sid === 'Enable IAM User Permissions')) {
      // The key policy trusts neither AppRole nor the account: IAM's allow is ignored.
      cause = 'key-policy: the key policy has no root statement, so the IAM allow for AppRole was ignored';
      await openKeyByAlias(page, 'alias/finance');
      policy.Statement.push({ Sid: 'AppDecrypts', Effect: 'Allow', Principal: { AWS: APP_ROLE },
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' });
      await saveKeyPolicy(page, policy);
    } else if (hasIamPolicy) {
      cause = "iam-policy: AppRole's IAM policy lost kms:Decrypt";
      await putRolePolicy(page, 'AppRole', 'AppKeyUse', { Version: '2012-10-17', Statement: [{ Sid: 'AppKeyUse', Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }] });
    } else {
      // No IAM policy: AppRole relied on a grant, revoked (RevokeGrant in CloudTrail).
      cause = 'grant: the grant AppRole relied on was revoked (RevokeGrant in CloudTrail)';
      await openKeyByAlias(page, 'alias/finance');
      await openTab(page, 'Grants');
      await page.fill('[data-testid=create-grant] input[name=grantee]', APP_ROLE);
      await page.fill('[data-testid=create-grant] input[name=operations]', 'Decrypt');
      await succeed(page, '[data-testid=create-grant-submit]');
      await page.waitForSelector('[data-testid=grants-table] >> text=role/AppRole');
      // A new grant takes effect once it has propagated (a minute): move the clock on.
      await page.click('[data-testid=advance-1d]');
    }
  }
  // The app's exact call works again.
  await signInAs(page, 'app');
  const fixed = await kmsFile(page, { operation: 'Decrypt', input: 'secret.bin', output: 'secret.txt', context: 'department=finance' });
  assert.ok(fixed.ok, fixed.text);
  await signInAs(page, 'admin');
  await writeFile(page, 'diagnosis.txt', cause);
  await finished(page, 'diagnose-denied-decrypt');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

/** Key material tab: download the parameters, wrap the escrow copy in Lab tools, upload it (expiring). */
async function importMaterial(page, alias, materialFile) {
  await openKeyByAlias(page, alias);
  await openTab(page, 'Key material');
  await succeed(page, '[data-testid=import-params-form] button');
  await labTools(page);
  const wrap = '[data-testid=lab-wrap]';
  await page.selectOption(`${wrap} select[name=public_key]`, 'WrappingPublicKey.bin');
  await page.selectOption(`${wrap} select[name=algorithm]`, 'RSAES_OAEP_SHA_256');
  await page.selectOption(`${wrap} select[name=in]`, materialFile);
  await page.fill(`${wrap} input[name=out]`, 'wrapped.bin');
  await page.fill(`${wrap} input[name=token_out]`, '');
  await succeed(page, '[data-testid=lab-wrap-run]');
  await openKeyByAlias(page, alias);
  await openTab(page, 'Key material');
  await page.selectOption('select[aria-label="Wrapped key material file"]', 'wrapped.bin');
  await page.selectOption('select[aria-label="Import token file"]', 'ImportToken.bin');
  assert.equal(await page.isChecked('[data-testid=material-expires]'), true, 'expiring material by default');
  await page.click('[data-testid=import-form] button[type=submit]');
  await waitState(page, 'Enabled');
}

test('console-only: imported-key-material', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'imported-key-material');
  // The material from "your own generator", kept as the escrow copy.
  await labTools(page);
  await page.fill('[data-testid=lab-random] input[name=bytes]', '32');
  await page.fill('[data-testid=lab-random] input[name=out]', 'payroll-material.bin');
  await succeed(page, '[data-testid=lab-random-run]');
  await importMaterial(page, 'alias/payroll', 'payroll-material.bin');
  assert.match(await page.textContent('[role=tabpanel]'), /Expiration\s*\d{4}-\d{2}-\d{2}/);
  const sealed = await kmsFile(page, { operation: 'Encrypt', input: 'payroll.csv', output: 'payroll.bin', key: 'alias/payroll' });
  assert.ok(sealed.ok, sealed.text);
  // Rehearse: the material goes (Delete key material, confirmed), payroll.bin is unreadable.
  await openKeyByAlias(page, 'alias/payroll');
  await page.click('[data-testid=delete-material]');
  await page.check('[data-testid=confirm-material-box]');
  await page.click('[data-testid=confirm-delete-material]');
  await waitState(page, 'PendingImport');
  const lost = await kmsFile(page, { operation: 'Decrypt', input: 'payroll.bin', output: 'payroll.out' });
  assert.equal(lost.ok, false);
  assert.match(lost.text, /KMSInvalidStateException/);
  // Back with the escrow copy (new parameters: a fresh token), and payroll.bin opens again.
  await importMaterial(page, 'alias/payroll', 'payroll-material.bin');
  const back = await kmsFile(page, { operation: 'Decrypt', input: 'payroll.bin', output: 'payroll.out' });
  assert.ok(back.ok, back.text);
  await finished(page, 'imported-key-material');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: rds-snapshot-cross-account', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'rds-snapshot-cross-account');
  // The share key opens to the partner account: use, and grants only for AWS resources (RDS).
  await openKeyByAlias(page, 'alias/rds-share');
  await saveKeyPolicy(page, { Version: '2012-10-17', Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Allow use of the key', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' },
    { Sid: 'Allow attachment of persistent resources', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }] });
  // A copy of the nightly snapshot under the share key, shared with the partner alone.
  await page.click('nav.side-nav a[href$="#/rds/snapshots"]');
  await page.waitForSelector('[data-testid=db-snapshots-table]');
  const [nightly] = await rowIds(page, 'db-snapshots-table', /orders-db-nightly/);
  await page.check(`input[type=radio][value="${nightly}"]`);
  await page.fill('[data-testid=db-snapshot-actions] input[name=target]', 'orders-db-share');
  await page.selectOption('[data-testid=db-snapshot-actions] select[name=region]', 'us-east-1');
  await page.fill('[data-testid=db-snapshot-actions] input[name=key]', 'alias/rds-share');
  await succeed(page, '[data-testid=db-snapshot-copy]');
  // RDS takes minutes to create a snapshot copy: move the clock on before using it.
  await page.click('[data-testid=advance-1d]');
  const [share] = await rowIds(page, 'db-snapshots-table', /orders-db-share/);
  await page.check(`input[type=radio][value="${share}"]`);
  await page.fill('[data-testid=db-snapshot-actions] input[name=accounts]', '444455556666');
  await succeed(page, '[data-testid=db-snapshot-share]');
  // The partner's side: copy under its own key, then restore the copy.
  await signInAs(page, 'partner-admin');
  const shared = `arn:aws:rds:us-east-1:${ACCOUNT}:snapshot:orders-db-share`;
  await page.waitForSelector(`input[type=radio][value="${shared}"]`);
  await page.check(`input[type=radio][value="${shared}"]`);
  await page.selectOption('[data-testid=db-snapshot-actions] select[name=region]', 'us-east-1');
  await page.fill('[data-testid=db-snapshot-actions] input[name=target]', 'orders-db-partner');
  await page.fill('[data-testid=db-snapshot-actions] input[name=key]', 'alias/partner-rds');
  await succeed(page, '[data-testid=db-snapshot-copy]');
  // RDS takes minutes to create a snapshot copy: move the clock on before using it.
  await page.click('[data-testid=advance-1d]');
  await page.check('input[type=radio][value="arn:aws:rds:us-east-1:444455556666:snapshot:orders-db-partner"]');
  await page.fill('[data-testid=db-snapshot-actions] input[name=db]', 'orders-db');
  await succeed(page, '[data-testid=db-snapshot-restore]');
  await signInAs(page, 'admin');
  await finished(page, 'rds-snapshot-cross-account');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: secrets-least-privilege', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'secrets-least-privilege');
  // The ARNs as the pages show them: the key's, the secret's and the parameter's.
  await openKeyByAlias(page, 'alias/app-config');
  const keyArn = /arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}/.exec(await page.textContent('main'))[0];
  await page.click('nav.side-nav a[href$="#/secretsmanager"]');
  await page.waitForSelector('[data-testid=secrets-table]');
  const secretArn = /arn:aws:secretsmanager:us-east-1:\d{12}:secret:prod\/app\/api-key-[A-Za-z0-9]{6}/.exec(await page.textContent('[data-testid=secrets-table]'))[0];
  const parameterArn = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/app/db-url`;
  await putRolePolicy(page, 'AppRole', 'AppConfigKey', { Version: '2012-10-17', Statement: [
    { Sid: 'SecretThroughSecretsManager', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': secretArn } } },
    { Sid: 'ParameterThroughSsm', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com', 'kms:EncryptionContext:PARAMETER_ARN': parameterArn } } }] });
  await finished(page, 'secrets-least-privilege');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: rds-password-rotation', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'rds-password-rotation');
  // The key: the account through IAM, the partner account only through Secrets Manager.
  await openKeyByAlias(page, 'alias/db-secrets');
  await saveKeyPolicy(page, { Version: '2012-10-17', Statement: [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'PartnerReadsThroughSecretsManager', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' },
      Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } }] });
  // RDS: Modify → manage the master credentials in Secrets Manager under alias/db-secrets.
  await page.click('nav.side-nav a[href$="#/rds/databases"]');
  await page.waitForSelector('[data-testid=databases-table]');
  await page.check('input[type=radio][value="orders"]');
  await page.fill('[data-testid=database-actions] input[name=secret_key]', 'alias/db-secrets');
  await succeed(page, '[data-testid=database-manage-password]');
  // Secrets Manager: the secret RDS owns, with resource permissions for the partner account.
  await page.click('nav.side-nav a[href$="#/secretsmanager"]');
  await page.waitForSelector('[data-testid=secrets-table] >> text=managed by');
  assert.match(await page.textContent('[data-testid=secrets-table]'), /alias\/db-secrets|key\//);
  await page.waitForSelector('[data-testid=secret-permissions]');
  await page.fill('[data-testid=secret-policy-editor]', JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }, null, 2));
  await succeed(page, '[data-testid=secret-policy-save]');
  await finished(page, 'rds-password-rotation');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: multi-region-dr', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'multi-region-dr');
  await openKeyByAlias(page, 'alias/orders');
  const oldPolicy = JSON.parse(await page.textContent('[data-testid=key-policy]'));
  // Create key: a multi-Region key whose key users include AppRole.
  await page.click('nav.side-nav a[href$="#/kms/keys"]');
  await page.click('a[href$="#/kms/create-key"]');
  await page.waitForSelector('[data-testid=wizard-step-1]');
  await page.click('[data-testid=advanced-options] summary');
  await page.check('input[name=regionality] >> nth=1');
  await page.click('[data-testid=wizard-next]');
  await page.fill('input[aria-label=Description]', 'Orders (multi-Region)');
  await page.click('[data-testid=wizard-next]');
  await page.click('[data-testid=wizard-next]');
  await page.check(`[data-testid=users] >> text=${APP_ROLE}`);
  await page.click('[data-testid=wizard-next]');
  await page.waitForSelector('[data-testid=wizard-step-5]');
  await page.click('[data-testid=create-key]');
  await page.waitForSelector('[data-testid=policy-default-view]');
  const mrk = /\/us-east-1\/(mrk-[0-9a-f]+)/.exec(await page.evaluate(() => location.hash))[1];
  await saveKeyPolicy(page, oldPolicy);
  await openTab(page, 'Key rotation');
  await page.click('[data-testid=enable-rotation]');
  await page.waitForFunction(() => document.querySelector('[data-testid=rotation-status]')?.textContent === 'Enabled');
  // The old export, re-encrypted under the multi-Region key (Lab tools: what the app's SDK does).
  const plain = await kmsFile(page, { operation: 'Decrypt', input: 'orders.bin', output: 'orders.txt' });
  assert.ok(plain.ok, plain.text);
  const sealed = await kmsFile(page, { operation: 'Encrypt', input: 'orders.txt', output: 'orders-mrk.bin', key: mrk });
  assert.ok(sealed.ok, sealed.text);
  // alias/orders moves from the single-Region key to the new one.
  await openKeyByAlias(page, 'alias/orders');
  await openTab(page, 'Aliases');
  await page.click('button[aria-label="Delete alias alias/orders"]');
  await page.waitForSelector('[data-testid=aliases-table]', { state: 'detached' });
  await page.click('nav.side-nav a[href$="#/kms/keys"]');
  await page.locator('[data-testid=keys-table] tr', { hasText: mrk }).locator('a').first().click();
  await page.waitForSelector('.page-header .badge');
  await openTab(page, 'Aliases');
  await page.fill('input[aria-label="New alias name"]', 'orders');
  await page.click('[data-testid=alias-form] button');
  await page.waitForSelector('[data-testid=aliases-table] >> text=alias/orders');
  // The replica in us-west-2, with the same key policy and the same alias there.
  await openTab(page, 'Replicas');
  await page.selectOption('select[aria-label="Replica Region"]', 'us-west-2');
  await page.click('[data-testid=replicate-form] button');
  await page.waitForSelector('[data-testid=replicas-table] >> text=us-west-2');
  await page.click('[data-testid=replicas-table] a[href*="us-west-2"]');
  await page.waitForFunction(() => location.hash.includes('/us-west-2/'));
  await openTab(page, 'Key policy');
  await page.waitForSelector('[data-testid=key-policy]');
  await saveKeyPolicy(page, oldPolicy);
  await openTab(page, 'Aliases');
  await page.fill('input[aria-label="New alias name"]', 'orders');
  await page.click('[data-testid=alias-form] button');
  await page.waitForSelector('[data-testid=aliases-table] >> text=alias/orders');
  await finished(page, 'multi-region-dr');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: grants-for-services', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'grants-for-services');
  await openKeyByAlias(page, 'alias/batch');
  const policy = await page.textContent('[data-testid=key-policy]');
  await openTab(page, 'Grants');
  assert.match(await page.textContent('[data-testid=grants-lab-view]'), /Lab view/);
  const form = '[data-testid=create-grant]';
  await page.fill(`${form} input[name=grantee]`, APP_ROLE);
  await page.fill(`${form} input[name=operations]`, 'Decrypt');
  await page.fill(`${form} input[name=retiring]`, APP_ROLE);
  await page.selectOption(`${form} select[name=constraint]`, 'EncryptionContextEquals');
  await page.fill(`${form} input[name=context]`, 'job=nightly');
  await succeed(page, '[data-testid=create-grant-submit]');
  const grants = await page.textContent('[data-testid=grants-table]');
  assert.match(grants, /role\/AppRole/);
  assert.match(grants, /EncryptionContextEquals \{job=nightly\}/);
  // The grant is used once it has propagated (or with its grant token): a day on the clock.
  await page.click('[data-testid=advance-1d]');
  // As the worker: the nightly export opens, the legal one does not.
  await signInAs(page, 'app');
  const nightly = await kmsFile(page, { operation: 'Decrypt', input: 'nightly.bin', output: 'nightly.txt', context: 'job=nightly' });
  assert.ok(nightly.ok, nightly.text);
  const adhoc = await kmsFile(page, { operation: 'Decrypt', input: 'adhoc.bin', output: 'adhoc.txt', context: 'job=adhoc' });
  assert.equal(adhoc.ok, false, adhoc.text);
  await signInAs(page, 'admin');
  await openKeyByAlias(page, 'alias/batch');
  assert.equal(await page.textContent('[data-testid=key-policy]'), policy, 'the key policy is untouched');
  await finished(page, 'grants-for-services');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

const ADMIN_ACTIONS = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'];
const USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Create key in the console's steps: alias, a data-type tag, no administrators or users named. */
async function createKey(page, alias, description, dataType) {
  await page.click('nav.side-nav a[href$="#/kms/keys"]');
  await page.click('a[href$="#/kms/create-key"]');
  await page.waitForSelector('[data-testid=wizard-step-1]');
  await page.click('[data-testid=wizard-next]');
  await page.fill('input[aria-label=Alias]', alias);
  await page.fill('input[aria-label=Description]', description);
  await page.click('[data-testid=add-tag]');
  await page.fill('input[aria-label="Tag key 1"]', 'data-type');
  await page.fill('input[aria-label="Tag value 1"]', dataType);
  await page.click('[data-testid=wizard-next]');
  await page.click('[data-testid=wizard-next]');
  await page.click('[data-testid=wizard-next]');
  await page.waitForSelector('[data-testid=wizard-step-5]');
  await page.click('[data-testid=create-key]');
  await page.waitForSelector('[data-testid=policy-default-view]');
  await openTab(page, 'Key rotation');
  await page.click('[data-testid=enable-rotation]');
  await page.waitForFunction(() => document.querySelector('[data-testid=rotation-status]')?.textContent === 'Enabled');
}

test('console-only: healthcare-design', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'healthcare-design');
  // One key per data type, each rotating.
  await createKey(page, 'clinic-images', 'Clinic: medical images (S3)', 'images');
  await createKey(page, 'clinic-ebs', 'Clinic: application servers (EBS)', 'volumes');
  await createKey(page, 'clinic-rds', 'Clinic: records database (RDS)', 'records');
  // S3: default encryption with the images key and a Bucket Key; the two old scans copied in place.
  const bucket = 'clinic-imaging-111122223333';
  await page.click('nav.side-nav a[href$="#/s3/buckets"]');
  await page.click(`[data-testid=buckets-table] a:has-text("${bucket}")`);
  await page.click('.tabs >> text=Properties');
  await page.click('[data-testid=edit-default-encryption]');
  await page.check('[data-testid=default-encryption] input[value="aws:kms"]');
  await page.fill('[data-testid=default-encryption] input[name=key]', 'alias/clinic-images');
  await page.check('[data-testid=default-encryption] input[name=bucket-bucket-key][value="true"]');
  await succeed(page, '[data-testid=save-default-encryption]');
  await page.click('.tabs >> text=Objects');
  for (const object of ['scans/patient-0042/chest-xray.dcm', 'scans/patient-0043/knee-mri.dcm']) {
    await page.check(`input[type=radio][value="${object}"]`);
    await page.fill('[data-testid=object-actions] input[name=key]', 'alias/clinic-images');
    await succeed(page, '[data-testid=object-copy-in-place]');
  }
  // EBS encryption by default with the volumes key.
  await page.click('nav.side-nav a[href$="#/ec2/settings"]');
  await page.waitForSelector('[data-testid=ebs-encryption]');
  await succeed(page, '[data-testid=ebs-enable]');
  await page.fill('input[name=key]', 'alias/clinic-ebs');
  await succeed(page, '[data-testid=ebs-modify-key]');
  // The records database, encrypted with the records key.
  await page.click('nav.side-nav a[href$="#/rds/databases"]');
  await page.waitForSelector('[data-testid=create-database]');
  const db = '[data-testid=create-database]';
  await page.fill(`${db} input[name=id]`, 'clinic-records');
  await page.selectOption(`${db} select[name=engine]`, 'mysql');
  await page.selectOption(`${db} select[name=class]`, 'db.t3.medium');
  await page.fill(`${db} input[name=storage]`, '100');
  await page.fill(`${db} input[name=user]`, 'clinic');
  if (!(await page.isChecked(`${db} input[name=managed]`))) await page.fill(`${db} input[name=password]`, 'change-me-now');
  if (!(await page.isChecked(`${db} input[name=encrypted]`))) await page.check(`${db} input[name=encrypted]`);
  await page.fill(`${db} input[name=key]`, 'alias/clinic-rds');
  await succeed(page, '[data-testid=create-database-submit]');
  // IAM: the security team administers, the application uses.
  await putRolePolicy(page, 'SecurityAdmin', 'KeyAdministration', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ADMIN_ACTIONS, Resource: '*' }] });
  await putRolePolicy(page, 'AppRole', 'AppKeyUse', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: USE_ACTIONS, Resource: '*' }] });
  await finished(page, 'healthcare-design');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: logs-trail-key-policy', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'logs-trail-key-policy');
  const trailArn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;
  // The symptoms: the trail's latest delivery error, and the app's refused log event.
  const trailStatus = async () => {
    await page.click('nav.side-nav a[href$="#/cloudtrail/trails"]');
    await page.locator('[data-testid=trails-table] tr:has-text("management-events") input[type=radio]').check();
    await page.waitForSelector('[data-testid=trail-status]');
    return page.textContent('[data-testid=trail-delivery-error]');
  };
  assert.notEqual(await trailStatus(), '-', 'the trail reports a delivery error');
  const putEvent = async (message) => {
    await page.click('nav.side-nav a[href$="#/logs"]');
    await page.locator('[data-testid=log-groups-table] tr:has-text("/app/orders") input[type=radio]').check();
    await page.locator('[data-testid=log-streams-table] tr:has-text("web-1") input[type=radio]').check();
    await page.fill('[data-testid=log-events] input[name=message]', message);
    return act(page, '[data-testid=put-log-event]');
  };
  const refused = await putEvent('order-1002-created');
  assert.equal(refused.ok, false, refused.text);
  assert.match(refused.text, /AccessDeniedException/);
  // The key policy, read on the key page: root and administrators only. Add what each service
  // needs, bound to this account's trails and log groups.
  await openKeyByAlias(page, 'alias/audit-logs');
  const policy = JSON.parse(await page.textContent('[data-testid=key-policy]'));
  policy.Statement.push(
    { Sid: 'Allow CloudTrail to encrypt logs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': trailArn }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } } },
    { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
    { Sid: 'Allow CloudWatch Logs', Effect: 'Allow', Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } } },
  );
  await saveKeyPolicy(page, policy);
  const written = await putEvent('order-1002-created');
  assert.ok(written.ok, written.text);
  await page.waitForSelector('[data-testid=log-events-table] >> text=order-1002-created');
  // CloudTrail delivers every few minutes: move the clock on, then read the trail's status.
  await page.click('[data-testid=advance-1d]');
  assert.equal(await trailStatus(), '-', 'the trail delivers again');
  await finished(page, 'logs-trail-key-policy');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: dynamodb-inaccessible-table', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'dynamodb-inaccessible-table');
  // DynamoDB says the table is inaccessible; its encryption panel names the key.
  await page.click('nav.side-nav a[href$="#/dynamodb"]');
  const row = page.locator('[data-testid=tables-table] tr:has-text("Orders")');
  await row.waitFor();
  assert.match(await row.textContent(), /INACCESSIBLE_ENCRYPTION_CREDENTIALS/);
  await page.click('[data-testid=tables-table] a:text-is("Orders")');
  await page.waitForSelector('[data-testid=table-inaccessible]');
  // CloudTrail's event history: who touched the key.
  await page.click('nav.side-nav a[href$="#/activity"]');
  await page.waitForSelector('[data-testid=events-table]');
  const history = await page.textContent('[data-testid=events-table]');
  assert.match(history, /DisableKey|ScheduleKeyDeletion/);
  assert.match(history, /SecurityAdmin/);
  // The key, from the table list's link: cancel its deletion if one is pending, then enable it.
  await page.click('nav.side-nav a[href$="#/dynamodb"]');
  await page.locator('[data-testid=tables-table] tr:has-text("Orders") a[href*="/kms/keys/"]').first().click();
  await page.waitForSelector('.page-header .badge');
  if (await badge(page) === 'PendingDeletion') {
    await succeed(page, '[data-testid=cancel-deletion]');
    await waitState(page, 'Disabled');
  }
  assert.equal(await badge(page), 'Disabled');
  await succeed(page, '[data-testid=enable-key]');
  await waitState(page, 'Enabled');
  // DynamoDB notices within minutes: the table is ACTIVE and its orders read back.
  await page.click('[data-testid=advance-1d]');
  await page.click('nav.side-nav a[href$="#/dynamodb"]');
  await page.waitForFunction(() => !/INACCESSIBLE/.test(document.querySelector('[data-testid=tables-table] tbody')?.textContent ?? 'INACCESSIBLE'));
  await page.click('[data-testid=tables-table] a:text-is("Orders")');
  await succeed(page, '[data-testid=scan-table]');
  assert.match(await page.textContent('[data-testid=items-table]'), /o-1001/);
  await finished(page, 'dynamodb-inaccessible-table');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: config-encryption-compliance', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, base, 'config-encryption-compliance');
  const volume = await scenarioVar(page, 'VOLUME_ID');
  const instance = await scenarioVar(page, 'INSTANCE_ID');
  // AWS Config: "Get started" (recorder, delivery channel, recording), then the auditor's rules.
  await page.click('nav.side-nav a[href$="#/config"]');
  await page.waitForSelector('[data-testid=config-setup]');
  await page.selectOption('[data-testid=config-setup] select[name=role]', `arn:aws:iam::${ACCOUNT}:role/ConfigRecorderRole`);
  await page.selectOption('[data-testid=config-setup] select[name=bucket]', `config-bucket-${ACCOUNT}`);
  await succeed(page, '[data-testid=config-setup-submit]');
  await page.waitForSelector('[data-testid=recording-on]');
  await page.click('nav.side-nav a[href$="#/config/rules"]');
  await page.waitForSelector('[data-testid=add-config-rule]');
  for (const id of ['ENCRYPTED_VOLUMES', 'EC2_EBS_ENCRYPTION_BY_DEFAULT', 'S3_DEFAULT_ENCRYPTION_KMS']) {
    await page.selectOption('[data-testid=add-config-rule] select[name=identifier]', id);
    await succeed(page, '[data-testid=add-config-rule-submit]');
  }
  // EBS encryption by default, in EC2's settings.
  await page.click('nav.side-nav a[href$="#/ec2/settings"]');
  await page.waitForSelector('[data-testid=ebs-encryption]');
  await succeed(page, '[data-testid=ebs-enable]');
  // The reports bucket's default encryption: SSE-KMS with the team's key and a Bucket Key.
  await page.click('nav.side-nav a[href$="#/s3/buckets"]');
  await page.click(`[data-testid=buckets-table] a:has-text("reports-${ACCOUNT}")`);
  await page.click('.tabs >> text=Properties');
  await page.click('[data-testid=edit-default-encryption]');
  await page.check('[data-testid=default-encryption] input[name=bucket-sse][value="aws:kms"]');
  await page.fill('[data-testid=default-encryption] input[name=key]', 'alias/data-at-rest');
  await page.check('[data-testid=default-encryption] input[name=bucket-bucket-key][value="true"]');
  await succeed(page, '[data-testid=save-default-encryption]');
  // The data volume: a snapshot, an encrypted volume from it, then the swap on the instance.
  await page.click('nav.side-nav a[href$="#/ec2/volumes"]');
  await page.waitForSelector('[data-testid=volumes-table]');
  await page.check(`input[type=radio][value="${volume}"]`);
  await succeed(page, '[data-testid=volume-snapshot]');
  // A snapshot is pending for a few minutes: move the clock on before using it.
  await page.click('[data-testid=advance-1d]');
  await page.click('nav.side-nav a[href$="#/ec2/snapshots"]');
  await page.waitForSelector('[data-testid=snapshots-table]');
  const [snap] = await rowIds(page, 'snapshots-table', new RegExp(volume));
  await page.check(`input[type=radio][value="${snap}"]`);
  await page.selectOption('[data-testid=snapshot-volume-form] select[name=az]', 'us-east-1a');
  await page.check('[data-testid=snapshot-volume-form] input[name=encrypted]');
  await page.fill('[data-testid=snapshot-volume-form] input[name=key]', 'alias/data-at-rest');
  await succeed(page, '[data-testid=snapshot-volume]');
  // The new volume is creating for a few seconds: move the clock on before attaching it.
  await page.click('[data-testid=advance-1d]');
  await page.click('nav.side-nav a[href$="#/ec2/volumes"]');
  await page.waitForSelector('[data-testid=volumes-table]');
  const fromSnap = await rowIds(page, 'volumes-table', new RegExp(snap));
  assert.equal(fromSnap.length, 1, 'one volume made from the snapshot');
  await page.check(`input[type=radio][value="${volume}"]`);
  await page.click('[data-testid=volume-detach]');
  await succeed(page, '[data-testid=volume-detach-confirm]');
  await page.check(`input[type=radio][value="${fromSnap[0]}"]`);
  await page.selectOption('[data-testid=volume-actions] select[name=instance]', instance);
  await page.fill('[data-testid=volume-actions] input[name=device]', '/dev/sdf');
  await succeed(page, '[data-testid=volume-attach]');
  // The warning: the trail logs again, a queue, and a rule for ScheduleKeyDeletion API calls.
  await page.click('nav.side-nav a[href$="#/cloudtrail/trails"]');
  await page.locator('[data-testid=trails-table] tr:has-text("management-events") input[type=radio]').check();
  await succeed(page, '[data-testid=trail-start]');
  await page.click('nav.side-nav a[href$="#/sqs"]');
  await page.fill('[data-testid=create-queue] input[name=name]', 'key-deletion-alerts');
  await succeed(page, '[data-testid=create-queue-submit]');
  await page.click('nav.side-nav a[href$="#/events"]');
  await page.waitForSelector('[data-testid=create-rule]');
  await page.fill('[data-testid=create-rule] input[name=name]', 'kms-key-deletion-scheduled');
  await page.selectOption('[data-testid=create-rule] select[name=sample]', 'AWS API Call via CloudTrail');
  await page.waitForFunction(() => document.querySelector('[data-testid=event-pattern-editor]').value.includes('ScheduleKeyDeletion'));
  assert.equal(await page.locator('[data-testid=trail-note]').count(), 0, 'the trail logs: no note');
  await page.selectOption('[data-testid=create-rule] select[name=target]', `arn:aws:sqs:us-east-1:${ACCOUNT}:key-deletion-alerts`);
  await succeed(page, '[data-testid=create-rule-submit]');
  // Re-evaluate each rule: the data volume, the account and the bucket are compliant.
  for (const [rule, resource] of [['encrypted-volumes', fromSnap[0]], ['ec2-ebs-encryption-by-default', ACCOUNT], ['s3-default-encryption-kms', `reports-${ACCOUNT}`]]) {
    await page.click('nav.side-nav a[href$="#/config/rules"]');
    await page.click(`[data-testid=config-rules-table] a:text-is("${rule}")`);
    await page.waitForSelector('[data-testid=reevaluate]');
    await succeed(page, '[data-testid=reevaluate]');
    await page.selectOption('select[name=show]', 'COMPLIANT');
    await page.waitForFunction((r) => (document.querySelector('[data-testid=rule-resources]')?.textContent || '').includes(r), resource);
  }
  await finished(page, 'config-encryption-compliance');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

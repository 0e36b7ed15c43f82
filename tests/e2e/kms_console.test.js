// The KMS and IAM console as a learner uses it (issue 19): Create key in the console's steps,
// the confirmation dialogs, tables with add/remove on the key's tabs, the policy editor's error
// markers, IAM users/roles/policies and "sign in as", and scenarios finished with the console
// pages only (`console-only: <scenario id>`). Every action is a real audited call: CloudTrail
// shows it, and a denial carries its Why? card. Screenshots at 1280 and 390 px, never wider
// than the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath } from './harness.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const DESKTOP = { width: 1280, height: 900 };
const MOBILE = { width: 390, height: 844 };

const run = async (page, line) => {
  const r = await page.evaluate((l) => window.kmsLab.run(l), line);
  assert.equal(r.ok, true, `${line}\n${r.stderr}`);
  return r.stdout.trim();
};

/** CloudTrail event names, newest first. */
const trail = async (page) => (await page.evaluate(() => window.kmsLab.run(
  "aws cloudtrail lookup-events --max-results 50 --query 'Events[].EventName' --output text"))).stdout.split(/\s+/).filter(Boolean);

async function open(page, hash) {
  await page.goto(base + hash);
  await waitForApp(page);
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
}

async function noSideways(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${where}: the page is ${overflow}px wider than the screen`);
}

/** A screenshot, checked for sideways scrolling first. */
async function shot(page, name) {
  await noSideways(page, name);
  await page.screenshot({ path: shotPath(name), fullPage: true });
}

async function flash(page, pattern) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid=flash]')?.textContent || ''), pattern.source);
  return page.textContent('[data-testid=flash]');
}

const badge = (page) => page.textContent('.page-header .badge');
async function waitState(page, state) {
  await page.waitForFunction((s) => document.querySelector('.page-header .badge')?.textContent === s, state);
}

async function openTab(page, name) {
  await page.click(`[role=tab] >> text="${name}"`);
}

test('Create key in the console steps: labels, tags, administrators who may not delete, users and another account, then the review policy', async () => {
  for (const [vp, size] of [['desktop', DESKTOP], ['mobile', MOBILE]]) {
    const { context, page, problems } = await newPage(browser, size);
    await open(page, '#/kms/create-key');
    await page.waitForSelector('[data-testid=wizard-step-1]');
    assert.equal(await page.getAttribute('[aria-current=step]', 'aria-current'), 'step');
    // Step 1: key type and usage, advanced options (origin, Regionality).
    await page.click('[data-testid=advanced-options] summary');
    assert.equal(await page.isChecked('input[name=origin][value=AWS_KMS]'), true);
    await shot(page, `kms-wizard-step1-${vp}`);
    await page.click('[data-testid=wizard-next]');
    // Step 2: alias, description, tags (an unnamed tag stops the step).
    await page.fill('input[aria-label=Alias]', `wizard-${vp}`);
    await page.fill('input[aria-label=Description]', 'made in steps');
    await page.click('[data-testid=add-tag]');
    await page.click('[data-testid=wizard-next]');
    await page.waitForSelector('[data-testid=wizard-step-2] [role=alert]');
    await page.fill('input[aria-label="Tag key 1"]', 'team');
    await page.fill('input[aria-label="Tag value 1"]', 'payments');
    await shot(page, `kms-wizard-step2-${vp}`);
    await page.click('[data-testid=wizard-next]');
    // Step 3: key administrators, who may not delete the key.
    await page.check('[data-testid=admins] >> text=arn:aws:iam::111122223333:role/SecurityAdmin');
    await page.uncheck('[data-testid=admins-can-delete]');
    await shot(page, `kms-wizard-step3-${vp}`);
    await page.click('[data-testid=wizard-next]');
    // Step 4: key users in this account and another AWS account (checked: 12 digits).
    await page.check('[data-testid=users] >> text=arn:aws:iam::111122223333:role/AppRole');
    await page.click('[data-testid=add-account]');
    await page.fill('input[aria-label="Other AWS account 1"]', '4444');
    await page.click('[data-testid=wizard-next]');
    await page.waitForSelector('[data-testid=wizard-step-4] [role=alert]');
    await page.fill('input[aria-label="Other AWS account 1"]', '444455556666');
    await shot(page, `kms-wizard-step4-${vp}`);
    await page.click('[data-testid=wizard-next]');
    // Step 5: review, with the policy the console would generate.
    await page.waitForSelector('[data-testid=wizard-step-5]');
    const policy = JSON.parse(await page.textContent('[data-testid=wizard-policy]'));
    assert.deepEqual(policy.Statement.map((s) => s.Sid), ['Enable IAM User Permissions',
      'Allow access for Key Administrators', 'Allow use of the key', 'Allow attachment of persistent resources']);
    const admin = policy.Statement[1];
    assert.deepEqual(admin.Principal.AWS, ['arn:aws:iam::111122223333:role/SecurityAdmin']);
    assert.ok(!admin.Action.includes('kms:ScheduleKeyDeletion') && !admin.Action.includes('kms:CancelKeyDeletion'), admin.Action.join());
    assert.deepEqual(policy.Statement[2].Principal.AWS, ['arn:aws:iam::111122223333:role/AppRole', 'arn:aws:iam::444455556666:root']);
    assert.match(await page.textContent('[data-testid=wizard-review]'), /team=payments/);
    await shot(page, `kms-wizard-review-${vp}`);
    await page.click('[data-testid=create-key]');
    await page.waitForSelector('[data-testid=policy-default-view]');
    assert.match(await flash(page, /Created key/), new RegExp(`with alias alias/wizard-${vp}`));
    // The default view reads the statements as the console does.
    const view = await page.textContent('[data-testid=policy-default-view]');
    assert.match(view, /role\/SecurityAdmin/);
    assert.doesNotMatch(view, /Key administrators\s*None named/);
    assert.match(view, /may not delete this key/);
    assert.match(view, /444455556666:root/);
    assert.match(view, /Other AWS accounts/);
    await shot(page, `kms-key-policy-default-view-${vp}`);
    // The default view changes the console's statements (each change a PutKeyPolicy call).
    await page.selectOption('select[aria-label="Add to the key users"]', 'arn:aws:iam::111122223333:user/Admin');
    await page.click('[data-testid=add-key-users]');
    await flash(page, /Added arn:aws:iam::111122223333:user\/Admin to the key users/);
    await page.click('[data-testid=toggle-admins-delete]');
    await page.waitForFunction(() => /may delete this key/.test(document.querySelector('[data-testid=admins-can-delete]')?.textContent || ''));
    await page.click('button[aria-label="Remove arn:aws:iam::111122223333:role/SecurityAdmin from the key administrators"]');
    await flash(page, /Removed .*SecurityAdmin from the key administrators/);
    const now = JSON.parse(await page.textContent('[data-testid=key-policy]'));
    assert.deepEqual(now.Statement.map((s) => s.Sid), ['Enable IAM User Permissions', 'Allow use of the key', 'Allow attachment of persistent resources']);
    assert.ok(now.Statement[1].Principal.AWS.includes('arn:aws:iam::111122223333:user/Admin'), JSON.stringify(now.Statement[1]));
    assert.equal((await trail(page)).filter((e) => e === 'PutKeyPolicy').length, 3);
    await openTab(page, 'Tags');
    assert.match(await page.textContent('[data-testid=tags-table]'), /team\s*payments/);
    assert.ok((await trail(page)).includes('CreateKey'));
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  }
});

test('confirmation dialogs: Disable key, Schedule key deletion (7–30 days, ticked) and Delete key material ask first, and a denial shows its Why? card', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await open(page, '#/kms/keys');
  const key = await run(page, 'aws kms create-key --description dialogs --query KeyMetadata.KeyId --output text');
  await page.goto(base + `#/kms/keys/us-east-1/${key}`);
  await waitState(page, 'Enabled');

  // Disable: the dialog is modal, focused, closes on Escape without acting.
  await page.click('[data-testid=disable-key]');
  const dialog = page.locator('[role=dialog]');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  assert.match(await page.textContent(`#${await dialog.getAttribute('aria-labelledby')}`), /Disable key/);
  assert.ok(await page.evaluate(() => document.querySelector('[role=dialog]').contains(document.activeElement)), 'focus moves into the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await badge(page), 'Enabled', 'Escape disables nothing');
  await page.click('[data-testid=disable-key]');
  assert.equal(await page.isDisabled('[data-testid=confirm-disable]'), true, 'Disable key waits for the confirmation box');
  await page.check('[data-testid=confirm-disable-box]');
  await shot(page, 'kms-dialog-disable-desktop');
  await page.click('[data-testid=confirm-disable]');
  await waitState(page, 'Disabled');
  await flash(page, /Disabled the key/);
  await page.click('[data-testid=enable-key]');
  await waitState(page, 'Enabled');

  // Schedule key deletion: 7–30 days, then the box naming the days.
  await page.click('[data-testid=schedule-deletion]');
  await page.waitForSelector('[data-testid=schedule-deletion-dialog]');
  await page.fill('[data-testid=waiting-period]', '6');
  assert.equal(await page.locator('[data-testid=confirm-deletion-box]').count(), 0, 'no confirmation for 6 days');
  assert.equal(await page.isDisabled('[data-testid=confirm-schedule-deletion]'), true);
  await page.fill('[data-testid=waiting-period]', '7');
  assert.match(await page.textContent('[data-testid=schedule-deletion-dialog]'), /Confirm you want to schedule this key for deletion in 7 days\./);
  assert.equal(await page.isDisabled('[data-testid=confirm-schedule-deletion]'), true, 'not before the box is ticked');
  await page.check('[data-testid=confirm-deletion-box]');
  await shot(page, 'kms-dialog-schedule-deletion-desktop');
  await page.click('[data-testid=confirm-schedule-deletion]');
  await waitState(page, 'PendingDeletion');
  assert.match(await page.textContent('.fields'), /Scheduled deletion/);
  const events = await trail(page);
  assert.ok(events.includes('ScheduleKeyDeletion') && events.includes('DisableKey'), events.join(' '));
  await page.click('[data-testid=cancel-deletion]');
  await waitState(page, 'Disabled');

  // As the app profile (no kms:DisableKey), the confirmed call is denied with its Why? card.
  await page.click('[data-testid=enable-key]');
  await waitState(page, 'Enabled');
  await page.selectOption('[data-testid=profile]', 'app');
  await page.click('[data-testid=disable-key]');
  await page.check('[data-testid=confirm-disable-box]');
  await page.click('[data-testid=confirm-disable]');
  assert.match(await flash(page, /failed/), /DisableKey failed: AccessDeniedException/);
  await page.click('[data-testid=flash] [data-testid=why]');
  await page.waitForSelector('[data-testid=why-card]');
  assert.equal(await badge(page), 'Enabled');
  await page.selectOption('[data-testid=profile]', 'admin');

  // Imported key material through the Key material tab: download the wrapping public key and
  // import token, wrap outside KMS (here the terminal's lab tool), upload with an expiry; then
  // Delete key material asks first.
  const imported = await run(page, 'aws kms create-key --origin EXTERNAL --description imported --query KeyMetadata.KeyId --output text');
  await run(page, 'lab local random --bytes 32 --out material.bin');
  await page.goto(base + `#/kms/keys/us-east-1/${imported}`);
  await waitState(page, 'PendingImport');
  await openTab(page, 'Key material');
  await page.click('[data-testid=import-params-form] button');
  await page.waitForSelector('select[aria-label="Import token file"] >> option[value="ImportToken.bin"]', { state: 'attached' });
  await run(page, 'lab local wrap-key-material --public-key fileb://WrappingPublicKey.bin --algorithm RSAES_OAEP_SHA_256 --in material.bin --out wrapped.bin');
  await page.waitForSelector('select[aria-label="Wrapped key material file"] >> option[value="wrapped.bin"]', { state: 'attached' });
  assert.equal(await page.inputValue('select[aria-label="Wrapped key material file"]'), 'wrapped.bin');
  assert.equal(await page.inputValue('select[aria-label="Import token file"]'), 'ImportToken.bin');
  await shot(page, 'kms-key-material-desktop');
  await page.click('[data-testid=import-form] button[type=submit]');
  await waitState(page, 'Enabled');
  assert.match(await page.textContent('[role=tabpanel]'), /Expiration\s*\d{4}-\d{2}-\d{2}/);
  await page.click('[data-testid=delete-material]');
  await page.waitForSelector('[data-testid=delete-material-dialog]');
  assert.equal(await page.isDisabled('[data-testid=confirm-delete-material]'), true);
  await page.check('[data-testid=confirm-material-box]');
  await page.click('[data-testid=confirm-delete-material]');
  await waitState(page, 'PendingImport');
  assert.equal(await page.locator('[data-testid=delete-material]').count(), 0, 'no material left to delete');
  const importEvents = await trail(page);
  for (const e of ['GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial']) {
    assert.ok(importEvents.includes(e), `${e} in CloudTrail: ${importEvents.join(' ')}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('key tabs are tables with actions: aliases, tags, rotation (period, Rotate now, dated history), grants (lab view, revoke), replicas', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await open(page, '#/kms/keys');
  const key = await run(page, 'aws kms create-key --description tables --query KeyMetadata.KeyId --output text');
  await run(page, `aws kms create-grant --key-id ${key} --grantee-principal arn:aws:iam::111122223333:role/AppRole --operations Decrypt --constraints EncryptionContextSubset={dept=hr}`);
  await page.goto(base + `#/kms/keys/us-east-1/${key}`);
  await waitState(page, 'Enabled');
  assert.doesNotMatch(await page.textContent('main'), /"AliasName"|"TagKey"|"GrantId"/, 'no raw JSON');

  await openTab(page, 'Aliases');
  await page.fill('input[aria-label="New alias name"]', 'tables-extra');
  await page.click('[data-testid=alias-form] button');
  await page.waitForSelector('[data-testid=aliases-table] >> text=alias/tables-extra');
  await page.click('button[aria-label="Delete alias alias/tables-extra"]');
  await flash(page, /Deleted alias alias\/tables-extra/);
  await page.waitForSelector('[data-testid=aliases-table]', { state: 'detached' });

  await openTab(page, 'Tags');
  await page.fill('[data-testid=tag-form] input[aria-label="Tag key"]', 'env');
  await page.fill('[data-testid=tag-form] input[aria-label="Tag value"]', 'prod');
  await page.click('[data-testid=tag-form] button');
  await page.waitForSelector('[data-testid=tags-table] >> text=env');
  await page.click('button[aria-label="Remove tag env"]');
  await page.waitForSelector('[data-testid=tags-table]', { state: 'detached' });

  await openTab(page, 'Key rotation');
  await page.fill('input[aria-label="Rotation period in days"]', '180');
  await page.click('[data-testid=enable-rotation]');
  await page.waitForFunction(() => document.querySelector('[data-testid=rotation-status]')?.textContent === 'Enabled');
  assert.match(await page.textContent('[role=tabpanel]'), /180 days/);
  await page.click('[data-testid=rotate-now]');
  await page.waitForSelector('[data-testid=rotations-table]');
  const history = await page.textContent('[data-testid=rotations-table]');
  assert.match(history, /On-demand/);
  assert.match(history, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/, 'dates, not epoch seconds');
  await shot(page, 'kms-key-rotation-desktop');

  await openTab(page, 'Grants');
  assert.match(await page.textContent('[data-testid=grants-lab-view]'), /Lab view/);
  const grants = await page.textContent('[data-testid=grants-table]');
  assert.match(grants, /role\/AppRole/);
  assert.match(grants, /EncryptionContextSubset \{dept=hr\}/);
  await shot(page, 'kms-key-grants-desktop');
  await page.locator('[data-testid=grants-table] button', { hasText: 'Revoke' }).click();
  await page.waitForSelector('[data-testid=grants-table]', { state: 'detached' });
  const events = await trail(page);
  for (const e of ['CreateAlias', 'DeleteAlias', 'TagResource', 'UntagResource', 'EnableKeyRotation', 'RotateKeyOnDemand', 'RevokeGrant']) {
    assert.ok(events.includes(e), `${e} in CloudTrail: ${events.join(' ')}`);
  }

  // A multi-Region primary: the Replicas tab lists it and creates a replica in another Region.
  const mrk = await run(page, 'aws kms create-key --multi-region --query KeyMetadata.KeyId --output text');
  await page.goto(base + `#/kms/keys/us-east-1/${mrk}`);
  await waitState(page, 'Enabled');
  await openTab(page, 'Replicas');
  await page.selectOption('select[aria-label="Replica Region"]', 'us-west-2');
  await page.click('[data-testid=replicate-form] button');
  await page.waitForSelector('[data-testid=replicas-table] >> text=us-west-2');
  assert.match(await page.textContent('[data-testid=replicas-table]'), /Primary[\s\S]*Replica/);
  await shot(page, 'kms-key-replicas-desktop');
  await page.click(`[data-testid=replicas-table] a[href*="us-west-2"]`);
  await page.waitForFunction(() => location.hash.includes('/us-west-2/'));
  await page.waitForSelector('.page-header .badge');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

const POLICY_WITH_TYPO = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Acton": "kms:*",
      "Resource": "*"
    }
  ]
}`;

test('policy editor: line numbers, the error marked at its line and column, Format on request, nothing saved on error', async () => {
  for (const [vp, size] of [['desktop', DESKTOP], ['mobile', MOBILE]]) {
    const { context, page, problems } = await newPage(browser, size);
    await open(page, '#/kms/keys');
    const key = await run(page, 'aws kms create-key --description editor --query KeyMetadata.KeyId --output text');
    await page.goto(base + `#/kms/keys/us-east-1/${key}`);
    await page.waitForSelector('[data-testid=key-policy]');
    const saved = await page.textContent('[data-testid=key-policy]');
    await page.click('[data-testid=edit-policy]');
    const editor = page.locator('[data-testid=policy-editor]');
    // KMS refuses the misspelt element; the marker sits on its line.
    await editor.fill(POLICY_WITH_TYPO);
    assert.equal(await page.locator('.pe-ln').count(), 12, 'one line number per line');
    await page.click('text=Save changes');
    await page.waitForSelector('[data-testid=policy-error-where]');
    assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicyDocumentException.*Acton/);
    assert.equal(await page.textContent('[data-testid=policy-error-where]'), 'Line 8, column 7');
    assert.equal(await page.textContent('.pe-ln-err'), '8');
    await page.click('[data-testid=policy-error] >> text=Go to error');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'policy-editor');
    await shot(page, `kms-policy-editor-error-${vp}`);
    // A JSON syntax error is marked here and never sent: CloudTrail gains no PutKeyPolicy.
    const before = (await trail(page)).filter((e) => e === 'PutKeyPolicy').length;
    await editor.fill('{\n  "Version": "2012-10-17"\n  "Statement": []\n}');
    await page.click('text=Save changes');
    assert.equal(await page.textContent('[data-testid=policy-error-where]'), 'Line 3, column 3');
    assert.equal(await page.textContent('.pe-ln-err'), '3');
    assert.equal((await trail(page)).filter((e) => e === 'PutKeyPolicy').length, before, 'nothing sent');
    // The document is kept as written until Format is chosen.
    const minified = JSON.stringify(JSON.parse(POLICY_WITH_TYPO.replace('Acton', 'Action')));
    await editor.fill(minified);
    assert.equal(await editor.inputValue(), minified);
    await page.click('.pe >> text=Format');
    const formatted = await editor.inputValue();
    assert.ok(formatted.startsWith('{\n  "Version": "2012-10-17",\n  "Statement": ['), formatted);
    await page.click('.pe >> text=Cancel');
    assert.equal(await page.textContent('[data-testid=key-policy]'), saved, 'the policy is unchanged');
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  }
});

test('IAM: create a role with its trust policy, attach and detach a managed policy, inline policies in the editor, delete, and sign in as', async () => {
  for (const [vp, size] of [['desktop', DESKTOP], ['mobile', MOBILE]]) {
    const { context, page, problems } = await newPage(browser, size);
    await open(page, '#/iam');
    await page.waitForSelector('[data-testid=iam-detail]');
    await shot(page, `iam-${vp}`);
    await page.click('[data-testid=create-role]');
    await page.fill('input[aria-label="Role name"]', `Auditor${vp}`);
    assert.match(await page.inputValue('[data-testid=trust-policy-json]'), /111122223333:root/);
    await shot(page, `iam-create-role-${vp}`);
    await page.click('[data-testid=iam-create] button:has-text("Create role")');
    await flash(page, new RegExp(`Created role Auditor${vp}`));
    await page.waitForSelector(`[data-testid=iam-detail] >> text=role/Auditor${vp}`);
    // AWS managed policy: attach, then detach.
    await page.selectOption('select[aria-label="AWS managed policy"]', 'ReadOnlyAccess');
    await page.click('[data-testid=attach-form] button');
    await page.waitForSelector('[data-testid=attached-policies] >> text=ReadOnlyAccess');
    await page.click('button[aria-label="Detach ReadOnlyAccess"]');
    await page.waitForSelector('[data-testid=attached-policies]', { state: 'detached' });
    // An inline policy: IAM refuses a misspelt element (marked), then saves the fixed one.
    await page.click('[data-testid=add-inline-policy]');
    await page.fill('input[aria-label="Policy name"]', 'ReadKeys');
    const bad = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Actions": "kms:DescribeKey",\n      "Resource": "*"\n    }\n  ]\n}';
    await page.fill('[data-testid=inline-policy-json]', bad);
    await page.click('text=Save policy');
    await page.waitForSelector('[data-testid=policy-error-where]');
    assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicyDocument/);
    assert.equal(await page.textContent('.pe-ln-err'), '6');
    await shot(page, `iam-inline-error-${vp}`);
    await page.fill('[data-testid=inline-policy-json]', bad.replace('"Actions"', '"Action"'));
    await page.click('text=Save policy');
    await page.waitForSelector('[data-testid=inline-policy][data-policy-name=ReadKeys]');
    await page.click('button[aria-label="Remove ReadKeys"]');
    await page.waitForSelector('[data-testid=inline-policy][data-policy-name=ReadKeys]', { state: 'detached' });
    // Delete: the name must be typed.
    await page.click('[data-testid=delete-principal]');
    await page.waitForSelector('[data-testid=delete-principal-dialog]');
    assert.equal(await page.isDisabled('[data-testid=confirm-delete-principal]'), true);
    await page.fill('[data-testid=delete-principal-dialog] input', `Auditor${vp}`);
    await page.click('[data-testid=confirm-delete-principal]');
    await flash(page, new RegExp(`Deleted role Auditor${vp}`));
    assert.equal(await page.locator(`[data-testid=iam-principals] >> text=Auditor${vp}`).count(), 0);
    const events = await trail(page);
    for (const e of ['CreateRole', 'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'DeleteRole']) {
      assert.ok(events.includes(e), `${e} in CloudTrail: ${events.join(' ')}`);
    }
    // Sign in as the AppRole profile.
    await page.click('.split-list >> text=AppRole');
    await page.click('[data-testid=sign-in-as]');
    await page.waitForFunction(() => document.querySelector('[data-testid=principal]')?.textContent === 'role/AppRole');
    // The console now calls IAM as AppRole, which may not list users: AWS's answer is shown.
    await page.waitForSelector('main [role=alert]');
    assert.match(await page.textContent('main [role=alert]'), /AccessDenied/);
    assert.equal(await page.inputValue('[data-testid=profile]'), 'app');
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  }
});

test('IAM: a customer managed policy created in the editor, attached to a role that then may act, edited into a new default version, rolled back, and deleted', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await open(page, '#/iam');
  await page.waitForSelector('[data-testid=customer-policies]');
  // AppRole may not list keys yet.
  const listKeysAsApp = async () => {
    await run(page, 'lab profile use app');
    const r = await page.evaluate(() => window.kmsLab.run('aws kms list-keys'));
    await run(page, 'lab profile use admin');
    return r.ok;
  };
  assert.equal(await listKeysAsApp(), false);
  await page.click('[data-testid=create-policy]');
  await page.fill('input[name=policy-name]', 'KeyLister');
  await page.fill('input[name=policy-description]', 'Lists the account\'s KMS keys');
  await page.fill('[data-testid=managed-policy-json]', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }] }, null, 2));
  await page.click('[data-testid=managed-policy-save]');
  await flash(page, /Created policy KeyLister/);
  await page.waitForSelector('[data-testid=policy-detail] >> text=policy/KeyLister');
  assert.match(await page.textContent('[data-testid=managed-policy-document]'), /kms:ListKeys/);
  assert.match(await page.textContent('[data-testid=policy-detail]'), /Lists the account's KMS keys/, 'the description (GetPolicy)');
  // Attach it on AppRole's page: AppRole may now list keys.
  await page.click('.split-list >> text=AppRole');
  await page.selectOption('select[aria-label="Customer managed policy"]', { label: 'KeyLister' });
  await page.click('[data-testid=attach-customer-form] button');
  await page.waitForSelector('[data-testid=attached-policies] >> text=KeyLister');
  assert.match(await page.textContent('[data-testid=attached-policies]'), /Customer managed/);
  assert.equal(await listKeysAsApp(), true);
  // Edit: a new default version without ListKeys, refused with a syntax error first.
  await page.click('[data-testid=policies-table] button:has-text("KeyLister")');
  await page.click('[data-testid=edit-managed-policy]');
  await page.fill('[data-testid=managed-policy-json]', '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*" } ] ');
  await page.click('[data-testid=managed-policy-save]');
  await page.waitForSelector('[data-testid=policy-error]');
  await page.fill('[data-testid=managed-policy-json]', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] }, null, 2));
  await page.click('[data-testid=managed-policy-save]');
  await flash(page, /Saved a new default version of KeyLister/);
  await page.waitForSelector('[data-testid=policy-versions] >> text=v2 (Default)');
  assert.equal(await listKeysAsApp(), false, 'v2 is what IAM evaluates now');
  await shot(page, 'iam-customer-policy-desktop');
  // Roll back to v1, delete v2; detach and delete the policy.
  await page.click('button[aria-label="Set v1 as default"]');
  await page.waitForSelector('[data-testid=policy-versions] >> text=v1 (Default)');
  assert.equal(await listKeysAsApp(), true);
  await page.click('button[aria-label="Delete v2"]');
  await page.waitForFunction(() => !/v2/.test(document.querySelector('[data-testid=policy-versions]').textContent));
  await page.click('[data-testid=delete-managed-policy]');
  await flash(page, /Cannot delete a policy attached to entities/);
  await page.click('.split-list >> text=AppRole');
  await page.click('button[aria-label="Detach KeyLister (customer managed)"]');
  await page.click('[data-testid=policies-table] button:has-text("KeyLister")');
  await page.click('[data-testid=delete-managed-policy]');
  await flash(page, /Deleted policy KeyLister/);
  await page.waitForSelector('[data-testid=policies-table]', { state: 'detached' });
  const events = await trail(page);
  for (const e of ['CreatePolicy', 'AttachRolePolicy', 'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'DeletePolicyVersion', 'DetachRolePolicy', 'DeletePolicy']) {
    assert.ok(events.includes(e), `${e} in CloudTrail: ${events.join(' ')}`);
  }
  await page.setViewportSize(MOBILE);
  await noSideways(page, 'IAM policies at 390 px');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

/** Starts a scenario from its page, as a learner does. */
async function startScenario(page, id) {
  await open(page, `#/scenarios/${id}`);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
}

/** Back on the scenario page through the navigation: every objective passes (N/N). */
async function finished(page, id, name) {
  await page.click('nav.side-nav a[href$="#/scenarios"]');
  await page.click(`a[href$="#/scenarios/${id}"]`);
  await page.waitForSelector('[data-testid=debrief]', { timeout: 20000 });
  const total = await page.locator('[data-testid=objectives] li').count();
  assert.ok(total > 0);
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), total, `${id}: N/N`);
  await shot(page, name);
}

/** Opens a key from the keys table by its alias (through the navigation). */
async function openKeyByAlias(page, alias) {
  await page.click('nav.side-nav a[href$="#/kms/keys"]');
  await page.waitForSelector('[data-testid=keys-table]');
  await page.locator('[data-testid=keys-table] tr', { hasText: alias }).locator('a').first().click();
  await page.waitForSelector('.page-header .badge');
}

test('console-only: scheduled-deletion', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, 'scheduled-deletion');
  await openKeyByAlias(page, 'alias/reports');
  assert.equal(await badge(page), 'PendingDeletion');
  await page.click('[data-testid=cancel-deletion]');
  await waitState(page, 'Disabled');
  await page.click('[data-testid=enable-key]');
  await waitState(page, 'Enabled');
  await openKeyByAlias(page, 'alias/old-batch');
  await page.click('[data-testid=schedule-deletion]');
  await page.fill('[data-testid=waiting-period]', '7');
  await page.check('[data-testid=confirm-deletion-box]');
  await page.click('[data-testid=confirm-schedule-deletion]');
  await waitState(page, 'PendingDeletion');
  for (let i = 0; i < 8; i += 1) await page.click('[data-testid=advance-1d]');
  await finished(page, 'scheduled-deletion', 'console-only-scheduled-deletion-desktop');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

const KEY_ADMINISTRATION = { Version: '2012-10-17', Statement: [{ Sid: 'KeyAdministration', Effect: 'Allow', Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'], Resource: '*' }] };
const APP_KEY_USE = { Version: '2012-10-17', Statement: [{ Sid: 'AppKeyUse', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:DescribeKey'], Resource: '*' }] };

test('console-only: separation-of-duties', async () => {
  const { context, page, problems } = await newPage(browser, DESKTOP);
  await startScenario(page, 'separation-of-duties');
  await page.click('nav.side-nav a[href$="#/iam"]');
  for (const [role, name, doc] of [['SecurityAdmin', 'KeyAdministration', KEY_ADMINISTRATION], ['AppRole', 'AppKeyUse', APP_KEY_USE]]) {
    await page.click(`.split-list >> text=${role}`);
    await page.waitForSelector(`[data-testid=iam-detail] >> text=role/${role}`);
    await page.locator(`[data-testid=inline-policy][data-policy-name=${name}]`).locator('button', { hasText: 'Edit' }).click();
    await page.fill('[data-testid=inline-policy-json]', JSON.stringify(doc, null, 2));
    await page.click('text=Save policy');
    await flash(page, new RegExp(`Saved inline policy ${name}`));
    await page.waitForSelector('[data-testid=inline-policy-editor]', { state: 'detached' });
  }
  await finished(page, 'separation-of-duties', 'console-only-separation-of-duties-desktop');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

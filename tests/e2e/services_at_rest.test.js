// DynamoDB, EFS, CloudWatch Logs and CloudTrail trails in the console, encryption settings first:
// for each service a resource under a customer managed key made entirely through the console
// (the key from the Create key wizard, its policy in the key policy editor), and the failure
// flows a learner meets: Logs and CloudTrail refused by a key policy without their service
// principal (AWS's error with its Why? card), a DynamoDB table going inaccessible when its key
// is disabled (shown in the list and on the table's page) and coming back. Screenshots of every
// page at 1280 and 390 px, none of them scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage } from './harness.js';
import { run, events, act, succeed, visit, openLab, screenshotsFor, refused, consoleKey, axeProblems } from './console.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const ready = (page, width) => openLab(page, base, width);
const shots = screenshotsFor('at-rest');

/** Adds statements to a key's policy in the console's key policy editor. */
async function addToKeyPolicy(page, key, statements) {
  await visit(page, `#/kms/keys/${REGION}/${key}`, key);
  await page.waitForSelector('[data-testid=key-policy]');
  const policy = JSON.parse(await page.textContent('[data-testid=key-policy]'));
  policy.Statement.push(...statements);
  await page.click('[data-testid=edit-policy]');
  await page.locator('[data-testid=policy-editor]').fill(JSON.stringify(policy, null, 2));
  await succeed(page, 'text=Save changes');
}

/** The ARN of a key. */
const keyArn = (key) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${key}`;

/** The table's row in the DynamoDB list. */
const tableRow = (page, name) => page.locator(`[data-testid=tables-table] tr:has(a:text-is("${name}"))`);

test('navigation: the four services in the side navigation under their console names, on routes that stay', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const links = await page.locator('nav.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of ['#/dynamodb', '#/efs', '#/logs', '#/cloudtrail/trails', '#/kms/keys', '#/s3', '#/ec2', '#/rds', '#/secretsmanager', '#/lab-tools']) {
    assert.ok(links.some((l) => l.endsWith(href)), `${href} in the side navigation: ${links.join(' ')}`);
  }
  for (const [hash, heading] of [['#/dynamodb', 'DynamoDB tables'], ['#/efs', 'EFS file systems'], ['#/logs', 'Log groups'], ['#/cloudtrail/trails', 'CloudTrail trails']]) {
    await visit(page, hash, heading);
  }
  assert.equal(await page.textContent('nav.side-nav .nav-sublink.current'), 'CloudTrail');
  assert.equal(await page.textContent('nav.side-nav .nav-pagelink.current'), 'Trails');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid=console-menu] summary');
  await page.click('[data-testid=console-menu] a[href$="#/dynamodb"]');
  await page.waitForSelector('h1:has-text("DynamoDB tables")');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('DynamoDB: a table under a customer managed key, items, Manage encryption, a backup and its restore under another key; the key disabled makes it inaccessible in the list, enabled brings it back', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = await consoleKey(page, 'orders-table');

  await visit(page, '#/dynamodb', 'DynamoDB tables');
  await page.fill('[data-testid=create-table] input[name=name]', 'orders');
  await page.check('input[name=create-enc][value=cmk]');
  assert.equal(await page.isDisabled('[data-testid=create-table-submit]'), true, 'a customer managed key needs a key');
  await page.fill('[data-testid=create-table] input[name=key]', 'alias/orders-table');
  await shots(page, 'dynamodb-create');
  await succeed(page, '[data-testid=create-table-submit]');
  const row = tableRow(page, 'orders');
  await row.waitFor();
  assert.match(await row.textContent(), /ACTIVE.*Customer managed key/);
  assert.equal(await row.locator(`a[href*="/kms/keys/${REGION}/${key}"]`).count(), 1, 'the key links to its page');
  await shots(page, 'dynamodb-tables');

  // The table's page: encryption first, then items.
  await page.click('[data-testid=tables-table] a:text-is("orders")');
  await page.waitForSelector('[data-testid=table-encryption]');
  assert.equal(await page.textContent('[data-testid=table-key-type]'), 'Customer managed key');
  await page.locator('[data-testid=table-items] textarea[name=item]').fill('{"id": {"S": "order-1"}, "total": {"N": "42"}}');
  await succeed(page, '[data-testid=put-item]');
  await succeed(page, '[data-testid=scan-table]');
  assert.match(await page.textContent('[data-testid=items-table]'), /order-1.*42|42.*order-1/);
  await page.fill('[data-testid=table-backups] input[name=name]', 'orders-before');
  await succeed(page, '[data-testid=create-backup]');
  await page.waitForSelector('[data-testid=backups-table] >> text=orders-before');
  // Restore it to a new table under the AWS owned key (SSESpecificationOverride).
  await page.locator('[data-testid=backups-table] input[type=radio]').first().check();
  await page.fill('[data-testid=restore-backup] input[name=target]', 'orders-restored');
  await page.check('input[name=restore-enc][value=owned]');
  await succeed(page, '[data-testid=restore-submit]');
  await shots(page, 'dynamodb-table');

  // Manage encryption: to aws/dynamodb and back to the customer managed key.
  await page.click('[data-testid=manage-encryption]');
  await page.waitForSelector('[data-testid=manage-encryption-dialog]');
  assert.equal(await page.isChecked('[data-testid=manage-encryption-dialog] input[value=cmk]'), true, 'the current choice is selected');
  await page.check('[data-testid=manage-encryption-dialog] input[value=managed]');
  await shots(page, 'dynamodb-manage-encryption');
  await succeed(page, '[data-testid=manage-encryption-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=table-key-type]').textContent === 'AWS managed key');
  await page.click('[data-testid=manage-encryption]');
  await page.check('[data-testid=manage-encryption-dialog] input[value=cmk]');
  await page.fill('[data-testid=manage-encryption-dialog] input[name=key]', keyArn(key));
  await succeed(page, '[data-testid=manage-encryption-save]');
  await page.waitForFunction(() => document.querySelector('[data-testid=table-key-type]').textContent === 'Customer managed key');

  // Disable the key in the KMS console; minutes later the table is inaccessible.
  await visit(page, `#/kms/keys/${REGION}/${key}`, key);
  await page.click('[data-testid=disable-key]');
  await page.check('[data-testid=confirm-disable-box]');
  await succeed(page, '[data-testid=confirm-disable]');
  await page.click('[data-testid=advance-1d]');
  await visit(page, '#/dynamodb', 'DynamoDB tables');
  await page.waitForFunction(() => /INACCESSIBLE_ENCRYPTION_CREDENTIALS/.test(document.querySelector('[data-testid=tables-table]').textContent));
  assert.match(await tableRow(page, 'orders').textContent(), /INACCESSIBLE_ENCRYPTION_CREDENTIALS/);
  await shots(page, 'dynamodb-inaccessible-list');
  await page.click('[data-testid=tables-table] a:text-is("orders")');
  await page.waitForSelector('[data-testid=table-inaccessible]');
  await refused(page, '[data-testid=scan-table]', /Scan failed: AccessDeniedException/, /DisabledException/);
  assert.match(await page.textContent('[data-testid=why-card]'), /Key state: the table's KMS key is not usable/);
  await shots(page, 'dynamodb-inaccessible-table');

  // Enable the key: the table comes back.
  await visit(page, `#/kms/keys/${REGION}/${key}`, key);
  await succeed(page, '[data-testid=enable-key]');
  await page.click('[data-testid=advance-1d]');
  await visit(page, '#/dynamodb', 'DynamoDB tables');
  await page.waitForFunction(() => !/INACCESSIBLE/.test(document.querySelector('[data-testid=tables-table] tbody').textContent));
  assert.match(await tableRow(page, 'orders').textContent(), /ACTIVE/);
  assert.match(await tableRow(page, 'orders-restored').textContent(), /Owned by Amazon DynamoDB/);
  const trail = await events(page);
  for (const name of ['CreateTable', 'UpdateTable', 'CreateBackup', 'RestoreTableFromBackup', 'DisableKey', 'EnableKey', 'GenerateDataKey']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  // Item calls are data events: event history (LookupEvents) shows management events only.
  for (const name of ['PutItem', 'GetItem', 'Scan']) {
    assert.doesNotMatch(trail, new RegExp(`\\b${name}\\b`), `${name} is not in event history`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('EFS: a file system encrypted at rest with a customer managed key; its encryption has no edit', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = await consoleKey(page, 'shared-files');
  await visit(page, '#/efs', 'EFS file systems');
  assert.equal(await page.isChecked('[data-testid=create-file-system] input[name=encrypted]'), true, 'the console ticks encryption');
  await page.fill('[data-testid=create-file-system] input[name=name]', 'shared');
  await page.check('input[name=efs-key][value=cmk]');
  await page.fill('[data-testid=create-file-system] input[name=key]', 'alias/shared-files');
  await shots(page, 'efs-create');
  await succeed(page, '[data-testid=create-file-system-submit]');
  const row = page.locator('[data-testid=file-systems-table] tr:has-text("shared")');
  await row.waitFor();
  assert.match(await row.textContent(), /Yes/);
  assert.equal(await row.locator(`a[href*="/kms/keys/${REGION}/${key}"]`).count(), 1, 'the key links to its page');
  // An unencrypted one, for contrast.
  await page.fill('[data-testid=create-file-system] input[name=name]', 'scratch');
  await page.uncheck('[data-testid=create-file-system] input[name=encrypted]');
  await succeed(page, '[data-testid=create-file-system-submit]');
  await page.locator('[data-testid=file-systems-table] tr:has-text("scratch")').waitFor();
  assert.match(await page.textContent('[data-testid=file-systems-table] tr:has-text("scratch")'), /No/);
  await row.locator('input[type=radio]').check();
  await page.waitForSelector('[data-testid=fs-no-edit]');
  assert.match(await page.textContent('[data-testid=fs-no-edit]'), /cannot be changed/);
  await shots(page, 'efs');
  assert.match(await events(page), /CreateFileSystem/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('CloudWatch Logs: a key policy without the Logs service principal is refused with AWS\'s error, then a log group under the key, streams and a test event, disassociate', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = await consoleKey(page, 'app-logs');
  await visit(page, '#/logs', 'Log groups');
  await page.fill('[data-testid=create-log-group] input[name=name]', '/app/orders');
  await page.fill('[data-testid=create-log-group] input[name=key]', keyArn(key));
  const text = await refused(page, '[data-testid=create-log-group-submit]', /AccessDeniedException/, /is not allowed to be used with Arn/);
  assert.match(text, /log-group:\/app\/orders/);
  await shots(page, 'logs-refused');

  await addToKeyPolicy(page, key, [{
    Sid: 'Allow CloudWatch Logs',
    Effect: 'Allow',
    Principal: { Service: `logs.${REGION}.amazonaws.com` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*` } },
  }]);
  await visit(page, '#/logs', 'Log groups');
  await page.fill('[data-testid=create-log-group] input[name=name]', '/app/orders');
  await page.fill('[data-testid=create-log-group] input[name=key]', keyArn(key));
  await succeed(page, '[data-testid=create-log-group-submit]');
  const row = page.locator('[data-testid=log-groups-table] tr:has-text("/app/orders")');
  await row.waitFor();
  assert.equal(await row.locator(`a[href*="/kms/keys/${REGION}/${key}"]`).count(), 1, 'the key links to its page');
  await row.locator('input[type=radio]').check();
  await page.fill('[data-testid=log-streams] input[name=stream]', 'web-1');
  await succeed(page, '[data-testid=create-log-stream]');
  await page.locator('[data-testid=log-streams-table] tr:has-text("web-1") input[type=radio]').check();
  await page.fill('[data-testid=log-events] input[name=message]', 'order 42 shipped');
  await succeed(page, '[data-testid=put-log-event]');
  await page.waitForSelector('[data-testid=log-events-table] >> text=order 42 shipped');
  await shots(page, 'logs');
  await succeed(page, '[data-testid=disassociate-key]');
  assert.match(await events(page), /DisassociateKmsKey/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('CloudTrail: a trail refused by a key policy without CloudTrail\'s statements, then created with SSE-KMS once the policy allows it; start and stop logging', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = await consoleKey(page, 'trail-logs');
  const bucket = `trail-logs-${ACCOUNT}`;
  const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/management`;
  // The bucket and CloudTrail's bucket policy, in the S3 console.
  await visit(page, '#/s3', 'S3');
  await page.fill('[data-testid=create-bucket] input[name=name]', bucket);
  await succeed(page, '[data-testid=create-bucket-submit]');
  await visit(page, `#/s3/buckets/${bucket}`, bucket);
  await page.click('.tabs >> text=Permissions');
  await page.locator('[data-testid=bucket-policy-editor]').fill(JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}`, Condition: { StringEquals: { 'aws:SourceArn': trailArn } } },
      { Sid: 'AWSCloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/AWSLogs/${ACCOUNT}/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } } },
    ],
  }, null, 2));
  await succeed(page, '[data-testid=bucket-policy-save]');

  await visit(page, '#/cloudtrail/trails', 'CloudTrail trails');
  await page.fill('[data-testid=create-trail] input[name=name]', 'management');
  await page.fill('[data-testid=create-trail] input[name=bucket]', bucket);
  assert.equal(await page.isChecked('[data-testid=create-trail] input[name=sse_kms]'), true);
  await page.fill('[data-testid=create-trail] input[name=key]', 'alias/trail-logs');
  const text = await refused(page, '[data-testid=create-trail-submit]', /InsufficientEncryptionPolicyException/, /Insufficient permissions to access S3 bucket/);
  assert.match(text, /or KMS key alias\/trail-logs\./);
  assert.match(await page.textContent('[data-testid=why-card]'), /cloudtrail\.amazonaws\.com/);
  await shots(page, 'cloudtrail-refused');

  await addToKeyPolicy(page, key, [
    {
      Sid: 'Allow CloudTrail to encrypt logs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': trailArn }, StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
    },
    { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
  ]);
  await visit(page, '#/cloudtrail/trails', 'CloudTrail trails');
  await page.fill('[data-testid=create-trail] input[name=name]', 'management');
  await page.fill('[data-testid=create-trail] input[name=bucket]', bucket);
  await page.fill('[data-testid=create-trail] input[name=key]', 'alias/trail-logs');
  await succeed(page, '[data-testid=create-trail-submit]');
  const row = page.locator('[data-testid=trails-table] tr:has-text("management")');
  await row.waitFor();
  assert.equal(await row.locator(`a[href*="/kms/keys/${REGION}/${key}"]`).count(), 1, 'the key links to its page');
  await row.locator('input[type=radio]').check();
  await succeed(page, '[data-testid=trail-start]');
  await page.waitForFunction(() => /Logging/.test(document.querySelector('[data-testid=trails-table] tbody').textContent));
  await page.click('[data-testid=advance-1d]');
  await page.waitForSelector('[data-testid=trail-status]');
  assert.equal(await page.textContent('[data-testid=trail-delivery-error]'), '-', 'delivered without an error');
  await shots(page, 'cloudtrail');
  await succeed(page, '[data-testid=trail-stop]');
  await page.waitForFunction(() => /Off/.test(document.querySelector('[data-testid=trails-table] tbody').textContent));
  const trail = await events(page);
  for (const name of ['CreateTrail', 'StartLogging', 'StopLogging', 'PutKeyPolicy', 'PutBucketPolicy']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe: DynamoDB, EFS, Logs and CloudTrail pages with their forms, dialogs and panels open (${colorScheme})`, async () => {
    const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme });
    await ready(page);
    // Set-up through the script API: the pages are what is checked here.
    for (const line of [
      'aws dynamodb create-table --table-name axe --attribute-definitions AttributeName=id,AttributeType=S --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST',
      'aws dynamodb create-backup --table-name axe --backup-name axe-backup',
      'aws efs create-file-system --creation-token axe --encrypted',
      'aws logs create-log-group --log-group-name /axe',
      'aws logs create-log-stream --log-group-name /axe --log-stream-name s1',
      'aws s3api create-bucket --bucket axe-trail-111122223333',
    ]) {
      const r = await run(page, line);
      assert.ok(r.ok, `${line}: ${r.stderr}`);
    }
    const found = [];
    const pages = [
      ['#/dynamodb', 'DynamoDB tables', 'input[name=create-enc][value=cmk]'],
      ['#/dynamodb/tables/axe', 'axe', '[data-testid=backups-table] input[type=radio]'],
      ['#/efs', 'EFS file systems', '[data-testid=file-systems-table] input[type=radio]'],
      ['#/logs', 'Log groups', '[data-testid=log-groups-table] input[type=radio]'],
      ['#/cloudtrail/trails', 'CloudTrail trails', null],
    ];
    for (const [hash, heading, select] of pages) {
      await visit(page, hash, heading);
      if (select) await page.locator(select).first().check();
      found.push(...await axeProblems(page, hash));
    }
    await visit(page, '#/logs', 'Log groups');
    await page.locator('[data-testid=log-groups-table] input[type=radio]').first().check();
    await page.locator('[data-testid=log-streams-table] input[type=radio]').first().check();
    await page.waitForSelector('[data-testid=log-events]');
    found.push(...await axeProblems(page, '#/logs (a stream open)'));
    await visit(page, '#/dynamodb/tables/axe', 'axe');
    await page.click('[data-testid=manage-encryption]');
    await page.waitForSelector('[data-testid=manage-encryption-dialog]');
    found.push(...await axeProblems(page, 'Manage encryption dialog'));
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

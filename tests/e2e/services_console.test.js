// The S3, EC2 and RDS consoles and Lab tools: every action is a real audited call made by
// clicking what a learner sees (it lands in CloudTrail, and a refusal shows AWS's error with its
// Why? card), and the `console-only:` tests finish scenarios with the service pages and Lab
// tools alone, never the terminal. Screenshots of every new page at 1280 and 390 px, none of
// them scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage } from './harness.js';
import { run, events, act, succeed, visit, openLab, screenshotsFor, rowIds, startScenario, scenarioVar, axeProblems } from './console.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const ready = (page, width) => openLab(page, base, width);
const shots = screenshotsFor('services');

/** Back on the scenario page: every objective passes (N/N) and the debrief shows. */
async function solved(page, id, total) {
  await page.click('nav.side-nav >> text=Scenarios');
  await page.click(`a[href$="#/scenarios/${id}"]`);
  await page.waitForSelector('[data-testid=debrief]', { timeout: 20000 });
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), total);
}

test('navigation: every service with its sub-pages in the side navigation, old routes kept, the console menu on narrow screens', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  for (const [hash, heading] of [['#/s3', 'S3'], ['#/ec2', 'EC2'], ['#/rds', 'RDS']]) {
    await visit(page, hash, heading);
  }
  const links = await page.locator('nav.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of ['#/kms/keys', '#/iam', '#/s3', '#/s3/buckets', '#/ec2', '#/ec2/volumes', '#/ec2/snapshots', '#/ec2/settings', '#/rds', '#/rds/databases', '#/rds/snapshots', '#/lab-tools']) {
    assert.ok(links.some((l) => l.endsWith(href)), `${href} in the side navigation: ${links.join(' ')}`);
  }
  await page.click('nav.side-nav a[href$="#/ec2/snapshots"]');
  await page.waitForSelector('h1:has-text("EC2 snapshots")');
  assert.equal(await page.textContent('nav.side-nav .nav-pagelink.current'), 'Snapshots');
  assert.equal(await page.textContent('nav.side-nav .nav-sublink.current'), 'EC2 (EBS)');
  await page.click('.sub-tabs >> text=EBS encryption');
  await page.waitForSelector('[data-testid=ebs-encryption]');
  // Narrow screens: the tab bar has no room for services; the console menu lists them.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid=console-menu] summary');
  await page.click('[data-testid=console-menu] a[href$="#/rds/snapshots"]');
  await page.waitForSelector('h1:has-text("RDS snapshots")');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('EC2: encryption by default with a default key, create volume, snapshot, encrypted copy, volume from snapshot, permissions with AWS rules', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = (await run(page, 'aws kms create-key --description ebs --query KeyMetadata.KeyId --output text')).stdout.trim();
  await run(page, `aws kms create-alias --alias-name alias/ebs-team --target-key-id ${key}`);

  await visit(page, '#/ec2/settings', 'EBS encryption');
  await succeed(page, '[data-testid=ebs-enable]');
  assert.equal(await page.textContent('[data-testid=ebs-by-default]'), 'Yes');
  await page.fill('input[name=key]', 'alias/ebs-team');
  await succeed(page, '[data-testid=ebs-modify-key]');
  await page.waitForFunction((k) => document.querySelector('[data-testid=ebs-default-key]').textContent.includes(k), key);
  await shots(page, 'ec2-settings');
  await succeed(page, '[data-testid=ebs-disable]');
  assert.equal(await page.textContent('[data-testid=ebs-by-default]'), 'No');

  // An unencrypted volume, then its snapshot.
  await page.click('.sub-tabs >> text=Volumes');
  await page.waitForSelector('[data-testid=create-volume]');
  await page.fill('[data-testid=create-volume] input[name=size]', '8');
  await succeed(page, '[data-testid=create-volume-submit]');
  const [plain] = await rowIds(page, 'volumes-table', /No/);
  assert.match(plain, /^vol-/);
  // A key without "Encrypt" is EC2's error, shown as EC2 answers it.
  await page.fill('[data-testid=create-volume] input[name=key]', 'alias/ebs-team');
  const refused = await act(page, '[data-testid=create-volume-submit]');
  assert.equal(refused.ok, false);
  assert.match(refused.text, /InvalidParameterDependency/);
  await page.check(`input[type=radio][value="${plain}"]`);
  await page.fill('[data-testid=volume-actions] input[name=description]', 'before encryption');
  await succeed(page, '[data-testid=volume-snapshot]');
  await shots(page, 'ec2-volumes');
  // A snapshot is pending for a few minutes: the console says so, and the clock moves it on.
  await page.click('.sub-tabs >> text=Snapshots');
  await page.waitForSelector('[data-testid=snapshots-table]');
  const [pending] = await rowIds(page, 'snapshots-table', /before encryption/);
  await page.check(`input[type=radio][value="${pending}"]`);
  await page.waitForSelector('[data-testid=snapshot-not-ready]');
  assert.equal(await page.isDisabled('[data-testid=snapshot-copy]'), true, 'a pending snapshot cannot be copied yet');
  await page.click('[data-testid=advance-1d]');
  await page.waitForSelector('[data-testid=snapshot-not-ready]', { state: 'detached' });

  await page.click('.sub-tabs >> text=Snapshots');
  await page.waitForSelector('[data-testid=snapshots-table]');
  const [snap] = await rowIds(page, 'snapshots-table', /before encryption/);
  await page.check(`input[type=radio][value="${snap}"]`);
  await page.check('[data-testid=snapshot-copy-form] input[name=encrypted]');
  await page.fill('[data-testid=snapshot-copy-form] input[name=key]', 'alias/ebs-team');
  await page.fill('[data-testid=snapshot-copy-form] input[name=description]', 'encrypted copy');
  await succeed(page, '[data-testid=snapshot-copy]');
  const [copy] = await rowIds(page, 'snapshots-table', /encrypted copy/);
  // The copy's key is a link to the key's page.
  const link = page.locator(`[data-testid=snapshots-table] tr:has(input[value="${copy}"]) a[href*="/kms/keys/us-east-1/${key}"]`);
  assert.equal(await link.count(), 1, 'the KMS key links to its key page');
  await page.check(`input[type=radio][value="${copy}"]`);
  const pub = await act(page, '[data-testid=snapshot-public]');
  assert.equal(pub.ok, false, 'an encrypted snapshot cannot be made public');
  assert.match(pub.text, /cannot be made public/);
  await page.fill('[data-testid=snapshot-actions] input[name=accounts]', '444455556666');
  await succeed(page, '[data-testid=snapshot-share]');
  assert.match(await page.textContent('[data-testid=snapshots-table]'), /444455556666/);
  // A volume from the unencrypted snapshot, re-encrypted under the key.
  await page.check(`input[type=radio][value="${snap}"]`);
  await page.check('[data-testid=snapshot-volume-form] input[name=encrypted]');
  await page.fill('[data-testid=snapshot-volume-form] input[name=key]', key);
  await succeed(page, '[data-testid=snapshot-volume]');
  await shots(page, 'ec2-snapshots');
  await visit(page, '#/ec2', 'EC2');
  await page.waitForSelector('text=Volumes (2)');
  await shots(page, 'ec2-overview');
  const trail = await events(page);
  for (const name of ['EnableEbsEncryptionByDefault', 'ModifyEbsDefaultKmsKeyId', 'CreateVolume', 'CreateSnapshot', 'CopySnapshot', 'ModifySnapshotAttribute']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('S3: create a bucket with SSE-KMS and a Bucket Key, upload with a chosen mode, download, default encryption panel, bucket policy, copy in place, a refusal with Why?', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = (await run(page, 'aws kms create-key --description s3 --query KeyMetadata.KeyId --output text')).stdout.trim();
  await run(page, `aws kms create-alias --alias-name alias/reports --target-key-id ${key}`);
  await visit(page, '#/s3', 'S3');
  await page.fill('[data-testid=create-bucket] input[name=name]', 'lab-reports-111122223333');
  await page.check('[data-testid=create-bucket] input[name=bucket-sse][value="aws:kms"]');
  await page.fill('[data-testid=create-bucket] input[name=key]', 'alias/reports');
  await act(page, '[data-testid=create-bucket-submit]');
  // The console puts the default encryption right after CreateBucket succeeds.
  await page.waitForFunction(() => /with its default encryption/.test(document.querySelector('[data-testid=flash]')?.textContent || ''));
  const table = await page.textContent('[data-testid=buckets-table]');
  assert.match(table, /lab-reports-111122223333/);
  assert.match(table, /aws:kms/);
  await shots(page, 's3-buckets');

  await page.click('[data-testid=buckets-table] a:has-text("lab-reports-111122223333")');
  await page.waitForSelector('[data-testid=upload-object]');
  await page.fill('[data-testid=upload-object] input[name=object]', 'notes.txt');
  await page.fill('[data-testid=upload-object] textarea[name=content]', 'hello from the console');
  await succeed(page, '[data-testid=upload-submit]');
  // With a chosen mode: SSE-S3 for this one.
  await page.setInputFiles('[data-testid=upload-file]', { name: 'photo.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([1, 2, 3, 4]) });
  await page.check('[data-testid=upload-object] input[name=object-sse][value="AES256"]');
  await succeed(page, '[data-testid=upload-submit]');
  const objects = await page.textContent('[data-testid=objects-table]');
  assert.match(objects, /notes\.txt/);
  assert.match(objects, /photo\.bin/);
  assert.match(objects, /AES256/);
  assert.match(objects, new RegExp(key), 'the SSE-KMS object shows its key');
  await page.check('input[type=radio][value="notes.txt"]');
  await succeed(page, '[data-testid=object-download]');
  const href = await page.getAttribute('[data-testid=object-downloaded] a[download]', 'href');
  assert.equal(Buffer.from(href.split(',')[1], 'base64').toString(), 'hello from the console');
  // Copy in place re-encrypts under another mode.
  await page.check('[data-testid=object-actions] input[name=bucket-sse][value="AES256"]');
  await succeed(page, '[data-testid=object-copy-in-place]');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=objects-table] tr')].find((tr) => tr.textContent.includes('notes.txt'))?.textContent.includes('AES256'));
  await shots(page, 's3-bucket-objects');

  await page.click('.tabs >> text=Properties');
  await page.waitForSelector('[data-testid=default-encryption]');
  assert.match(await page.textContent('[data-testid=default-encryption]'), /SSE-KMS/);
  await page.click('[data-testid=edit-default-encryption]');
  await page.check('[data-testid=default-encryption] input[name=bucket-bucket-key][value="false"]');
  await page.fill('[data-testid=default-encryption] input[name=key]', 'alias/reports');
  await succeed(page, '[data-testid=save-default-encryption]');
  assert.match(await page.textContent('[data-testid=default-encryption]'), /Bucket KeyDisabled/);
  await shots(page, 's3-bucket-properties');

  await page.click('.tabs >> text=Permissions');
  await page.waitForSelector('[data-testid=bucket-policy-editor]');
  await page.fill('[data-testid=bucket-policy-editor]', '{"Version": "2012-10-17", "Statement": [');
  // The editor marks the syntax error where it is, with S3's code, before anything is sent.
  await page.click('[data-testid=bucket-policy-save]');
  assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicy/);
  assert.match(await page.textContent('[data-testid=policy-error-where]'), /Line 1, column \d+/);
  // Valid JSON that S3 refuses (an action of another service) gets S3's own answer.
  await page.fill('[data-testid=bucket-policy-editor]', JSON.stringify({ Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: 'arn:aws:s3:::lab-reports-111122223333/*' }] }));
  const bad = await act(page, '[data-testid=bucket-policy-save]');
  assert.equal(bad.ok, false, 'S3 refuses a policy with another service\'s action');
  assert.match(bad.text, /Policy has invalid action/);
  assert.match(bad.text, /MalformedPolicy/);
  assert.match(await page.textContent('[data-testid=policy-error]'), /MalformedPolicy/);
  const policy = { Version: '2012-10-17', Statement: [{ Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*',
    Resource: ['arn:aws:s3:::lab-reports-111122223333', 'arn:aws:s3:::lab-reports-111122223333/*'],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
  await page.fill('[data-testid=bucket-policy-editor]', JSON.stringify(policy, null, 2));
  await succeed(page, '[data-testid=bucket-policy-save]');
  await shots(page, 's3-bucket-permissions');

  // A refusal: with the key disabled, an SSE-KMS upload fails with KMS's error and a Why? card.
  await run(page, `aws kms disable-key --key-id ${key}`);
  await page.click('.tabs >> text=Objects');
  await page.fill('[data-testid=upload-object] input[name=object]', 'late.txt');
  await page.fill('[data-testid=upload-object] textarea[name=content]', 'too late');
  const denied = await act(page, '[data-testid=upload-submit]');
  assert.equal(denied.ok, false);
  assert.match(denied.text, /Disabled/);
  await page.click('[data-testid=flash] [data-testid=why]');
  await page.waitForSelector('[data-testid=why-card]');
  const trail = await events(page);
  for (const name of ['CreateBucket', 'PutBucketEncryption', 'PutBucketPolicy', 'GenerateDataKey']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  // Object reads and writes are data events: a trail with data-event selectors records them,
  // event history (LookupEvents) shows management events only, as in AWS.
  for (const name of ['PutObject', 'GetObject', 'CopyObject']) {
    assert.doesNotMatch(trail, new RegExp(`\\b${name}\\b`), `${name} is not in event history`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('RDS: create an encrypted database, snapshot, share refused under aws/rds, copy with a key (same and cross-Region), share, restore, read replica', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = (await run(page, 'aws kms create-key --description rds --query KeyMetadata.KeyId --output text')).stdout.trim();
  await run(page, `aws kms create-alias --alias-name alias/rds-share --target-key-id ${key}`);
  const west = (await run(page, 'aws kms create-key --region us-west-2 --description rds-west --query KeyMetadata.Arn --output text')).stdout.trim();
  await visit(page, '#/rds/databases', 'RDS');
  await page.fill('[data-testid=create-database] input[name=id]', 'orders-db');
  await succeed(page, '[data-testid=create-database-submit]');
  assert.match(await page.textContent('[data-testid=databases-table]'), /orders-db/);
  await page.check('input[type=radio][value="orders-db"]');
  // RDS takes minutes to create a database: the console says so and waits for the clock.
  await page.waitForSelector('[data-testid=database-not-ready]');
  assert.equal(await page.isDisabled('[data-testid=database-snapshot]'), true, 'a creating database cannot be snapshotted yet');
  await page.click('[data-testid=advance-1d]');
  await page.waitForSelector('[data-testid=database-not-ready]', { state: 'detached' });
  await page.fill('[data-testid=database-actions] input[name=snapshot]', 'orders-nightly');
  await succeed(page, '[data-testid=database-snapshot]');
  // A cross-Region replica of an encrypted database needs a key there: RDS says so.
  await page.fill('[data-testid=database-actions] input[name=replica]', 'orders-west');
  await page.selectOption('[data-testid=database-actions] select[name=region]', 'us-west-2');
  const noKey = await act(page, '[data-testid=database-replica]');
  assert.equal(noKey.ok, false);
  assert.match(noKey.text, /KmsKeyId is required/);
  await page.fill('[data-testid=database-actions] input[name=key]', west);
  await succeed(page, '[data-testid=database-replica]');
  await shots(page, 'rds-databases');
  // The snapshot takes minutes: move the clock on before using it.
  await page.click('[data-testid=advance-1d]');

  await page.click('.sub-tabs >> text=Snapshots');
  await page.waitForSelector('[data-testid=db-snapshots-table]');
  const [nightly] = await rowIds(page, 'db-snapshots-table', /orders-nightly/);
  await page.check(`input[type=radio][value="${nightly}"]`);
  await page.fill('[data-testid=db-snapshot-actions] input[name=accounts]', '444455556666');
  const aws = await act(page, '[data-testid=db-snapshot-share]');
  assert.equal(aws.ok, false, 'an aws/rds snapshot cannot be shared');
  assert.match(aws.text, /aws\/rds/);
  await page.fill('[data-testid=db-snapshot-actions] input[name=target]', 'orders-share');
  await page.fill('[data-testid=db-snapshot-actions] input[name=key]', 'alias/rds-share');
  await succeed(page, '[data-testid=db-snapshot-copy]');
  // Cross-Region: the copy is made in us-west-2 under a key there.
  await page.fill('[data-testid=db-snapshot-actions] input[name=target]', 'orders-dr');
  await page.selectOption('[data-testid=db-snapshot-actions] select[name=region]', 'us-west-2');
  await page.fill('[data-testid=db-snapshot-actions] input[name=key]', west);
  await succeed(page, '[data-testid=db-snapshot-copy]');
  // The copies take minutes too.
  await page.click('[data-testid=advance-1d]');
  const [share] = await rowIds(page, 'db-snapshots-table', /orders-share/);
  await page.check(`input[type=radio][value="${share}"]`);
  await page.fill('[data-testid=db-snapshot-actions] input[name=accounts]', '444455556666');
  await succeed(page, '[data-testid=db-snapshot-share]');
  assert.match(await page.textContent('[data-testid=db-snapshots-table]'), /444455556666/);
  await page.fill('[data-testid=db-snapshot-actions] input[name=db]', 'orders-restored');
  await succeed(page, '[data-testid=db-snapshot-restore]');
  await shots(page, 'rds-snapshots');

  // The partner's side: with the key open to 444455556666, partner-admin sees the shared
  // snapshot, cannot restore it directly, copies it under its own key and restores the copy.
  const open = { Version: '2012-10-17', Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'], Resource: '*' }] };
  assert.equal((await run(page, `aws kms put-key-policy --key-id ${key} --policy-name default --policy '${JSON.stringify(open)}'`)).ok, true);
  const partnerKey = (await run(page, 'aws kms create-key --profile partner-admin --query KeyMetadata.Arn --output text')).stdout.trim();
  await page.selectOption('select[data-testid=profile]', 'partner-admin');
  await page.waitForFunction(() => /shared by 111122223333/.test(document.querySelector('[data-testid=db-snapshots-table]')?.textContent || ''));
  await page.check('input[type=radio][value="arn:aws:rds:us-east-1:111122223333:snapshot:orders-share"]');
  await page.fill('[data-testid=db-snapshot-actions] input[name=db]', 'partner-db');
  const direct = await act(page, '[data-testid=db-snapshot-restore]');
  assert.equal(direct.ok, false, 'a shared encrypted snapshot is copied before a restore');
  assert.match(direct.text, /copy it first/);
  await page.selectOption('[data-testid=db-snapshot-actions] select[name=region]', 'us-east-1');
  await page.fill('[data-testid=db-snapshot-actions] input[name=target]', 'orders-partner');
  await page.fill('[data-testid=db-snapshot-actions] input[name=key]', partnerKey);
  await succeed(page, '[data-testid=db-snapshot-copy]');
  await page.click('[data-testid=advance-1d]');
  await page.check('input[type=radio][value="arn:aws:rds:us-east-1:444455556666:snapshot:orders-partner"]');
  await succeed(page, '[data-testid=db-snapshot-restore]');
  await page.selectOption('select[data-testid=profile]', 'admin');
  const dr = await run(page, 'aws rds describe-db-snapshots --region us-west-2 --query DBSnapshots[].DBSnapshotIdentifier --output text');
  assert.match(dr.stdout, /orders-dr/);
  const trail = await events(page);
  for (const name of ['CreateDBInstance', 'CreateDBSnapshot', 'CopyDBSnapshot', 'ModifyDBSnapshotAttribute', 'RestoreDBInstanceFromDBSnapshot']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('Lab tools: write, upload and download files; encrypt and decrypt locally with a data key; random bytes', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = (await run(page, 'aws kms create-key --query KeyMetadata.KeyId --output text')).stdout.trim();
  const dataKey = JSON.parse((await run(page, `aws kms generate-data-key --key-id ${key} --key-spec AES_256`)).stdout).Plaintext;
  await page.click('nav.side-nav >> text=Lab tools');
  await page.waitForSelector('h1:has-text("Lab tools")');
  await page.fill('[data-testid=lab-files] input[name=name]', 'diagnosis.txt');
  await page.fill('[data-testid=lab-files] textarea[name=content]', 'the key policy lacks kms:Decrypt');
  await succeed(page, '[data-testid=lab-write]');
  await page.setInputFiles('[data-testid=lab-upload]', { name: 'secret.txt', mimeType: 'text/plain', buffer: Buffer.from('top secret') });
  await page.waitForFunction(() => /secret\.txt/.test(document.querySelector('[data-testid=lab-files-table]')?.textContent || ''));
  await page.selectOption('[data-testid=lab-crypto] select[name=step]', 'encrypt');
  await page.selectOption('[data-testid=lab-crypto] select[name=in]', 'secret.txt');
  await page.fill('[data-testid=lab-crypto] input[name=out]', 'secret.bin');
  await page.fill('[data-testid=lab-crypto] input[name=key_b64]', dataKey);
  assert.match(await succeed(page, '[data-testid=lab-crypt]'), /encrypted 10 bytes/);
  await page.selectOption('[data-testid=lab-crypto] select[name=step]', 'decrypt');
  await page.selectOption('[data-testid=lab-crypto] select[name=in]', 'secret.bin');
  await page.fill('[data-testid=lab-crypto] input[name=out]', 'plain.txt');
  assert.match(await succeed(page, '[data-testid=lab-crypt]'), /decrypted 10 bytes/);
  const href = await page.getAttribute('[data-testid=lab-files-table] tr:has-text("plain.txt") a[download]', 'href');
  assert.equal(Buffer.from(href.split(',')[1], 'base64').toString(), 'top secret');
  // A wrong key fails as the local tool fails, with nothing written.
  await page.fill('[data-testid=lab-crypto] input[name=key_b64]', Buffer.alloc(32, 7).toString('base64'));
  await page.fill('[data-testid=lab-crypto] input[name=out]', 'wrong.txt');
  const wrong = await act(page, '[data-testid=lab-crypt]');
  assert.equal(wrong.ok, false);
  assert.match(wrong.text, /decryption failed/);
  await page.fill('[data-testid=lab-random] input[name=out]', 'material.bin');
  assert.match(await succeed(page, '[data-testid=lab-random-run]'), /32 random bytes/);
  const files = await page.textContent('[data-testid=lab-files-table]');
  assert.match(files, /material\.bin\s*32/);
  assert.doesNotMatch(files, /wrong\.txt/);
  await shots(page, 'lab-tools');
  // None of it is in the terminal's scrollback.
  await page.click('nav.side-nav >> text=Terminal');
  await page.waitForSelector('#term-input');
  assert.doesNotMatch(await page.textContent('main'), /lab local/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: ebs-default-encryption', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await startScenario(page, base, 'ebs-default-encryption');
  await page.click('nav.side-nav a[href$="#/ec2/settings"]');
  await page.waitForSelector('[data-testid=ebs-encryption]');
  await succeed(page, '[data-testid=ebs-enable]');
  await page.fill('input[name=key]', 'alias/team-ebs');
  await succeed(page, '[data-testid=ebs-modify-key]');
  await solved(page, 'ebs-default-encryption', 2);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: ebs-encrypt-existing-volume', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await startScenario(page, base, 'ebs-encrypt-existing-volume');
  const volume = await scenarioVar(page, 'VOLUME_ID');
  const instance = await scenarioVar(page, 'INSTANCE_ID');
  await page.click('nav.side-nav a[href$="#/ec2/volumes"]');
  await page.waitForSelector('[data-testid=volumes-table]');
  await page.check(`input[type=radio][value="${volume}"]`);
  await succeed(page, '[data-testid=volume-snapshot]');
  // The snapshot is pending for a while, as in AWS: the top bar's clock moves it on.
  await page.click('[data-testid=advance-1d]');
  await page.click('nav.side-nav a[href$="#/ec2/snapshots"]');
  await page.waitForSelector('[data-testid=snapshots-table]');
  const [snap] = await rowIds(page, 'snapshots-table', new RegExp(volume));
  await page.check(`input[type=radio][value="${snap}"]`);
  await page.check('[data-testid=snapshot-volume-form] input[name=encrypted]');
  await page.fill('[data-testid=snapshot-volume-form] input[name=key]', 'alias/ebs-data');
  await succeed(page, '[data-testid=snapshot-volume]');
  // The new volume is creating for a few seconds before it can be attached.
  await page.click('[data-testid=advance-1d]');
  await page.click('nav.side-nav a[href$="#/ec2/volumes"]');
  await page.waitForSelector('[data-testid=volumes-table]');
  const [encrypted] = await rowIds(page, 'volumes-table', /Yes/);
  await page.check(`input[type=radio][value="${volume}"]`);
  await page.click('[data-testid=volume-detach]');
  await succeed(page, '[data-testid=volume-detach-confirm]');
  await page.check(`input[type=radio][value="${encrypted}"]`);
  await page.selectOption('[data-testid=volume-actions] select[name=instance]', instance);
  await page.fill('[data-testid=volume-actions] input[name=device]', '/dev/sdf');
  await succeed(page, '[data-testid=volume-attach]');
  await page.check(`input[type=radio][value="${volume}"]`);
  await succeed(page, '[data-testid=volume-delete]');
  await solved(page, 'ebs-encrypt-existing-volume', 3);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: s3-enforce-sse-kms', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await startScenario(page, base, 's3-enforce-sse-kms');
  const key = await scenarioVar(page, 'KEY_ID');
  const bucket = 'audit-evidence-111122223333';
  await page.click('nav.side-nav a[href$="#/s3/buckets"]');
  await page.click(`[data-testid=buckets-table] a:has-text("${bucket}")`);
  await page.click('.tabs >> text=Permissions');
  const objects = `arn:aws:s3:::${bucket}/*`;
  const policy = { Version: '2012-10-17', Statement: [
    { Sid: 'DenyNotSseKms', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } },
    { Sid: 'DenyOtherKeys', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: objects,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:us-east-1:111122223333:key/${key}` } } },
    { Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, objects],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
  await page.fill('[data-testid=bucket-policy-editor]', JSON.stringify(policy, null, 2));
  await succeed(page, '[data-testid=bucket-policy-save]');
  await solved(page, 's3-enforce-sse-kms', 4);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('console-only: s3-bucket-keys', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await startScenario(page, base, 's3-bucket-keys');
  const key = await scenarioVar(page, 'KEY_ID');
  const bucket = 'clickstream-111122223333';
  await page.click('nav.side-nav a[href$="#/s3/buckets"]');
  await page.click(`[data-testid=buckets-table] a:has-text("${bucket}")`);
  await page.click('.tabs >> text=Properties');
  await page.click('[data-testid=edit-default-encryption]');
  await page.fill('[data-testid=default-encryption] input[name=key]', `arn:aws:kms:eu-north-1:111122223333:key/${key}`);
  await page.check('[data-testid=default-encryption] input[name=bucket-bucket-key][value="true"]');
  await succeed(page, '[data-testid=save-default-encryption]');
  // The three old objects are copied in place so they use the Bucket Key too.
  await page.click('.tabs >> text=Objects');
  for (const day of ['20', '21', '22']) {
    await page.check(`input[type=radio][value="events/2026-11-${day}.json"]`);
    await page.fill('[data-testid=object-actions] input[name=key]', `arn:aws:kms:eu-north-1:111122223333:key/${key}`);
    await page.check('[data-testid=object-actions] input[name=object-bucket-key][value="true"]');
    await succeed(page, '[data-testid=object-copy-in-place]');
  }
  // AppRole's condition must now allow the bucket ARN (the Bucket Key's encryption context).
  await page.click('nav.side-nav >> text=IAM');
  await page.click('button:has-text("AppRole")');
  await page.click('[aria-label="Edit ClickstreamWriter"]');
  const arn = `arn:aws:s3:::${bucket}`;
  const policy = { Version: '2012-10-17', Statement: [
    { Sid: 'ClickstreamObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${arn}/*` },
    { Sid: 'ClickstreamKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: `arn:aws:kms:eu-north-1:111122223333:key/${key}`,
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': arn } } }] };
  await page.fill('textarea[aria-label="Inline policy JSON"]', JSON.stringify(policy, null, 2));
  await succeed(page, 'button:has-text("Save policy")');
  await solved(page, 's3-bucket-keys', 4);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe: the service pages and Lab tools, with their forms and action panels open (${colorScheme})`, async () => {
    const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme });
    await ready(page);
    for (const line of [
      'aws s3api create-bucket --bucket axe-bucket-111122223333',
      'aws s3api put-object --bucket axe-bucket-111122223333 --key a.txt',
      'aws ec2 create-volume --availability-zone us-east-1a --size 8',
      'aws rds create-db-instance --db-instance-identifier axe-db --engine postgres --db-instance-class db.t3.micro --master-username admin --manage-master-user-password --storage-encrypted',
      'aws rds wait db-instance-available --db-instance-identifier axe-db',
      'aws rds create-db-snapshot --db-snapshot-identifier axe-snap --db-instance-identifier axe-db',
    ]) await run(page, line);
    const vol = (await run(page, "aws ec2 describe-volumes --query 'Volumes[0].VolumeId' --output text")).stdout.trim();
    await run(page, `aws ec2 create-snapshot --volume-id ${vol}`);
    const found = [];
    const pages = [
      ['#/s3', 'S3', null],
      ['#/s3/buckets/axe-bucket-111122223333', 'axe-bucket', 'input[type=radio][value="a.txt"]'],
      ['#/ec2', 'EC2', null],
      ['#/ec2/volumes', 'EC2 volumes', `input[type=radio][value="${vol}"]`],
      ['#/ec2/snapshots', 'EC2 snapshots', '[data-testid=snapshots-table] input[type=radio]'],
      ['#/ec2/settings', 'EBS encryption', null],
      ['#/rds/databases', 'RDS databases', 'input[type=radio][value="axe-db"]'],
      ['#/rds/snapshots', 'RDS snapshots', '[data-testid=db-snapshots-table] input[type=radio]'],
      ['#/lab-tools', 'Lab tools', null],
    ];
    for (const [hash, heading, select] of pages) {
      await visit(page, hash, heading);
      if (select) await page.locator(select).first().check();
      found.push(...await axeProblems(page, hash));
    }
    await visit(page, '#/s3/buckets/axe-bucket-111122223333', 'axe-bucket');
    for (const tab of ['Properties', 'Permissions']) {
      await page.click(`.tabs >> text=${tab}`);
      if (tab === 'Properties') await page.click('[data-testid=edit-default-encryption]');
      found.push(...await axeProblems(page, `bucket ${tab}`));
    }
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

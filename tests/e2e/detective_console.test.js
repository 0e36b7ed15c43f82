// Detective controls in the console: AWS Config set up from its Settings page (the setup's three
// calls), two AWS managed rules added by identifier, a noncompliant volume made compliant by
// creating an encrypted volume and swapping it in (Detach volume with its confirmation, Attach
// volume to the instance), Re-evaluate, and the rule turning compliant; an EventBridge rule
// from the "KMS CMK Deletion" sample with an SQS target (the console adds the queue policy
// statement), the trail note for API-call patterns, a bad pattern refused with AWS's
// InvalidEventPatternException and its Why? card, Remove target and Delete rule. Screenshots at
// 1280 and 390 px, none of them scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage } from './harness.js';
import { run, events, act, succeed, visit, openLab, screenshotsFor } from './console.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ConfigRecorderRole`;
const TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"config.amazonaws.com"},"Action":"sts:AssumeRole"}]}';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const ready = (page, width) => openLab(page, base, width);
const shots = screenshotsFor('detective');

/** A line that must succeed; its stdout, trimmed. */
async function sh(page, line) {
  const r = await run(page, line);
  assert.equal(r.exitCode ?? r.exit_code ?? 0, 0, `${line}: ${r.stderr}`);
  return (r.stdout || '').trim();
}

/** The rows of the rule's "Resources in scope" table shown for `filter`. */
async function resources(page, filter) {
  await page.selectOption('select[name=show]', filter);
  return page.locator('[data-testid=rule-resources], [data-testid=no-results]').first().textContent();
}

test('navigation: EventBridge and AWS Config in the side navigation', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const links = await page.locator('nav.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of ['#/events', '#/config', '#/config/rules']) {
    assert.ok(links.some((l) => l.endsWith(href)), `${href} in the side navigation: ${links.join(' ')}`);
  }
  await visit(page, '#/config/rules', 'AWS Config rules');
  assert.equal(await page.textContent('nav.side-nav .nav-sublink.current'), 'AWS Config');
  assert.equal(await page.textContent('nav.side-nav .nav-pagelink.current'), 'Rules');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid=console-menu] summary');
  await page.click('[data-testid=console-menu] a[href$="#/events"]');
  await visit(page, '#/events', 'EventBridge rules');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('AWS Config: set up, two managed rules, a noncompliant volume swapped for an encrypted one, compliant after Re-evaluate', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  await sh(page, `aws s3api create-bucket --bucket config-bucket-${ACCOUNT}`);
  await sh(page, `aws iam create-role --role-name ConfigRecorderRole --assume-role-policy-document '${TRUST}'`);
  const instance = await sh(page, 'aws ec2 run-instances --image-id ami-0abcdef1234567890 --instance-type t3.micro --min-count 1 --max-count 1 --query Instances[0].InstanceId --output text');
  const zone = await sh(page, `aws ec2 describe-instances --instance-ids ${instance} --query Reservations[0].Instances[0].Placement.AvailabilityZone --output text`);
  const volume = await sh(page, `aws ec2 create-volume --availability-zone ${zone} --size 10 --query VolumeId --output text`);
  await sh(page, `aws ec2 wait volume-available --volume-ids ${volume}`);
  await sh(page, `aws ec2 attach-volume --volume-id ${volume} --instance-id ${instance} --device /dev/sdf`);

  // Settings: "Get started" until Config records.
  await visit(page, '#/config', 'AWS Config');
  await page.waitForSelector('[data-testid=config-get-started]');
  await shots(page, 'config-setup');
  await page.selectOption('[data-testid=config-setup] select[name=role]', ROLE);
  await page.selectOption('[data-testid=config-setup] select[name=bucket]', `config-bucket-${ACCOUNT}`);
  await succeed(page, '[data-testid=config-setup-submit]');
  await page.waitForSelector('[data-testid=recording-on]');
  assert.equal(await page.locator('[data-testid=config-get-started]').count(), 0);
  await shots(page, 'config-settings');

  // Rules: two AWS managed rules by identifier, with AWS's descriptions.
  await visit(page, '#/config/rules', 'AWS Config rules');
  assert.match(await page.textContent('[data-testid=rule-description]'), /Checks if attached Amazon EBS volumes are encrypted/);
  await succeed(page, '[data-testid=add-config-rule-submit]');
  await page.selectOption('[data-testid=add-config-rule] select[name=identifier]', 'KMS_CMK_NOT_SCHEDULED_FOR_DELETION');
  assert.match(await page.textContent('[data-testid=rule-description]'), /scheduled for deletion/);
  await succeed(page, '[data-testid=add-config-rule-submit]');
  const table = await page.textContent('[data-testid=config-rules-table]');
  assert.match(table, /encrypted-volumes/);
  assert.match(table, /kms-cmk-not-scheduled-for-deletion/);
  await shots(page, 'config-rules');

  // The rule's page: the attached unencrypted volume is noncompliant.
  await page.click('[data-testid=config-rules-table] a:text-is("encrypted-volumes")');
  await visit(page, '#/config/rules/encrypted-volumes', 'Rule: encrypted-volumes');
  await succeed(page, '[data-testid=reevaluate]');
  assert.match(await resources(page, 'NON_COMPLIANT'), new RegExp(volume));
  // The instance's root volume is attached and unencrypted too: it counts (the scenario leaves it out of the audit).
  const before = Number((await page.textContent('[data-testid=rule-compliance]')).match(/(\d+) Noncompliant/)[1]);
  assert.ok(before >= 1, `${before} noncompliant`);
  await shots(page, 'config-rule-noncompliant');

  // The fix: an encrypted volume in the instance's zone, swapped in (detach, then attach).
  await visit(page, '#/ec2/volumes', 'EC2');
  await page.selectOption('[data-testid=create-volume] select[name=az]', zone);
  await page.check('[data-testid=create-volume] input[name=encrypted]');
  await succeed(page, '[data-testid=create-volume-submit]');
  const encrypted = await sh(page, "aws ec2 describe-volumes --query 'Volumes[?Encrypted].VolumeId' --output text");
  assert.match(encrypted, /^vol-/);
  // The new volume is creating for a few seconds: wait for it before attaching it.
  await sh(page, `aws ec2 wait volume-available --volume-ids ${encrypted}`);
  await page.check(`input[type=radio][value="${volume}"]`);
  await page.click('[data-testid=volume-detach]');
  await page.waitForSelector('[data-testid=detach-volume-dialog]');
  assert.match(await page.textContent('[data-testid=detach-volume-dialog]'), new RegExp(`detach volume ${volume}`));
  await shots(page, 'ec2-detach-confirm');
  await succeed(page, '[data-testid=volume-detach-confirm]');
  await page.check(`input[type=radio][value="${encrypted}"]`);
  await page.selectOption('[data-testid=volume-actions] select[name=instance]', instance);
  await page.fill('[data-testid=volume-actions] input[name=device]', '/dev/sdf');
  await succeed(page, '[data-testid=volume-attach]');
  await shots(page, 'ec2-volumes');

  // Re-evaluate: the attached encrypted volume is compliant, the detached one not in scope.
  await visit(page, '#/config/rules/encrypted-volumes', 'Rule: encrypted-volumes');
  await succeed(page, '[data-testid=reevaluate]');
  const after = await page.textContent('[data-testid=rule-compliance]');
  assert.ok(after === 'Compliant' || after.startsWith(`${before - 1} Noncompliant`), after);
  const compliant = await resources(page, 'COMPLIANT');
  assert.match(compliant, new RegExp(encrypted));
  assert.doesNotMatch(await resources(page, 'NON_COMPLIANT'), new RegExp(volume));
  await page.selectOption('select[name=show]', 'COMPLIANT');
  assert.ok(await page.locator(`[data-testid=rule-resources] a[href$="#/ec2/volumes"]`).count(), 'the volume links to EC2 volumes');
  await shots(page, 'config-rule-compliant');

  const trail = await events(page);
  for (const name of ['PutConfigurationRecorder', 'PutDeliveryChannel', 'StartConfigurationRecorder', 'PutConfigRule', 'StartConfigRulesEvaluation', 'DetachVolume', 'AttachVolume']) {
    assert.match(trail, new RegExp(name), `${name} is in CloudTrail`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('EventBridge: a rule from the KMS CMK Deletion sample with an SQS target and its queue permission; bad pattern; remove target; delete', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const url = await sh(page, 'aws sqs create-queue --queue-name key-alerts --query QueueUrl --output text');
  const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:key-alerts`;
  const ruleArn = `arn:aws:events:${REGION}:${ACCOUNT}:rule/key-deletion`;

  await visit(page, '#/events', 'EventBridge rules');
  await shots(page, 'events-rules-empty');
  // The API-call sample with no trail logging: the lab's note.
  await page.selectOption('[data-testid=create-rule] select[name=sample]', 'AWS API Call via CloudTrail');
  await page.waitForSelector('[data-testid=trail-note]');
  assert.match(await page.inputValue('[data-testid=event-pattern-editor]'), /ScheduleKeyDeletion/);
  await shots(page, 'events-create-api-call');

  // A bad pattern: AWS's error, with its Why? card.
  await page.fill('[data-testid=create-rule] input[name=name]', 'key-deletion');
  await page.locator('[data-testid=event-pattern-editor]').fill('{ "source": "aws.kms" }');
  const bad = await act(page, '[data-testid=create-rule-submit]');
  assert.equal(bad.ok, false, bad.text);
  assert.match(bad.text, /InvalidEventPatternException/);
  await page.click('[data-testid=flash] [data-testid=why]');
  await page.waitForSelector('[data-testid=why-card]');

  // The KMS CMK Deletion sample, an SQS target: PutRule, PutTargets, SetQueueAttributes.
  await page.selectOption('[data-testid=create-rule] select[name=sample]', 'KMS CMK Deletion');
  await page.waitForFunction(() => document.querySelector('[data-testid=event-pattern-editor]').value.includes('KMS CMK Deletion'));
  assert.equal(await page.locator('[data-testid=trail-note]').count(), 0, 'KMS events need no trail');
  await page.fill('[data-testid=create-rule] input[name=description]', 'Warn when a key is deleted');
  await page.selectOption('[data-testid=create-rule] select[name=target]', queueArn);
  await succeed(page, '[data-testid=create-rule-submit]');
  assert.match(await page.textContent('[data-testid=rules-table]'), /key-deletion/);
  await shots(page, 'events-rules');
  const policy = JSON.parse(await sh(page, `aws sqs get-queue-attributes --queue-url ${url} --attribute-names Policy --query Attributes.Policy --output text`));
  const st = policy.Statement.find((s) => s.Principal && s.Principal.Service === 'events.amazonaws.com');
  assert.ok(st, JSON.stringify(policy));
  assert.equal(st.Action, 'sqs:SendMessage');
  assert.equal(st.Condition.ArnEquals['aws:SourceArn'], ruleArn);
  const trail = await events(page);
  for (const name of ['PutRule', 'PutTargets', 'SetQueueAttributes']) assert.match(trail, new RegExp(name), `${name} in CloudTrail`);

  // The rule's page: pattern and target; Delete refuses while a target remains, as in AWS.
  await page.click('[data-testid=rules-table] a:text-is("key-deletion")');
  await visit(page, '#/events/rules/key-deletion', 'Rule: key-deletion');
  assert.match(await page.textContent('[data-testid=rule-pattern]'), /KMS CMK Deletion/);
  assert.match(await page.textContent('[data-testid=targets-table]'), /key-alerts/);
  assert.match(await page.textContent('[data-testid=targets-table]'), /SQS queue/);
  await shots(page, 'events-rule');
  await page.click('[data-testid=delete-rule]');
  await page.fill('[data-testid=delete-rule-dialog] input[name=confirm]', 'key-deletion');
  const refused = await act(page, '[data-testid=delete-rule-confirm]');
  assert.equal(refused.ok, false, refused.text);
  assert.match(refused.text, /ValidationException/);
  await succeed(page, '[data-testid=remove-target-Target0]');
  assert.match(await page.textContent('[data-testid=rule-targets]'), /No targets/);
  await page.click('[data-testid=delete-rule]');
  await page.fill('[data-testid=delete-rule-dialog] input[name=confirm]', 'key-deletion');
  await succeed(page, '[data-testid=delete-rule-confirm]');
  assert.match(await sh(page, "aws events list-rules --query 'length(Rules)'"), /^0$/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

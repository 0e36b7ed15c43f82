// The SQS and SNS console pages: a queue under a customer managed key made entirely through the
// console (Create queue's Encryption section, send, poll and delete a message, Edit encryption
// and the refusal of a missing key with its Why? card), a topic subscribed by the queue whose
// delivery the queue refuses (shown on the topic's Delivery failures tab), and the scenario
// sns-sqs-encrypted-pipeline finished with console pages and clicks only. Screenshots of every
// page at 1280 and 390 px, none of them scrolling sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, shotPath } from './harness.js';
import { run, act, succeed, visit, openLab, screenshotsFor, refused, consoleKey, axeProblems, startScenario, finished, signInAs } from './console.js';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

const ready = (page, width) => openLab(page, base, width);
const shots = screenshotsFor('messaging');

const openTab = (page, name) => page.click(`[role=tab] >> text="${name}"`);

test('navigation: SQS and SNS in the side navigation and the phone menu', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const links = await page.locator('nav.side-nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const href of ['#/sqs', '#/sns']) {
    assert.ok(links.some((l) => l.endsWith(href)), `${href} in the side navigation: ${links.join(' ')}`);
  }
  await visit(page, '#/sqs', 'Queues');
  assert.equal(await page.textContent('nav.side-nav .nav-sublink.current'), 'SQS');
  await visit(page, '#/sns', 'Topics');
  assert.equal(await page.textContent('nav.side-nav .nav-pagelink.current'), 'Topics');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid=console-menu] summary');
  await page.click('[data-testid=console-menu] a[href$="#/sqs"]');
  await page.waitForSelector('h1:has-text("Queues")');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('SQS and SNS: an SSE-KMS queue from the console, send, poll and delete; Edit encryption and a missing key refused; a topic whose delivery the queue refuses', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  await ready(page);
  const key = await consoleKey(page, 'msg-queue');

  // Create queue with SSE-KMS under the new key, the reuse period at 10 minutes.
  await visit(page, '#/sqs', 'Queues');
  const form = '[data-testid=create-queue]';
  await page.fill(`${form} input[name=name]`, 'msg-orders');
  assert.equal(await page.isChecked('input[name=create-type][value=sqs]'), true, 'SSE-SQS is the default');
  await page.check('input[name=create-type][value=kms]');
  assert.equal(await page.inputValue(`${form} input[name=key]`), 'alias/aws/sqs', 'the AWS managed key is the default key');
  await page.fill(`${form} input[name=key]`, 'alias/msg-queue');
  await page.fill(`${form} input[name=reuse]`, '0');
  assert.equal(await page.isDisabled('[data-testid=create-queue-submit]'), true, 'the reuse period is 1 minute to 24 hours');
  await page.fill(`${form} input[name=reuse]`, '10');
  await shots(page, 'sqs-create');
  await succeed(page, '[data-testid=create-queue-submit]');
  const row = page.locator('[data-testid=queues-table] tr:has(a:text-is("msg-orders"))');
  await row.waitFor();
  assert.match(await row.textContent(), /Standard.*SSE-KMS.*alias\/msg-queue/);
  assert.equal(await row.locator(`a[href*="/kms/keys/${REGION}/${key}"]`).count(), 1, 'the key links to its page');
  await shots(page, 'sqs-queues');

  // The queue's page: send, poll, delete.
  await page.click('[data-testid=queues-table] a:text-is("msg-orders")');
  await page.waitForSelector('[data-testid=queue-details]');
  assert.equal(await page.textContent('[data-testid=queue-details-sse]'), 'AWS Key Management Service key (SSE-KMS)');
  await page.fill('[data-testid=queue-messages] textarea[name=body]', 'hello from the console');
  await succeed(page, '[data-testid=send-message]');
  await succeed(page, '[data-testid=poll-messages]');
  await page.waitForSelector('[data-testid=received-message]');
  assert.equal(await page.textContent('[data-testid=message-body]'), 'hello from the console');
  await shots(page, 'sqs-queue-messages');
  await succeed(page, '[data-testid=delete-message]');
  await page.waitForSelector('[data-testid=received-message]', { state: 'detached' });

  // Encryption tab: the key ARN links to the key; Edit to a key that does not exist, and SQS
  // refuses the next message with KMS's error (KMS.NotFoundException) and its Why? card.
  await openTab(page, 'Encryption');
  assert.equal(await page.locator(`[data-testid=queue-encryption-tab] a[href*="/kms/keys/${REGION}/${key}"]`).count() >= 1, true);
  assert.match(await page.textContent('[data-testid=queue-encryption-tab]'), /10 minutes/);
  await page.click('[data-testid=edit-encryption]');
  await page.waitForSelector('[data-testid=edit-encryption-dialog]');
  assert.equal(await page.inputValue('[data-testid=edit-encryption-dialog] input[name=key]'), 'alias/msg-queue');
  await page.fill('[data-testid=edit-encryption-dialog] input[name=key]', 'alias/msg-missing');
  await shots(page, 'sqs-edit-encryption');
  await succeed(page, '[data-testid=encryption-save]');
  await openTab(page, 'Send and receive messages');
  await page.fill('[data-testid=queue-messages] textarea[name=body]', 'lost');
  await refused(page, '[data-testid=send-message]', /KMS\.NotFoundException/);
  await openTab(page, 'Encryption');
  await page.click('[data-testid=edit-encryption]');
  await page.fill('[data-testid=edit-encryption-dialog] input[name=key]', 'alias/msg-queue');
  await succeed(page, '[data-testid=encryption-save]');

  // Access policy tab: a syntax error is marked before anything is sent.
  await openTab(page, 'Access policy');
  await page.fill('[data-testid=queue-policy-editor]', '{ "Version": ');
  await page.click('[data-testid=queue-policy-save]');
  await page.waitForSelector('[data-testid=queue-policy] [data-testid=policy-error]');
  await shots(page, 'sqs-queue-policy');

  // SNS: an encrypted topic (alias/aws/sns), subscribed by the queue; its delivery is refused.
  await visit(page, '#/sns', 'Topics');
  await page.fill('[data-testid=create-topic] input[name=name]', 'msg-events');
  await page.check('[data-testid=create-topic] input[name=encrypt]');
  assert.equal(await page.inputValue('[data-testid=create-topic] input[name=key]'), 'alias/aws/sns');
  await shots(page, 'sns-create');
  await succeed(page, '[data-testid=create-topic-submit]');
  await page.waitForSelector('[data-testid=topics-table] a:text-is("msg-events")');
  assert.match(await page.textContent('[data-testid=topics-table]'), /msg-events.*Enabled/);
  await shots(page, 'sns-topics');
  await page.click('[data-testid=topics-table] a:text-is("msg-events")');
  await page.waitForSelector('[data-testid=topic-subscriptions]');
  const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:msg-orders`;
  await page.fill('[data-testid=topic-subscriptions] input[name=endpoint]', queueArn);
  await succeed(page, '[data-testid=create-subscription]');
  await page.waitForSelector(`[data-testid=subscriptions-table] >> text=${queueArn}`);
  assert.match(await page.textContent('[data-testid=subscriptions-table]'), /Confirmed/);
  await page.click('[data-testid=publish-message]');
  await page.fill('[data-testid=publish-panel] textarea[name=message]', 'order-1');
  await shots(page, 'sns-topic-publish');
  await succeed(page, '[data-testid=publish-submit]');
  await openTab(page, 'Delivery failures (lab view)');
  await page.waitForSelector('[data-testid=delivery-failures]');
  const failure = await page.textContent('[data-testid=delivery-failures]');
  assert.ok(failure.includes(queueArn), failure);
  assert.match(failure, /AccessDenied|KMS\./);
  await shots(page, 'sns-topic-deliveries');
  await openTab(page, 'Encryption');
  assert.equal(await page.textContent('[data-testid=topic-sse]'), 'Enabled');
  await openTab(page, 'Access policy');
  await page.waitForSelector('[data-testid=topic-policy-editor]');
  assert.match(await page.inputValue('[data-testid=topic-policy-editor]'), /__default_statement_ID/);
  await visit(page, '#/sqs/queues/msg-orders', 'msg-orders');
  await openTab(page, 'SNS subscriptions');
  assert.match(await page.textContent('[data-testid=queue-subscriptions]'), /msg-events/);
  await page.click('[data-testid=queue-subscriptions] a');
  await page.waitForSelector('[data-testid=topic-details]');

  // Delete the topic: the console asks for "delete me", then shows Topics.
  await page.click('[data-testid=delete-topic]');
  await page.waitForSelector('[data-testid=delete-topic-dialog]');
  assert.equal(await page.isDisabled('[data-testid=delete-topic-dialog-confirm]'), true);
  await page.fill('[data-testid=delete-topic-dialog] input[name=confirm]', 'delete me');
  await shots(page, 'sns-delete-topic');
  // Deleted, the topic's page has nothing to show: the console returns to Topics.
  await page.click('[data-testid=delete-topic-dialog-confirm]');
  await page.waitForSelector('h1:has-text("Topics")');
  await page.waitForSelector('[data-testid=topics-table] a:text-is("msg-events")', { state: 'detached' });

  // The queue's SNS subscriptions tab listed the topic; Delete asks for "delete", then shows Queues.
  await visit(page, '#/sqs/queues/msg-orders', 'msg-orders');
  await openTab(page, 'SNS subscriptions');
  await page.waitForSelector('[data-testid=queue-sns]');
  await page.click('[data-testid=delete-queue]');
  await page.fill('[data-testid=delete-queue-dialog] input[name=confirm]', 'delete');
  await page.click('[data-testid=delete-queue-dialog-confirm]');
  await page.waitForSelector('h1:has-text("Queues")');
  await page.waitForSelector('[data-testid=queues-table] a:text-is("msg-orders")', { state: 'detached' });
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe: SQS and SNS pages with their tabs and forms (${colorScheme})`, async () => {
    const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme });
    await ready(page);
    // Set-up through the script API: the pages are what is checked here.
    for (const line of [
      'aws sqs create-queue --queue-name axe',
      'aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/axe --message-body hi',
      'aws sns create-topic --name axe',
      'aws sns subscribe --topic-arn arn:aws:sns:us-east-1:111122223333:axe --protocol sqs --notification-endpoint arn:aws:sqs:us-east-1:111122223333:axe',
    ]) {
      const r = await run(page, line);
      assert.ok(r.ok, `${line}: ${r.stderr}`);
    }
    const found = [];
    await visit(page, '#/sqs', 'Queues');
    await page.check('input[name=create-type][value=kms]');
    found.push(...await axeProblems(page, '#/sqs'));
    await visit(page, '#/sqs/queues/axe', 'axe');
    await page.click('[data-testid=poll-messages]');
    await page.waitForSelector('[data-testid=received-message]');
    found.push(...await axeProblems(page, '#/sqs/queues/axe (messages)'));
    for (const tab of ['SNS subscriptions', 'Access policy', 'Encryption']) {
      await openTab(page, tab);
      found.push(...await axeProblems(page, `#/sqs/queues/axe (${tab})`));
    }
    await visit(page, '#/sns', 'Topics');
    await page.check('[data-testid=create-topic] input[name=encrypt]');
    found.push(...await axeProblems(page, '#/sns'));
    await visit(page, '#/sns/topics/axe', 'axe');
    await page.click('[data-testid=publish-message]');
    found.push(...await axeProblems(page, '#/sns/topics/axe (publish)'));
    for (const tab of ['Access policy', 'Encryption', 'Delivery failures (lab view)']) {
      await openTab(page, tab);
      found.push(...await axeProblems(page, `#/sns/topics/axe (${tab})`));
    }
    assert.deepEqual(found, [], found.join('\n'));
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

test('console-only: sns-sqs-encrypted-pipeline', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 900 });
  const id = 'sns-sqs-encrypted-pipeline';
  await startScenario(page, base, id);
  const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT}:order-events`;
  const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`;

  // The topic page shows why nothing arrives: this morning's orders were refused by the queue.
  await page.click('nav.side-nav a[href$="#/sns"]');
  await page.click('[data-testid=topics-table] a:text-is("order-events")');
  await openTab(page, 'Delivery failures (lab view)');
  assert.match(await page.textContent('[data-testid=delivery-failures]'), /orders/);

  // The queue's key (from the queue's Encryption tab): a statement for SNS, beside the root's.
  await page.click('nav.side-nav a[href$="#/sqs"]');
  await page.click('[data-testid=queues-table] a:text-is("orders")');
  await openTab(page, 'Encryption');
  await page.locator('[data-testid=queue-encryption-tab] a[href*="/kms/keys/"]').last().click();
  await page.waitForSelector('[data-testid=key-policy]');
  const policy = JSON.parse(await page.textContent('[data-testid=key-policy]'));
  policy.Statement.push({
    Sid: 'AllowSnsToUseTheKey',
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    Resource: '*',
  });
  await page.click('[data-testid=edit-policy]');
  await page.fill('[data-testid=policy-editor]', JSON.stringify(policy, null, 2));
  await succeed(page, 'text=Save changes');

  // The queue policy: SendMessage for the topic only.
  await page.click('nav.side-nav a[href$="#/sqs"]');
  await page.click('[data-testid=queues-table] a:text-is("orders")');
  await openTab(page, 'Access policy');
  const queuePolicy = {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'OrderEventsOnly',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn,
      Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
    }],
  };
  await page.fill('[data-testid=queue-policy-editor]', JSON.stringify(queuePolicy, null, 2));
  await succeed(page, '[data-testid=queue-policy-save]');

  // Publish an order on the topic's page.
  await page.click('nav.side-nav a[href$="#/sns"]');
  await page.click('[data-testid=topics-table] a:text-is("order-events")');
  await page.click('[data-testid=publish-message]');
  await page.fill('[data-testid=publish-panel] textarea[name=message]', 'order-1003');
  await succeed(page, '[data-testid=publish-submit]');

  // As AppRole, on the queue's page: poll, and the order is there.
  await page.click('nav.side-nav a[href$="#/sqs"]');
  await page.click('[data-testid=queues-table] a:text-is("orders")');
  await page.waitForSelector('[data-testid=queue-messages]');
  await signInAs(page, 'app');
  await page.waitForSelector('[data-testid=queue-messages]');
  await succeed(page, '[data-testid=poll-messages]');
  await page.waitForSelector('[data-testid=received-message]');
  assert.match(await page.textContent('[data-testid=received-messages]'), /order-1003/);
  await page.screenshot({ path: shotPath('console-only-sns-sqs-app-receives'), fullPage: true });
  await signInAs(page, 'admin');

  await finished(page, id);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

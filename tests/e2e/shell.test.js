// Every page loads, navigation works, no console error and no panic on any page,
// and a screenshot of every page at 1280×800 and 390×844 goes to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath } from './harness.js';

const PAGES = [
  ['start', '#/', 'Learn AWS KMS by doing it'],
  ['kms-keys', '#/kms/keys', 'KMS keys'],
  ['key-detail', '#/kms/keys/us-east-1/1234abcd-12ab-34cd-56ef-1234567890ab', '1234abcd'],
  ['iam', '#/iam', 'IAM'],
  ['s3', '#/s3', 'S3'],
  ['ec2', '#/ec2', 'EC2'],
  ['rds', '#/rds', 'RDS'],
  ['terminal', '#/terminal', 'Terminal'],
  ['scenarios', '#/scenarios', 'Scenarios'],
  ['scenario-key-rotation', '#/scenarios/key-rotation', 'Rotate'],
  ['scenario-bucket-keys', '#/scenarios/s3-bucket-keys', 'Bucket Keys'],
  ['scenario-unknown', '#/scenarios/no-such-scenario', 'Scenario no-such-scenario'],
  ['quiz', '#/quiz', 'Quizzes'],
  ['quiz-topic', '#/quiz/rotation', 'Quiz: Key rotation'],
  ['quiz-question', '#/quiz/q/rot-default-off', 'Question'],
  ['quiz-exam', '#/quiz/mode/exam', 'Exam'],
  ['activity', '#/activity', 'Activity'],
  ['learn', '#/learn', 'Learn'],
  ['learn-envelope', '#/learn/envelope-encryption', 'Envelope encryption'],
  ['learn-access', '#/learn/access-control', 'Key policies'],
  ['learn-rotation', '#/learn/rotation', 'Key rotation'],
  ['create-key', '#/kms/create-key', 'Create key'],
  ['not-found', '#/no/such/page', 'Page not found'],
];
const VIEWPORTS = [['desktop', { width: 1280, height: 800 }], ['mobile', { width: 390, height: 844 }]];

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

for (const [vpName, viewport] of VIEWPORTS) {
  test(`every page renders without errors (${vpName})`, async () => {
    const { context, page, problems } = await newPage(browser, viewport);
    const titles = new Map();
    for (const [name, hash, heading] of PAGES) {
      await page.goto(base + hash);
      await waitForApp(page);
      await page.waitForSelector('h1');
      const h1 = await page.textContent('h1');
      assert.ok(h1.includes(heading), `${hash}: heading "${h1}" should include "${heading}"`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${hash} (${vpName}): the page is ${overflow}px wider than the screen`);
      await page.screenshot({ path: shotPath(`${name}-${vpName}`), fullPage: true });
      const title = await page.title();
      assert.match(title, / · KMS Lab$/, `${hash}: title "${title}"`);
      assert.ok(!titles.has(title), `${hash} and ${titles.get(title)} share the title "${title}"`);
      titles.set(title, hash);
    }
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

test('the root opens the start page and the nav moves between pages', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base);
  await waitForApp(page);
  await page.waitForSelector('[data-testid=ways-in]');
  const nav = [['IAM', '#/iam'], ['Terminal', '#/terminal'], ['Scenarios', '#/scenarios'], ['Quizzes', '#/quiz'],
    ['Activity', '#/activity'], ['Learn', '#/learn'], ['Console', '#/kms/keys']];
  for (const [label, hash] of nav) {
    await page.click(`nav.side-nav >> text=${label}`);
    await page.waitForFunction((h) => location.hash === h, hash);
    const active = await page.textContent('.nav-link.active');
    assert.ok(active.includes(label), `active nav entry should be ${label}, was ${active}`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('the top bar shows account, principal, Region and a clock that advances', async () => {
  const { context, page, problems } = await newPage(browser, { width: 1280, height: 800 });
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  assert.match(await page.textContent('[data-testid=account]'), /111122223333/);
  const before = await page.textContent('[data-testid=clock]');
  await page.click('[data-testid=advance-1y]');
  const afterText = await page.textContent('[data-testid=clock]');
  assert.notEqual(afterText, before, 'clock should move');
  const yBefore = Number(before.slice(0, 4)); const yAfter = Number(afterText.slice(0, 4));
  assert.equal(yAfter, yBefore + 1, `a year later: ${before} -> ${afterText}`);
  await page.selectOption('[data-testid=profile]', 'partner-admin');
  assert.match(await page.textContent('[data-testid=account]'), /444455556666/);
  await page.selectOption('[data-testid=region]', 'eu-west-1');
  assert.match(await page.textContent('.page-header'), /eu-west-1/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

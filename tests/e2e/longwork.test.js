// Long work stays responsive (issue 21, item 5): `lab load --s3-put` runs in chunks that yield to
// the event loop, with a progress bar in the terminal, and answers what the one-go run answers.
// Behaviour only: no timing is asserted (`cargo xtask bench --scale` measures the long tasks).
// Screenshots of the running bar at 1280 and 390 px go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, newPage, waitForApp, shotPath } from './harness.js';
import { run } from './console.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

/** Records every value the terminal's progress bar shows (a MutationObserver misses none). */
const watchBar = (page) => page.evaluate(() => {
  window.__bar = [];
  new MutationObserver(() => {
    const p = document.querySelector('[data-testid=term-job] progress');
    if (!p) return;
    const seen = { value: p.getAttribute('value'), max: p.getAttribute('max'), label: p.getAttribute('aria-label') };
    const last = window.__bar[window.__bar.length - 1];
    if (!last || last.value !== seen.value) window.__bar.push(seen);
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['value', 'aria-label'] });
});

async function terminal(width) {
  const opened = await newPage(browser, { width, height: 800 });
  await opened.page.goto(base + '#/terminal');
  await waitForApp(opened.page);
  await opened.page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
  return opened;
}

test('lab load --s3-put in the terminal shows a progress bar, then the output kmsLab.run answers', async () => {
  const { context, page, problems } = await terminal(1280);
  assert.equal((await run(page, 'aws s3api create-bucket --bucket bulk-e2e')).exitCode, 0);
  await watchBar(page);
  const line = 'lab load --s3-put 3000 --bucket bulk-e2e';
  await page.fill('#term-input', line);
  await page.press('#term-input', 'Enter');

  // The bar appears with a value and an accessible label naming the work.
  const bar = page.locator('[data-testid=term-job] progress[value]');
  await bar.waitFor();
  const label = await bar.getAttribute('aria-label');
  assert.match(label, /^lab load: [\d,]+ of 3,000 PutObject$/, label);
  assert.equal(await bar.getAttribute('max'), '3000');
  assert.match(await page.textContent('[data-testid=term-job] .term-input'), /lab load --s3-put 3000 --bucket bulk-e2e/);

  // Then the output, in the scrollback, and the bar is gone.
  await page.locator('[data-testid=term-job]').waitFor({ state: 'detached', timeout: 120000 });
  const entry = page.locator('.term-entry').last();
  assert.ok((await entry.locator('.term-input').textContent()).endsWith(`$ ${line}`));
  const printed = await entry.locator('.term-stdout').textContent();
  assert.match(printed, /^3000 uploads to s3:\/\/bulk-e2e \(16 bytes each, Bucket Key disabled\): 0 KMS requests/);

  // Every value shown was a step forward, below the total.
  const seen = await page.evaluate(() => window.__bar.filter((b) => b.value !== null));
  assert.ok(seen.length >= 1, JSON.stringify(seen));
  const values = seen.map((b) => Number(b.value));
  assert.ok(values.every((v, i) => v > 0 && v < 3000 && (i === 0 || v > values[i - 1])), JSON.stringify(values));
  assert.equal((await run(page, 'aws s3api list-objects-v2 --bucket bulk-e2e --query "length(Contents)"')).stdout.trim(), '3000');

  // kmsLab.run of the same line (a job too) resolves once it is done, with the same output as the
  // terminal's and as the one-go run of the line (through a pipe, which never becomes a job).
  const again = await run(page, line);
  assert.equal(again.exitCode, 0, again.stderr);
  assert.equal(again.stdout, printed);
  const oneGo = await run(page, `${line} | cat`);
  assert.equal(oneGo.stdout, printed);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('lines sent while a job runs wait for it and run in order', async () => {
  const { context, page, problems } = await terminal(1280);
  await run(page, 'aws s3api create-bucket --bucket bulk-queue');
  const [load, count, echo] = await page.evaluate(() => Promise.all([
    window.kmsLab.run('lab load --s3-put 1500 --bucket bulk-queue'),
    window.kmsLab.run('aws s3api list-objects-v2 --bucket bulk-queue --query "length(Contents)"'),
    window.kmsLab.run('echo after'),
  ]));
  assert.equal(load.exitCode, 0, load.stderr);
  assert.equal(count.stdout.trim(), '1500', 'the queued line saw every upload');
  assert.equal(echo.stdout, 'after\n');
  const inputs = await page.$$eval('.term-entry .term-input', (xs) => xs.map((x) => x.textContent));
  assert.deepEqual(inputs.slice(-3).map((t) => t.replace(/^\S+ \$ /, '')), [
    'lab load --s3-put 1500 --bucket bulk-queue',
    'aws s3api list-objects-v2 --bucket bulk-queue --query "length(Contents)"',
    'echo after',
  ]);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

for (const width of [1280, 390]) {
  test(`the progress bar at ${width} px (screenshot)`, async () => {
    const { context, page, problems } = await terminal(width);
    await run(page, 'aws s3api create-bucket --bucket bulk-shot');
    await page.fill('#term-input', 'lab load --s3-put 40000 --bucket bulk-shot');
    await page.press('#term-input', 'Enter');
    await page.locator('[data-testid=term-job] progress[value]').waitFor();
    await page.screenshot({ path: shotPath(`terminal-progress-${width}`) });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
    await page.locator('[data-testid=term-job]').waitFor({ state: 'detached', timeout: 300000 });
    assert.deepEqual(problems, [], problems.join('\n'));
    await context.close();
  });
}

// The first load: the scenario data is not compiled into the wasm but fetched as one file
// (scenarios.json) while the saved world opens, and a failed fetch is explained with a retry.
// Most console pages are in wasm chunks (src/lazy/) fetched when first opened, or once the lab is
// idle; a failed chunk download is explained with a retry too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { dist, serveDist, launch, newPage, waitForApp } from './harness.js';

let server; let base; let browser;
before(async () => { ({ server, base } = await serveDist()); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('the wasm does not carry the scenario data; scenarios.json beside it does', () => {
  const wasm = fs.readdirSync(dist).find((f) => f.endsWith('_bg.wasm'));
  assert.ok(wasm, 'a _bg.wasm in dist/');
  const bytes = fs.readFileSync(path.join(dist, wasm));
  const bundle = JSON.parse(fs.readFileSync(path.join(dist, 'scenarios.json'), 'utf8'));
  const story = JSON.parse(bundle['key-rotation/scenario.json']).story;
  assert.ok(story.length > 40);
  assert.equal(bytes.includes(Buffer.from(story.slice(0, 40))), false, 'the key-rotation story is in the wasm');
  assert.ok(Object.keys(bundle).some((p) => p.startsWith('key-rotation/solutions/')));
});

test('scenarios work straight after ready (the data arrives before the lab starts)', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.goto(base + '#/scenarios/key-rotation');
  await waitForApp(page);
  await page.waitForSelector('h1');
  assert.match(await page.textContent('h1'), /Rotate/);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a failed scenario fetch is explained, the rest of the lab works, and Try again loads them', async () => {
  const { context, page } = await newPage(browser);
  let blocked = true;
  await context.route('**/scenarios.json', (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(base + '#/scenarios');
  await waitForApp(page);
  await page.waitForSelector('[data-testid="scenarios-unavailable"]');
  assert.match(await page.textContent('[data-testid="scenarios-unavailable"]'), /scenarios\.json/);
  // The terminal still runs commands.
  const out = await page.evaluate(() => window.kmsLab.run('aws kms list-keys --query "length(Keys)"'));
  assert.equal(out.exitCode, 0, out.stderr);
  assert.match(out.stdout, /^\d+$/m);
  blocked = false;
  await page.click('[data-testid="scenarios-retry"]');
  await page.waitForSelector('text=Rotate');
  assert.equal(await page.locator('[data-testid="scenarios-unavailable"]').count(), 0);
  await context.close();
});

test('a scenarios.json that never answers does not keep the lab from starting', async () => {
  const { context, page } = await newPage(browser);
  let stall = true;
  await context.route('**/scenarios.json', (route) => (stall ? undefined : route.continue()));
  await page.goto(base + '#/scenarios');
  await waitForApp(page);
  await page.waitForSelector('[data-testid="scenarios-unavailable"]');
  assert.match(await page.textContent('[data-testid="scenarios-unavailable"]'), /no answer within 15 seconds/);
  stall = false;
  await page.click('[data-testid="scenarios-retry"]');
  await page.waitForSelector('text=Rotate');
  await context.close();
});

// The chunks `cargo xtask split-wasm` writes: every .wasm in dist/ but the main module.
const isChunk = (url) => /\.wasm$/.test(new URL(url).pathname) && !/_bg\.wasm$/.test(url);
const chunkFiles = () => fs.readdirSync(dist).filter((f) => f.endsWith('.wasm') && !f.endsWith('_bg.wasm'));

test('the first download holds no page; opening a console page fetches its chunk', async () => {
  const chunks = chunkFiles();
  assert.ok(chunks.length >= 7, `one chunk per page group at least (found ${chunks.join(', ')})`);
  const { context, page, problems } = await newPage(browser);
  const fetched = [];
  page.on('request', (r) => { if (isChunk(r.url())) fetched.push(r.url()); });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  // Only the engine's chunk (and chunks it shares) is fetched from ready on; no page's.
  const pages = () => fetched.filter((u) => /split_\w+_pages\.wasm$/.test(u));
  assert.deepEqual(pages(), [], 'no page chunk before ready');
  await page.goto(base + '#/dynamodb');
  await page.waitForSelector('h1:has-text("DynamoDB")');
  assert.ok(pages().some((u) => /split_storage_pages\.wasm$/.test(u)), 'the DynamoDB page fetched its chunk');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('a chunk that cannot be downloaded is explained; the lab works on and Try again opens the page', async () => {
  const { context, page } = await newPage(browser);
  let blocked = true;
  // The pages' chunks (not the engine's, nor the chunks it shares with them).
  const isPageChunk = (url) => /split_\w+_pages\.wasm$/.test(new URL(url).pathname);
  await context.route((url) => isPageChunk(url.href), (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(base + '#/iam');
  await waitForApp(page);
  await page.waitForSelector('[data-testid="page-unavailable"]');
  assert.match(await page.textContent('[data-testid="page-unavailable"]'), /could not be loaded/);
  const out = await page.evaluate(() => window.kmsLab.run('aws iam list-users --query "length(Users)"'));
  assert.equal(out.exitCode, 0, out.stderr);
  assert.match(out.stdout, /^\d+$/m);
  blocked = false;
  await page.click('[data-testid="page-unavailable"] button');
  await page.waitForSelector('h1:has-text("IAM")');
  assert.equal(await page.locator('[data-testid="page-unavailable"]').count(), 0);
  await context.close();
});

test('3 s after ready, every chunk is fetched in the background', async () => {
  const { context, page, problems } = await newPage(browser);
  const fetched = new Set();
  page.on('requestfinished', (r) => { if (isChunk(r.url())) fetched.add(new URL(r.url()).pathname); });
  await page.goto(base);
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  const chunks = chunkFiles();
  for (let i = 0; i < 60 && fetched.size < chunks.length; i++) await page.waitForTimeout(250);
  assert.equal(fetched.size, chunks.length, `fetched ${[...fetched].join(', ')}`);
  // Pages then open without a loading state.
  await page.goto(base + '#/quiz');
  assert.equal(await page.locator('[data-testid="page-loading"]').count(), 0);
  await page.waitForSelector('h1');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('chunks served without Content-Type application/wasm (some LMS hosts) still load', async () => {
  const { context, page, problems } = await newPage(browser);
  await context.route((url) => isChunk(url.href), async (route) => {
    // A chunk still on its way when the context closes (the engine's, fetched at ready) has
    // nobody left to answer.
    try {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
    } catch {
      // the context is closed
    }
  });
  await page.goto(base + '#/kms/keys');
  await waitForApp(page);
  await page.waitForSelector('h1:has-text("keys")');
  assert.equal(await page.locator('[data-testid="page-unavailable"]').count(), 0);
  assert.deepEqual(problems.filter((p) => !/MIME type/.test(p)), [], problems.join('\n'));
  await context.close();
});

test('a page whose chunk arrives after a change of page takes focus on its heading', async () => {
  const { context, page } = await newPage(browser);
  await page.goto(base);
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  await page.evaluate(() => { location.hash = '#/learn'; });
  await page.waitForSelector('h1#page-title:has-text("Learn")');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'page-title');
  await context.close();
});

// The engine (every service: KMS, IAM, STS and CloudTrail as much as the twelve beyond them, KMS's
// asymmetric crypto, and the command line's interpreter) is a chunk too, fetched as soon as the
// lab is ready; the world's state, the terminal and the console's views are in the first
// download. What needs the engine before it is here waits for it and runs in order.
const isEngine = (url) => /split_engine_extension\.wasm$/.test(new URL(url).pathname);

// A page at `hash` whose engine chunk cannot be downloaded until `unblock()` is called.
async function withEngineBlocked(hash) {
  const { context, page } = await newPage(browser);
  let blocked = true;
  await context.route((url) => isEngine(url.href), (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(base + hash);
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  return { context, page, unblock: () => { blocked = false; } };
}

test('without the engine chunk a line says why; once it arrives lines run in order', async () => {
  const { context, page, unblock } = await withEngineBlocked('#/terminal');
  // No line can run while the chunk cannot be downloaded: each says why.
  for (const line of ['echo ready', 'aws kms create-key', 'aws s3api create-bucket --bucket reports']) {
    const failed = await page.evaluate((l) => window.kmsLab.run(l), line);
    assert.equal(failed.exitCode, 1, line);
    assert.match(failed.stderr, /could not be downloaded/);
  }
  // Once it can, the same lines run, in order, and the world has what they made.
  unblock();
  const [echo, key, made, listed] = await page.evaluate(() => Promise.all([
    window.kmsLab.run('echo ready'),
    window.kmsLab.run('aws kms create-key --query KeyMetadata.KeyState --output text'),
    window.kmsLab.run('aws s3api create-bucket --bucket reports'),
    window.kmsLab.run('aws s3api list-buckets --query "Buckets[].Name" --output text'),
  ]));
  assert.equal(echo.stdout.trim(), 'ready', echo.stderr);
  assert.equal(key.stdout.trim(), 'Enabled', key.stderr);
  assert.equal(made.exitCode, 0, made.stderr);
  assert.equal(listed.stdout.trim(), 'reports');
  // Asymmetric keys (in the same chunk) work too.
  const signing = await page.evaluate(() => window.kmsLab.run(
    'aws kms create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeySpec --output text'));
  assert.equal(signing.stdout.trim(), 'ECC_NIST_P256', signing.stderr);
  await context.close();
});

test('a line typed while the engine chunk is on its way waits for it, then runs', async () => {
  const { context, page, problems } = await newPage(browser);
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route((url) => isEngine(url.href), async (route) => { await held; await route.continue(); });
  await page.goto(base + '#/terminal');
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  await page.evaluate(() => { window.__queued = window.kmsLab.run('aws sqs create-queue --queue-name jobs --query QueueUrl --output text'); });
  const early = await page.evaluate(() => Promise.race([
    window.__queued.then(() => 'answered'),
    new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
  ]));
  assert.equal(early, 'waiting');
  release();
  const out = await page.evaluate(() => window.__queued);
  assert.equal(out.exitCode, 0, out.stderr);
  assert.match(out.stdout, /jobs$/m);
  await page.waitForSelector('text=aws sqs create-queue');
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('after a reload without the engine chunk, the active scenario is there and is graded once the chunk arrives', async () => {
  const { context, page } = await newPage(browser);
  let blocked = false;
  await context.route((url) => isEngine(url.href), (route) => (blocked ? route.abort() : route.continue()));
  await page.goto(base + '#/scenarios/key-rotation');
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  const objectives = page.locator('[data-testid=objectives]');
  await objectives.locator('.obj-fail, .obj-pass').first().waitFor();
  const keyId = await page.evaluate(() => window.kmsLab.run('echo $KEY_ID'));
  assert.match(keyId.stdout, /^[0-9a-f-]{36}$/m, 'the set-up ran');
  // Reloaded with the chunk blocked: the scenario is active (saved), its checks cannot be
  // downloaded, and the objectives say so instead of a grade.
  blocked = true;
  await page.reload();
  await waitForApp(page);
  await page.evaluate(() => window.kmsLab.ready);
  await objectives.getByText('could not be downloaded').first().waitFor();
  assert.equal(await objectives.locator('.obj-pass').count(), 0);
  // Once it can be downloaded, the next command fetches it, and the scenario is graded.
  blocked = false;
  const again = await page.evaluate(() => window.kmsLab.run('echo $KEY_ID'));
  assert.equal(again.stdout, keyId.stdout, 'the saved session came back');
  await objectives.locator('.obj-fail, .obj-pass').first().waitFor();
  assert.equal(await objectives.getByText('could not be downloaded').count(), 0);
  assert.equal(await objectives.locator('.obj-pending').count(), 0);
  await context.close();
});

// Shared steps of the console tests (services_console, services_at_rest, console_only): act by
// clicking what a learner sees and read the flash it produced, open pages by their hash, and
// take screenshots at desktop and phone widths that must never scroll sideways.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { waitForApp, shotPath } from './harness.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** A line through the script API: set-up and assertions only, never a console step. */
export const run = (page, line) => page.evaluate((l) => window.kmsLab.run(l), line);

/** Opens the lab at `base` at `width` px and waits until its script API is there. */
export async function openLab(page, base, width = 1280) {
  await page.setViewportSize({ width, height: 900 });
  await page.goto(base + '#/');
  await waitForApp(page);
  await page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
}

/** Opens a page through its hash and waits for its heading. */
export async function visit(page, hash, heading) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.waitForFunction((heading) => {
    const h1 = document.querySelector('main h1');
    return h1 && h1.textContent.includes(heading);
  }, heading, { timeout: 10000 });
}

/**
 * Clicks an action and returns the flash it produced: { ok, text }. An earlier flash is
 * dismissed first (by a script click: an open dialog covers it, as the console's modal does), so
 * the one read is this action's.
 */
export async function act(page, selector) {
  if (await page.locator('[data-testid=flash]').count()) {
    await page.evaluate(() => document.querySelector('[data-testid=flash] .flash-close').click());
    await page.waitForSelector('[data-testid=flash]', { state: 'detached' });
  }
  await page.click(selector);
  const flash = page.locator('[data-testid=flash]');
  await flash.waitFor();
  return { ok: (await flash.getAttribute('class')).includes('flash-ok'), text: await flash.textContent() };
}

/** An action that must succeed; the flash's text. */
export async function succeed(page, selector) {
  const r = await act(page, selector);
  assert.ok(r.ok, `${selector}: ${r.text}`);
  return r.text;
}

/** The names of the events in event history, newest first. */
export const events = async (page) =>
  (await run(page, "aws cloudtrail lookup-events --query 'Events[].EventName' --output text")).stdout;

/** `shots(page, name)`: screenshots `PREFIX-name-desktop|mobile` at 1280 and 390 px, asserting the page never scrolls sideways. */
export function screenshotsFor(prefix) {
  return async function shots(page, name) {
    for (const [width, suffix] of [[1280, 'desktop'], [390, 'mobile']]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(50);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `${name} at ${width}px scrolls sideways by ${wide}px`);
      await page.screenshot({ path: shotPath(`${prefix}-${name}-${suffix}`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };
}

/** A refusal: AWS's code (and `message`, when given) in the flash, and its Why? card opens. */
export async function refused(page, selector, code, message) {
  const r = await act(page, selector);
  assert.equal(r.ok, false, `${selector} should fail: ${r.text}`);
  assert.match(r.text, code);
  if (message) assert.match(r.text, message);
  await page.click('[data-testid=flash] [data-testid=why]');
  await page.waitForSelector('[data-testid=why-card]');
  return r.text;
}

/** A customer managed key made with the console's Create key wizard (the default policy); its id. */
export async function consoleKey(page, alias) {
  await visit(page, '#/kms/create-key', 'Create key');
  await page.waitForSelector('[data-testid=wizard-step-1]');
  await page.click('[data-testid=wizard-next]');
  await page.fill('input[aria-label=Alias]', alias);
  for (let i = 0; i < 3; i += 1) await page.click('[data-testid=wizard-next]');
  await page.waitForSelector('[data-testid=wizard-step-5]');
  await page.click('[data-testid=create-key]');
  await page.waitForSelector('[data-testid=policy-default-view]');
  return page.evaluate(() => location.hash.split('/').pop());
}

/** axe-core's serious and critical violations on the page as it is, one line each. */
export async function axeProblems(page, where) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
    .violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) })));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${where}: [${v.impact}] ${v.id} at ${n}`));
}

/** Starts scenario `id` from its page (the lab served at `base`), as a learner does. */
export async function startScenario(page, base, id) {
  await page.goto(base + `#/scenarios/${id}`);
  await waitForApp(page);
  await page.click('[data-testid=start-scenario]');
  await page.waitForSelector('[data-testid=objectives]');
}

/** A recorded scenario variable as the scenario page shows it. */
export async function scenarioVar(page, name) {
  const text = await page.textContent('[data-testid=scenario-vars]');
  return new RegExp(`\\$${name} = (\\S+)`).exec(text)[1];
}

/** Back on the scenario page through the navigation: every objective passes (N/N); a screenshot. */
export async function finished(page, id) {
  await page.click('nav.side-nav a[href$="#/scenarios"]');
  await page.click(`a[href$="#/scenarios/${id}"]`);
  await page.waitForSelector('[data-testid=objectives]');
  try {
    await page.waitForSelector('[data-testid=debrief]', { timeout: 20000 });
  } catch (e) {
    await page.screenshot({ path: shotPath(`console-only-${id}-failed`), fullPage: true });
    throw new Error(`${id}: ${await page.textContent('[data-testid=objectives]')}`);
  }
  const total = await page.locator('[data-testid=objectives] li').count();
  assert.ok(total > 0);
  assert.equal(await page.locator('[data-testid=objectives] .obj-pass').count(), total, `${id}: N/N`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 1, `${id}: the page is ${wide}px wider than the screen`);
  await page.screenshot({ path: shotPath(`console-only-${id}-desktop`), fullPage: true });
}

/** Signs in as another profile with the top bar's selector. */
export async function signInAs(page, profile) {
  await page.selectOption('select[data-testid=profile]', profile);
  await page.waitForFunction((p) => document.querySelector('select[data-testid=profile]')?.value === p, profile);
}

/** The ids (radio values) of a table's rows whose text matches `re`. */
export const rowIds = (page, table, re) => page.evaluate(({ table, src }) => {
  const re = new RegExp(src);
  return [...document.querySelectorAll(`[data-testid=${table}] tbody tr`)]
    .filter((tr) => re.test(tr.textContent))
    .map((tr) => tr.querySelector('input[type=radio]')?.value);
}, { table, src: re.source });

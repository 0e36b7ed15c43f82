// Shared steps of the console tests (services_console, services_at_rest, console_only): act by
// clicking what a learner sees and read the flash it produced, open pages by their hash, and
// take screenshots at desktop and phone widths that must never scroll sideways.
import assert from 'node:assert/strict';
import { waitForApp, shotPath } from './harness.js';

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

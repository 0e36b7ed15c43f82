// Shared harness: a static server for the release bundle (under a sub-path, as study sites host it)
// and Debian's Chromium driven by playwright-core.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..', '..');
export const dist = process.env.KMSLAB_DIST || path.join(root, 'dist');
export const screenshots = path.join(root, 'target', 'screenshots');
export const SUBPATH = '/labs/kms/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

/** Serves dist/ at SUBPATH on 127.0.0.1 with a free port. Resolves to { server, base }. */
export function serveDist() {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error(`no release bundle at ${dist}: run \`cargo xtask dist\` first`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404); res.end('not found'); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)) || 'index.html';
    const file = path.normalize(path.join(dist, rel));
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404); res.end('not found'); return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, base: `http://127.0.0.1:${port}${SUBPATH}` });
    });
  });
}

export async function launch() {
  // Playwright gives each launch a fresh, empty profile directory (the "fresh --user-data-dir").
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A page that records console errors and uncaught exceptions (a Rust panic lands in both). */
export async function newPage(browser, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  return { context, page, problems };
}

/** Waits until the app has mounted (the boot placeholder is gone and the shell is there). */
export async function waitForApp(page) {
  await page.waitForSelector('.shell', { timeout: 30000 });
}

export function shotPath(name) {
  fs.mkdirSync(screenshots, { recursive: true });
  return path.join(screenshots, `${name}.png`);
}

/** Types a line into the terminal on the page and waits until its entry is shown; returns it. */
export async function type(page, line) {
  const before = await page.locator('.term-entry').count();
  await page.fill('#term-input', line);
  await page.press('#term-input', 'Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.term-entry').length !== n, before);
  return page.locator('.term-entry').last();
}

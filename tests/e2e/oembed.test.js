// oEmbed (issue #15 item 4): `cargo xtask oembed` (what `cargo xtask dist [--base-url URL]` runs
// after the build) writes a valid oEmbed `rich` response and a discovery page per scenario, with
// absolute URLs under --base-url and relative ones without; a CMS that follows the discovery link
// and pastes the response's html gets a working embed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, launch, newPage, root } from './harness.js';

const scenariosDir = path.join(root, 'crates', 'lab', 'scenarios');
const scenarios = fs.readdirSync(scenariosDir)
  .filter((id) => fs.existsSync(path.join(scenariosDir, id, 'scenario.json')))
  .sort()
  .map((id) => ({ id, title: JSON.parse(fs.readFileSync(path.join(scenariosDir, id, 'scenario.json'), 'utf8')).title }));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kmslab-oembed-'));

/** Runs `cargo xtask oembed` into a fresh directory; returns it. */
function generate(name, baseUrl) {
  const out = path.join(tmp, name);
  const args = ['xtask', 'oembed', '--out', out];
  if (baseUrl) args.push('--base-url', baseUrl);
  execFileSync(process.env.CARGO || 'cargo', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return out;
}

/** The attributes of the first tag named `tag` whose attributes match `where`. */
function findTag(html, tag, where) {
  for (const m of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attrs = Object.fromEntries([...m[1].matchAll(/([a-z:-]+)="([^"]*)"/gi)].map((a) => [a[1].toLowerCase(), a[2]]));
    if (Object.entries(where).every(([k, v]) => attrs[k] === v)) return attrs;
  }
  return null;
}

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

let absolute; let relative;
before(() => {
  absolute = generate('absolute', 'http://example.test/kms'); // normalised to .../kms/
  relative = generate('relative');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('oEmbed: one valid rich response per scenario, absolute under --base-url', () => {
  const files = fs.readdirSync(path.join(absolute, 'oembed')).sort();
  assert.deepEqual(files, scenarios.map((s) => `${s.id}.json`));
  for (const { id, title } of scenarios) {
    const o = JSON.parse(fs.readFileSync(path.join(absolute, 'oembed', `${id}.json`), 'utf8'));
    assert.equal(o.version, '1.0');
    assert.equal(o.type, 'rich');
    assert.equal(o.title, title);
    assert.equal(o.provider_name, 'KMS Lab');
    assert.equal(o.provider_url, 'http://example.test/kms/');
    assert.ok(Number.isInteger(o.width) && o.width >= 320, `${id}: width`);
    assert.ok(Number.isInteger(o.height) && o.height >= 480, `${id}: height`);
    const iframe = findTag(o.html, 'iframe', {});
    assert.ok(iframe, `${id}: html is an iframe`);
    assert.equal(iframe.src, `http://example.test/kms/#/embed/scenario/${id}`);
    assert.equal(Number(iframe.width), o.width);
    assert.equal(Number(iframe.height), o.height);
    assert.ok(unescape(iframe.title).includes(title), `${id}: the iframe has a title`);
    assert.doesNotMatch(o.html, /<script/i, 'rich html stays a bare iframe (CMSs strip scripts)');
  }
});

test('oEmbed: each discovery page links its JSON and opens the scenario', () => {
  for (const { id, title } of scenarios) {
    const html = fs.readFileSync(path.join(absolute, 's', `${id}.html`), 'utf8');
    const link = findTag(html, 'link', { rel: 'alternate', type: 'application/json+oembed' });
    assert.ok(link, `${id}: discovery link`);
    assert.equal(link.href, `http://example.test/kms/oembed/${id}.json`);
    assert.equal(unescape(link.title), title);
    assert.equal(findTag(html, 'link', { rel: 'canonical' })?.href, `http://example.test/kms/s/${id}.html`);
    assert.equal(findTag(html, 'a', { id: 'open' })?.href, `http://example.test/kms/#/scenarios/${id}`);
    assert.ok(html.includes(`<title>${title.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;')} · KMS Lab</title>`), `${id}: title`);
  }
});

test('oEmbed: without --base-url the files hold relative URLs', () => {
  for (const { id } of scenarios) {
    const o = JSON.parse(fs.readFileSync(path.join(relative, 'oembed', `${id}.json`), 'utf8'));
    assert.equal(o.provider_url, '../');
    assert.equal(findTag(o.html, 'iframe', {}).src, `../#/embed/scenario/${id}`);
    const html = fs.readFileSync(path.join(relative, 's', `${id}.html`), 'utf8');
    assert.equal(findTag(html, 'link', { rel: 'alternate', type: 'application/json+oembed' }).href, `../oembed/${id}.json`);
    assert.equal(findTag(html, 'link', { rel: 'canonical' }), null, 'no canonical URL without a base');
    assert.equal(findTag(html, 'a', { id: 'open' }).href, `../#/scenarios/${id}`);
  }
});

test('oEmbed: bad --base-url values are refused', () => {
  for (const bad of ['example.test/kms/', 'ftp://example.test/', 'http://example.test/kms/?a=1', '/kms/']) {
    assert.throws(() => execFileSync(process.env.CARGO || 'cargo',
      ['xtask', 'oembed', '--out', path.join(tmp, 'bad'), '--base-url', bad], { cwd: root, stdio: 'pipe' }),
    `--base-url ${bad} is refused`);
  }
});

test('oEmbed in a browser: the discovery page opens the scenario; a consumer on another origin follows discovery and embeds it', async () => {
  const { server: labServer, base: labBase } = await serveDist();
  // The oEmbed files for where the lab really is, served beside the bundle.
  const files = generate('served', labBase);
  // The generated URLs name this server's port: it serves oembed/ and s/ from the generated
  // files (with CORS, as a CMS in a browser would need) and everything else from the bundle.
  const original = labServer.listeners('request')[0];
  labServer.removeAllListeners('request');
  labServer.on('request', (req, res) => {
    const rel = decodeURIComponent(new URL(req.url, labBase).pathname).replace(/^\/labs\/kms\//, '');
    const file = path.normalize(path.join(files, rel));
    if ((rel.startsWith('oembed/') || rel.startsWith('s/')) && file.startsWith(files) && fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': rel.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8',
        'access-control-allow-origin': '*' });
      fs.createReadStream(file).pipe(res);
    } else {
      original(req, res);
    }
  });
  const consumer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><meta charset="utf-8"><title>A CMS</title></head><body><div id="post"></div></body></html>');
  });
  await new Promise((r) => consumer.listen(0, '127.0.0.1', r));
  const consumerBase = `http://127.0.0.1:${consumer.address().port}/`;
  const browser = await launch();
  try {
    const { context, page } = await newPage(browser, { width: 1000, height: 800 });
    const id = 'key-rotation';
    // A person opening the shared link lands on the scenario in the full lab.
    await page.goto(`${labBase}s/${id}.html`);
    await page.waitForURL(`${labBase}#/scenarios/${id}`);

    // A CMS: fetch the page, find the discovery link, fetch the response, paste its html.
    await page.goto(consumerBase);
    const embedded = await page.evaluate(async (pageUrl) => {
      const readyFrom = new Promise((resolve) => window.addEventListener('message', (e) => {
        if (e.data && e.data.kmslab === 1 && e.data.type === 'ready') resolve({ origin: e.origin, route: e.data.route });
      }));
      const html = await (await fetch(pageUrl)).text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const href = doc.querySelector('link[rel=alternate][type="application/json+oembed"]').href;
      const o = await (await fetch(href)).json();
      document.getElementById('post').innerHTML = o.html;
      const ready = await Promise.race([readyFrom, new Promise((r) => setTimeout(() => r(null), 30000))]);
      return { href, type: o.type, src: document.querySelector('#post iframe').src, ready };
    }, `${labBase}s/${id}.html`);
    assert.equal(embedded.href, `${labBase}oembed/${id}.json`);
    assert.equal(embedded.type, 'rich');
    assert.equal(embedded.src, `${labBase}#/embed/scenario/${id}`);
    assert.ok(embedded.ready, 'the pasted iframe loaded the lab, which said ready to the consumer\'s origin');
    assert.equal(embedded.ready.origin, new URL(labBase).origin);
    await context.close();
  } finally {
    await browser.close();
    consumer.close();
    labServer.close();
  }
});

import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
const dist = process.env.D;
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(req.url.split('?')[0]); if (p === '/') p = '/index.html';
  const f = path.join(dist, p);
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  const t = f.endsWith('.wasm') ? 'application/wasm' : f.endsWith('.js') ? 'text/javascript' : f.endsWith('.css') ? 'text/css' : f.endsWith('.json') ? 'application/json' : 'text/html';
  res.writeHead(200, { 'content-type': t }); fs.createReadStream(f).pipe(res);
}).listen(0);
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base + '#/terminal');
await page.waitForFunction(() => window.kmsLab && window.kmsLab.ready);
await page.evaluate(async () => { await window.kmsLab.ready; await window.kmsLab.run('aws kms create-key'); for (let i = 0; i < 10; i++) await window.kmsLab.run('aws kms list-keys'); });
await page.waitForTimeout(2500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
await cdp.send('Profiler.start');
await page.reload();
await page.waitForFunction(() => window.kmsLab && window.kmsLab.run);
const times = await page.evaluate(async () => { await window.kmsLab.ready; const out = []; for (let i = 0; i < 4; i++) { await new Promise((r) => setTimeout(r, 400)); const t = performance.now(); await window.kmsLab.run('aws kms list-keys'); out.push(Math.round(performance.now() - t)); } await new Promise((r) => setTimeout(r, 1500)); return out; });
const { profile } = await cdp.send('Profiler.stop');
console.log('times', times);
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of profile.nodes) for (const c of (n.children || [])) parent.set(c, n.id);
const counts = new Map();
for (let i = 0; i < profile.samples.length; i++) counts.set(profile.samples[i], (counts.get(profile.samples[i]) || 0) + (dt[i] || 0));
const incl = new Map(); const self = new Map();
for (const [id, us] of counts) { const nm0 = byId.get(id).callFrame.functionName || '(anon)'; self.set(nm0, (self.get(nm0) || 0) + us); let cur = id; const seen = new Set(); while (cur !== undefined) { const nm = byId.get(cur).callFrame.functionName || '(anon)'; if (!seen.has(nm)) { incl.set(nm, (incl.get(nm) || 0) + us); seen.add(nm); } cur = parent.get(cur); } }
console.log('--- self'); for (const [n, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((us / 1000).toFixed(1).padStart(8), n.slice(0, 140));
console.log('--- inclusive'); for (const [n, us] of [...incl.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log((us / 1000).toFixed(1).padStart(8), n.slice(0, 140));
await browser.close(); server.close();

// render.mjs: loads govtally's HTML reports in headless Chromium at given
// viewport widths and fails on what a reader would suffer: a page wider
// than the window (sideways scrolling), an element sticking out of it or
// scrolling inside it, text smaller than 11 CSS pixels as drawn (SVG text
// at its drawn size: its font size times the drawing's scale), a script or
// an outside URL in the rendered page. Saves a full-page screenshot of each.
//
// It speaks Chromium's DevTools protocol over a pipe (--remote-debugging-pipe:
// JSON messages ended by NUL on file descriptors 3 and 4), with no package:
// only node and the browser. The width is set by device-metrics emulation,
// as headless windows have a minimum width of their own.
//
// usage: node render.mjs BROWSER OUTDIR WIDTHS NAME=REPORT.html...
//   WIDTHS: comma separated, e.g. 1280,420; screenshots OUTDIR/NAME-W.png
// GVT_SHOT_PARTS=1 also saves the page in parts 1400 px tall, to look at.
// Exit 0 all good, 1 a check failed, 2 the browser could not be driven.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [browser, outdir, widthList, ...reports] = process.argv.slice(2);
if (!browser || !outdir || !widthList || reports.length === 0) {
  console.error('usage: node render.mjs BROWSER OUTDIR WIDTHS NAME=REPORT.html...');
  process.exit(2);
}
const widths = widthList.split(',').map(Number);
const MIN_TEXT_PX = 11;

const profile = mkdtempSync(join(tmpdir(), 'gvt-chromium-'));
const chrome = spawn(browser, [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-extensions', '--hide-scrollbars',
  '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let stderr = '';
chrome.stderr.on('data', (d) => { stderr += d; });
const toChrome = chrome.stdio[3];
const fromChrome = chrome.stdio[4];

const timer = setTimeout(() => {
  console.error('FAIL: Chromium did not finish within 120 s');
  finish(2);
}, 120000);

function finish(code) {
  clearTimeout(timer);
  try { chrome.kill('SIGKILL'); } catch { /* already gone */ }
  try { rmSync(profile, { recursive: true, force: true }); } catch { /* */ }
  process.exit(code);
}

let nextId = 1;
const pending = new Map();
const waiters = [];
let buffered = '';
fromChrome.on('data', (chunk) => {
  buffered += chunk.toString('utf8');
  let end;
  while ((end = buffered.indexOf('\0')) >= 0) {
    const msg = JSON.parse(buffered.slice(0, end));
    buffered = buffered.slice(end + 1);
    if (msg.id && pending.has(msg.id)) {
      const { ok, fail } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) fail(new Error(`${msg.error.message} (${msg.error.code})`));
      else ok(msg.result);
    } else if (msg.method) {
      for (let i = waiters.length - 1; i >= 0; i--) {
        const w = waiters[i];
        if (w.method === msg.method && w.session === msg.sessionId) {
          waiters.splice(i, 1);
          w.ok(msg.params);
        }
      }
    }
  }
});
chrome.on('exit', (code) => {
  if (pending.size) {
    console.error(`FAIL: Chromium exited (${code}) while driven:\n${stderr.slice(-2000)}`);
    finish(2);
  }
});

function send(method, params = {}, sessionId) {
  const id = nextId++;
  const msg = { id, method, params };
  if (sessionId) msg.sessionId = sessionId;
  return new Promise((ok, fail) => {
    pending.set(id, { ok, fail });
    toChrome.write(JSON.stringify(msg) + '\0');
  });
}

function once(method, session) {
  return new Promise((ok) => waiters.push({ method, session, ok }));
}

// Evaluated in the page: every problem found, as strings.
const CHECKS = `(() => {
  const vw = window.innerWidth, de = document.documentElement;
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  if (de.scrollWidth > vw)
    out.push('the page is ' + de.scrollWidth + ' px wide in a ' + vw + ' px window');
  let texts = 0, smallest = 1e9;
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    if (el.closest('title')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 0.5 || r.left < -0.5)
      out.push(name(el) + ' spans ' + r.left.toFixed(1) + '..' + r.right.toFixed(1) + ' px');
    if (cs.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
      out.push(name(el) + ' scrolls sideways (' + el.scrollWidth + ' > ' + el.clientWidth + ' px)');
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    let size = parseFloat(cs.fontSize);
    if (el instanceof SVGElement && el.getScreenCTM) {
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    texts++;
    smallest = Math.min(smallest, size);
    if (size < ${MIN_TEXT_PX} - 0.01)
      out.push(name(el) + ' has text of ' + size.toFixed(2) + ' px');
  }
  for (const sel of ['#title', '#verdict', '#scores-chart .bar', '#lorenz path',
                     '#top-voters', 'footer'])
    if (!document.querySelector(sel)) out.push('the page lacks ' + sel);
  if (document.querySelector('script, iframe, object, embed, img, link, a'))
    out.push('the page holds a script, frame, image, link or anchor');
  // Text may quote a URL; no attribute or style may point anywhere.
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes)
      if (/https?:|url\\(|^\\s*\\/\\//i.test(a.value))
        out.push(name(el) + ' has ' + a.name + '="' + a.value.slice(0, 60) + '"');
  for (const st of document.querySelectorAll('style'))
    if (/url\\(|@import/i.test(st.textContent))
      out.push('the style sheet loads something');
  return { problems: out, texts, smallest, height: de.scrollHeight };
})()`;

async function render(targetSession, file, width) {
  await send('Emulation.setDeviceMetricsOverride',
    { width, height: 900, deviceScaleFactor: 1, mobile: false }, targetSession);
  const loaded = once('Page.loadEventFired', targetSession);
  await send('Page.navigate', { url: pathToFileURL(resolve(file)).href }, targetSession);
  await loaded;
  const r = await send('Runtime.evaluate',
    { expression: CHECKS, returnByValue: true }, targetSession);
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
  const res = r.result.value;
  await send('Emulation.setDeviceMetricsOverride',
    { width, height: Math.min(res.height, 16000), deviceScaleFactor: 1, mobile: false },
    targetSession);
  const shot = await send('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true,
    clip: { x: 0, y: 0, width, height: Math.min(res.height, 16000), scale: 1 },
  }, targetSession);
  const parts = [];
  for (let y = 0; process.env.GVT_SHOT_PARTS && y < res.height; y += 1400) {
    const part = await send('Page.captureScreenshot', {
      format: 'png', captureBeyondViewport: true,
      clip: { x: 0, y, width, height: Math.min(1400, res.height - y), scale: 1 },
    }, targetSession);
    parts.push(Buffer.from(part.data, 'base64'));
  }
  return { ...res, png: Buffer.from(shot.data, 'base64'), parts };
}

let failed = 0;
try {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  await send('Page.enable', {}, sessionId);
  for (const spec of reports) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq), file = spec.slice(eq + 1);
    for (const w of widths) {
      const res = await render(sessionId, file, w);
      const png = join(outdir, `${name}-${w}.png`);
      writeFileSync(png, res.png);
      res.parts.forEach((p, k) => writeFileSync(join(outdir, `${name}-${w}-part${k + 1}.png`), p));
      if (res.problems.length) {
        failed++;
        console.log(`FAIL ${name} at ${w} px:`);
        for (const p of res.problems.slice(0, 20)) console.log(`  ${p}`);
        if (res.problems.length > 20) console.log(`  ... ${res.problems.length - 20} more`);
      } else {
        console.log(`ok ${name} at ${w} px: ${res.texts} text elements, smallest ` +
          `${res.smallest.toFixed(1)} px, page ${res.height} px tall, ${res.png.length}-byte screenshot`);
      }
    }
  }
} catch (e) {
  console.error(`FAIL: driving Chromium: ${e.message}\n${stderr.slice(-2000)}`);
  finish(2);
}
finish(failed ? 1 : 0);

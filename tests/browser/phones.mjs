#!/usr/bin/env node
// Phone-width check for a site built by stave (WCAG 1.4.10 Reflow, and legible text).
//
// Serves a built site on 127.0.0.1 (see serve.mjs), opens each page in headless
// Chromium as a phone at 320 and 390 CSS px wide, and fails a page when
//   - the page as a whole scrolls sideways: document.documentElement.scrollWidth
//     is wider than the viewport (a wide table may scroll inside its own box);
//     the report names the elements that stick out;
//   - any visible text is drawn smaller than 11 px: an HTML element's computed
//     font-size, and for SVG text its font-size times the SVG's scaling on screen
//     (getScreenCTM), so a chart that shrinks to fit is caught.
//
// Usage:
//   node phones.mjs --root DIR [--prefix /hub/] [--port N] --all
//   node phones.mjs --root DIR [--prefix /hub/] [--port N] PAGE_PATH...
//
// With --all every index.html under DIR is checked, plus the 404 page. The site
// must have been built with base_url http://127.0.0.1:PORT/PREFIX.
//
// Other options:
//   --widths 320,390    viewport widths in CSS px
//   --min-px 11         smallest text size allowed, in CSS px
//   --timeout SECONDS   overall limit (default 600); the run fails past it
//   --concurrency N     pages checked at once (default 2)
//   --chromium PATH     browser binary (default $CHROMIUM_PATH or /usr/bin/chromium)
//
// Ends with `phones: N page loads passed, M failed (P pages at W1 and W2 px)` and
// exits 1 if any page fails, could not be loaded, or Chromium could not start.

import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  clip,
  keepLocal,
  launchChromium,
  listPages,
  loadChromium,
  parseOptions,
  PAGE_TIMEOUT_MS,
  runPool,
  startServer,
} from './serve.mjs';

// Phone heights for each width (iPhone SE 1st gen, iPhone 12-15); other widths get 800.
const HEIGHTS = { 320: 568, 390: 844 };
// Offenders listed per kind on one page; the rest are counted.
const LIST_MAX = 8;

function usage(msg) {
  if (msg) console.error(`phones: ${msg}`);
  console.error(
    'usage: node phones.mjs --root DIR [--prefix /sub/path/] [--port N] [--widths 320,390] [--min-px 11]\n' +
      '                       [--timeout SECONDS] [--concurrency N] [--chromium PATH] (--all | PAGE_PATH...)',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = parseOptions(argv, { all: false, widths: [320, 390], minPx: 11, concurrency: 2 }, usage);
  if (opts.widths.length === 0 || !opts.widths.every((w) => Number.isInteger(w) && w > 0)) usage('bad --widths');
  if (!(opts.minPx > 0)) usage('bad --min-px');
  if (!opts.all && opts.pages.length === 0) usage('give --all or at least one PAGE_PATH');
  return opts;
}

// ---------------------------------------------------------------- checks ---

// Runs in the page: what sticks out sideways and which visible text is too small.
function measure({ minPx, listMax }) {
  const doc = document.documentElement;
  const viewport = doc.clientWidth; // the viewport less any classic scrollbar

  function describe(el) {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
      let s = e.localName;
      if (e.id) {
        parts.unshift(`${s}#${e.id}`);
        break;
      }
      const cls = typeof e.className === 'string' ? e.className.trim().split(/\s+/).filter(Boolean) : [];
      if (cls.length) s += '.' + cls.slice(0, 2).join('.');
      parts.unshift(s);
    }
    return parts.join(' > ');
  }

  // Hidden from sight though laid out: clipped away like .visually-hidden, or inside a
  // collapsed box that hides its overflow. Remembered per element: text shares ancestors.
  const hiddenMemo = new Map();
  function hidden(el) {
    if (!el || el.nodeType !== 1) return false;
    if (hiddenMemo.has(el)) return hiddenMemo.get(el);
    const cs = getComputedStyle(el);
    const h =
      cs.display === 'none' ||
      cs.visibility === 'hidden' ||
      Number(cs.opacity) === 0 ||
      (cs.clip && cs.clip !== 'auto') ||
      (cs.clipPath && cs.clipPath !== 'none') ||
      (cs.overflow !== 'visible' && !(el instanceof SVGElement) && (el.clientWidth <= 1 || el.clientHeight <= 1)) ||
      hidden(el.parentElement);
    hiddenMemo.set(el, h);
    return h;
  }

  // Elements whose right edge is past the viewport and that no ancestor clips or scrolls:
  // they make the whole page scroll. Each outermost one is listed with the innermost one
  // inside it (usually the cause: a long word, an image, a table), identical lines once.
  const wide = new Map();
  if (doc.scrollWidth > viewport) {
    const sticksOut = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > viewport + 0.5;
    };
    const contained = (el) => {
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        if (getComputedStyle(e).overflowX !== 'visible') return true;
      }
      return false;
    };
    const outer = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    for (let el = walker.nextNode(); el; el = walker.nextNode()) {
      if (outer.some((p) => p.contains(el)) || !sticksOut(el) || contained(el)) continue;
      outer.push(el);
      let inner = el;
      for (let next = el; next; ) {
        inner = next;
        next = [...inner.children].find(sticksOut);
      }
      const right = Math.round(el.getBoundingClientRect().right + scrollX);
      const line = `${describe(el)} (right edge at ${right} px)` + (inner === el ? '' : `, inside it ${describe(inner)}`);
      wide.set(line, (wide.get(line) || 0) + 1);
    }
  }
  const wideLines = [...wide].map(([line, n]) => (n > 1 ? `${line} (${n} times)` : line));

  // Every visible text node, with the size it is drawn at.
  const small = [];
  let smallCount = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!el || seen.has(el) || !t.data.trim()) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'TITLE', 'DESC'].includes(el.tagName.toUpperCase())) continue;
    if (el instanceof SVGElement && (el.closest('title') || el.closest('desc'))) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const box = range.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || hidden(el)) continue;
    seen.add(el);
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      // SVG text is drawn at its font-size in user units times the SVG's scale on screen.
      const m = (el.closest('text') || el).getScreenCTM();
      if (m) px *= Math.min(Math.hypot(m.a, m.b), Math.hypot(m.c, m.d));
    }
    if (px < minPx - 0.01) {
      smallCount++;
      if (small.length < listMax) small.push(`${describe(el)} "${t.data.trim().slice(0, 40)}" drawn at ${px.toFixed(1)} px`);
    }
  }
  return { scrollWidth: doc.scrollWidth, viewport, innerWidth, wide: wideLines.slice(0, listMax), wideCount: wideLines.length, small, smallCount };
}

// A phone of one width: a browser context and tab, reused from page to page (a fresh
// context for every page costs more than the check itself).
async function openPhone(browser, origin, width) {
  const context = await browser.newContext({
    viewport: { width, height: HEIGHTS[width] ?? 800 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 1,
    serviceWorkers: 'block',
  });
  const warnings = [];
  await keepLocal(context, origin, warnings);
  const tab = await context.newPage();
  tab.setDefaultTimeout(PAGE_TIMEOUT_MS);
  tab.on('pageerror', (err) => warnings.push(`script error: ${clip(err.message, 200)}`));
  return { width, context, tab, warnings };
}

async function checkOnPhone(phone, origin, page, opts) {
  const problems = [];
  phone.warnings.length = 0;
  const done = () => ({ problems, warnings: [...new Set(phone.warnings)] });
  try {
    const resp = await phone.tab.goto(origin + page.url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    const status = resp ? resp.status() : 0;
    if (page.expectStatus !== null && status !== page.expectStatus) {
      problems.push(`expected HTTP ${page.expectStatus} but got ${status}`);
      return done();
    }
    await phone.tab.evaluate(() => (document.fonts ? document.fonts.ready.then(() => true) : true));
    const m = await phone.tab.evaluate(measure, { minPx: opts.minPx, listMax: LIST_MAX });
    if (m.scrollWidth > m.viewport || m.innerWidth > phone.width) {
      problems.push(
        `page scrolls sideways: content is ${m.scrollWidth} px wide in a ${m.viewport} px viewport` +
          (m.innerWidth > phone.width ? ` (zoomed out to ${m.innerWidth} px)` : ''),
      );
      for (const w of m.wide) problems.push(`  sticks out: ${w}`);
      if (m.wideCount > m.wide.length) problems.push(`  and ${m.wideCount - m.wide.length} more`);
    }
    if (m.smallCount > 0) {
      problems.push(`${m.smallCount} text element(s) drawn under ${opts.minPx} px:`);
      for (const s of m.small) problems.push(`  ${s}`);
      if (m.smallCount > m.small.length) problems.push(`  and ${m.smallCount - m.small.length} more`);
    }
  } catch (err) {
    problems.push(`could not check: ${clip(err.message, 400)}`);
  }
  return done();
}

// ------------------------------------------------------------------ main ---

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let pageCount = 0;
  let browser = null;
  let server = null;

  const deadline = setTimeout(() => {
    console.error(`phones: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    console.log(`phones: ${passed} page loads passed, ${failed + 1} failed`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();

  try {
    if (!existsSync(opts.root)) throw new Error(`--root ${opts.root} does not exist`);
    const chromium = await loadChromium();
    const pages = await listPages(opts.root, opts.prefix, opts.all, opts.pages, 'phones-check-no-such-page/');
    if (pages.length === 0) throw new Error(`no pages to check (no index.html under ${opts.root})`);
    pageCount = pages.length;

    server = await startServer(opts.root, opts.prefix, opts.port, 'phones');
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium(chromium, opts.chromium);
    console.log(`phones: checking ${pages.length} page(s) at ${origin}${opts.prefix} at ${opts.widths.join(' and ')} px wide`);

    // Each worker takes a set of phones (one per width) while it checks a page.
    const idle = [];
    await runPool(pages, opts.concurrency, async (page) => {
      const phones = idle.pop() || new Map();
      const lines = [];
      for (const width of opts.widths) {
        if (!phones.has(width)) phones.set(width, await openPhone(browser, origin, width));
        const r = await checkOnPhone(phones.get(width), origin, page, opts);
        if (r.problems.length > 0) failed++;
        else passed++;
        for (const p of r.problems) lines.push(`  [${width} px] ${p}`);
        for (const w of [...new Set(r.warnings)]) lines.push(`  [${width} px] warning: ${w}`);
      }
      idle.push(phones);
      const bad = lines.some((l) => !l.includes('] warning: '));
      console.log([`${bad ? 'FAIL' : 'ok  '} ${page.label}`, ...lines].join('\n'));
    });
  } catch (err) {
    console.error(`phones: ${err.message}`);
    failed++;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.close();
    clearTimeout(deadline);
  }

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`phones: done in ${secs}s`);
  console.log(`phones: ${passed} page loads passed, ${failed} failed (${pageCount} pages at ${opts.widths.join(' and ')} px)`);
  process.exit(failed > 0 ? 1 : 0);
}

main();

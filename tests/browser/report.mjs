#!/usr/bin/env node
// Browser check of the staff report that `stave report` writes (tests/report.rs runs it).
//
// Opens report.html from disk (a file:// URL, as staff open it) in headless Chromium, one
// launch, and checks it as a person would use it:
//   - nothing but report.html itself is requested (every other request, local or not, is
//     blocked and fails the run): the page needs no network, font, image or other file;
//   - with JavaScript disabled, at 320 CSS px wide: the page does not scroll sideways (a wide
//     table scrolls in its own box), body text is at least 16 px and no text under 13 px;
//     the "Contents" navigation is found by its name and its "Due a visit" link brings that
//     heading into view; a table is found by its region's label and a school's row by its row
//     header, with the cells expected under each column heading; printing hides the
//     navigation (and the screen shows it), and printed on A4 portrait no table is wider
//     than the page (Chromium would shrink every page to fit it; other browsers cut it off);
//   - axe-core (WCAG 2.0/2.1/2.2 A and AA) finds no violation at 1280 px and at 320 px. axe
//     needs timers, and a timer set in a context with JavaScript disabled brings Chromium
//     down, so axe runs in a second context with JavaScript on, after checking the page has
//     no script of its own (so the page a reader without JavaScript gets is the one axe sees).
//
// Usage:
//   node report.mjs --root REPORT_DIR [--expect JSON] [--timeout SECONDS] [--chromium PATH]
//
// REPORT_DIR holds report.html. --expect says what to find (tests/report.rs passes its
// fixture's facts): {"due": HEADING_START, "tables": [{"region": LABEL, "rows": [SCHOOL, ...],
// "cells": {SCHOOL: {COLUMN: TEXT}}}]}; rows are the row headers' school names, in order.
// (--prefix and --port, which the harness passes to every script, are accepted and unused.)
//
// Prints one line per check (`ok` or `FAIL`), ends with `report: N checks passed, M failed`
// and exits 1 if any check failed or Chromium could not start.

import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { AXE_TAGS, check, escapeRe, finish, step } from './checks.mjs';
import { clip, launchChromium, loadAxe, loadChromium, PAGE_TIMEOUT_MS, parseOptions } from './serve.mjs';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 320, height: 568 };
const BODY_MIN_PX = 16;
const TEXT_MIN_PX = 13;
const A4_PX = 718;
const ACTION_TIMEOUT_MS = 5_000;

function usage(msg) {
  if (msg) console.error(`report: ${msg}`);
  console.error('usage: node report.mjs --root REPORT_DIR [--expect JSON] [--timeout SECONDS] [--chromium PATH]');
  process.exit(2);
}

const opts = parseOptions(process.argv.slice(2), { expect: '' }, usage);
if (opts.pages.length > 0) usage(`unknown argument ${opts.pages[0]}`);
let expect;
try {
  expect = { due: 'Due a visit', tables: [], ...(opts.expect ? JSON.parse(opts.expect) : {}) };
} catch (err) {
  usage(`--expect is not JSON: ${err.message}`);
}

const file = path.join(opts.root, 'report.html');
const pageUrl = pathToFileURL(file).href;
// Every request made, and those other than the page itself.
const requested = [];
const others = [];

// A browser context whose every request but the page's is blocked and recorded.
async function openView(browser, viewport, { js, mobile }) {
  const context = await browser.newContext({
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: 1,
    javaScriptEnabled: js,
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === pageUrl) return route.continue();
    others.push(u);
    return route.abort('blockedbyclient');
  });
  const tab = await context.newPage();
  // Everything is on the page once it has loaded: what is not found soon is missing.
  tab.setDefaultTimeout(ACTION_TIMEOUT_MS);
  tab.on('request', (r) => {
    requested.push(r.url());
    if (r.url() !== pageUrl && !others.includes(r.url())) others.push(r.url());
  });
  const resp = await tab.goto(pageUrl, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  if (!resp || !resp.ok()) throw new Error(`could not open ${pageUrl}: ${resp ? resp.status() : 'no response'}`);
  return { context, tab };
}

// Runs in the page: what sticks out at the page's width, and text sizes.
function measure({ bodyMin, textMin }) {
  const doc = document.documentElement;
  const describe = (el) => el.localName + (el.id ? `#${el.id}` : '') + (el.className ? `.${String(el.className).split(' ')[0]}` : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    let clipped = false;
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') clipped = true;
    }
    if (r.width > 0 && r.right > doc.clientWidth + 0.5 && !clipped) wide.push(`${describe(el)} (right edge at ${Math.round(r.right)} px)`);
  }
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  // Running text: the body's own size, and paragraphs and list items of prose (not the
  // smaller note naming each list's CSV file).
  const bodySmall = [document.body, ...document.querySelectorAll('p:not(.file), li')]
    .filter((el) => el.getClientRects().length > 0 && px(el) < bodyMin - 0.01)
    .map((el) => `${describe(el)} "${clip(el.textContent, 40)}" at ${px(el).toFixed(1)} px`);
  const small = [];
  const sizes = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.data.trim() || el.getClientRects().length === 0) continue;
    const size = px(el);
    sizes.set(size, (sizes.get(size) || 0) + t.data.trim().length);
    if (size < textMin - 0.01 && small.length < 8) small.push(`${describe(el)} "${clip(t.data, 40)}" at ${size.toFixed(1)} px`);
  }
  function clip(s, n) {
    const one = String(s).replace(/\s+/g, ' ').trim();
    return one.length > n ? one.slice(0, n - 1) + '…' : one;
  }
  return {
    scrollWidth: doc.scrollWidth,
    clientWidth: doc.clientWidth,
    wide: wide.slice(0, 8),
    bodySmall,
    small,
    sizes: [...sizes].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s.toFixed(1)} px: ${n} characters`),
  };
}

// Where an element is on screen, against the viewport's height.
const place = (locator) => locator.evaluate((el) => ({ top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom, height: innerHeight }));
// (A pixel of rounding either way is in view.)
const inView = (p) => p.top >= -1 && p.top < p.height;

// As a reader without JavaScript, on a phone 320 px wide.
async function readerChecks(browser) {
  const { context, tab } = await openView(browser, PHONE, { js: false, mobile: true });
  check('report.html opens from disk with JavaScript disabled', /^Staff report/.test(await tab.title()), await tab.title());
  check('the page has no script', (await tab.evaluate(() => document.scripts.length)) === 0);

  const m = await tab.evaluate(measure, { bodyMin: BODY_MIN_PX, textMin: TEXT_MIN_PX });
  check(
    `at ${PHONE.width} px the page does not scroll sideways (scrollWidth ${m.scrollWidth} <= ${PHONE.width + 1})`,
    m.scrollWidth <= PHONE.width + 1,
    m.wide.join('; '),
  );
  check(`at ${PHONE.width} px body text is at least ${BODY_MIN_PX} px`, m.bodySmall.length === 0, m.bodySmall.join('; '));
  check(`at ${PHONE.width} px no text is smaller than ${TEXT_MIN_PX} px`, m.small.length === 0, m.small.join('; '));
  console.log(`     text sizes at ${PHONE.width} px: ${m.sizes.join(', ')}`);

  const nav = tab.getByRole('navigation', { name: 'Contents' });
  await step('the Contents navigation is found by its name', async () => {
    check('the Contents navigation is found by its name', (await nav.count()) === 1 && (await nav.isVisible()), `${await nav.count()} found`);
  });
  await step('its "Due a visit" link brings that heading into view', async () => {
    const link = nav.getByRole('link', { name: new RegExp(escapeRe(expect.due)) });
    const heading = tab.getByRole('heading', { level: 2, name: new RegExp('^' + escapeRe(expect.due)) });
    check('the Contents navigation has one "Due a visit" link', (await link.count()) === 1, `${await link.count()} links`);
    check('the page has one "Due a visit" heading (level 2)', (await heading.count()) === 1, `${await heading.count()} headings`);
    if ((await link.count()) !== 1 || (await heading.count()) !== 1) return;
    const before = await place(heading);
    check('before following the link, the "Due a visit" heading is out of view', !inView(before), before);
    await link.click();
    const after = await place(heading);
    const hash = await tab.evaluate(() => location.hash);
    check(`after following it (${hash}), the "Due a visit" heading is in view`, inView(after) && hash === (await link.getAttribute('href')), after);
  });

  for (const t of expect.tables) {
    await step(`table "${t.region}"`, async () => {
      const region = tab.getByRole('region', { name: t.region, exact: true });
      const n = await region.count();
      check(`one table region is labelled "${t.region}"`, n === 1, `${n} found`);
      if (n !== 1) return;
      const rowHeaders = (await region.getByRole('rowheader').allInnerTexts()).map((s) => s.split('\n')[0].trim());
      check(`its rows are, in order: ${t.rows.join(', ')}`, JSON.stringify(rowHeaders) === JSON.stringify(t.rows), rowHeaders);
      const columns = (await region.getByRole('columnheader').allInnerTexts()).map((s) => s.trim());
      for (const [school, cells] of Object.entries(t.cells || {})) {
        const row = region.getByRole('row').filter({ has: tab.getByRole('rowheader', { name: new RegExp('^' + escapeRe(school)) }) });
        const rows = await row.count();
        check(`${school}'s row is found by its row header`, rows === 1, `${rows} rows`);
        if (rows !== 1) continue;
        const texts = (await row.getByRole('rowheader').or(row.getByRole('cell')).allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
        const got = Object.fromEntries(columns.map((c, i) => [c, texts[i]]));
        for (const [column, text] of Object.entries(cells)) {
          check(`${school}: "${column}" says "${text}"`, got[column] === text, got);
        }
      }
    });
  }

  await step('printing hides the navigation', async () => {
    await tab.emulateMedia({ media: 'print' });
    const printed = await nav.isVisible();
    const h1 = await tab.getByRole('heading', { level: 1 }).isVisible();
    await tab.emulateMedia({ media: 'screen' });
    const screen = await nav.isVisible();
    check('printed, the navigation is hidden and the title is not', !printed && h1, { navPrinted: printed, titlePrinted: h1 });
    check('on screen, the navigation shows', screen);
  });
  await step('printed on A4 portrait, every table fits the page', async () => {
    // Printed, Chromium lays the page out at the paper's width, and shrinks every page to fit
    // whatever is wider (other browsers cut it off): A4 less 1 cm margins is 718 CSS px.
    await tab.setViewportSize({ width: A4_PX, height: 1000 });
    await tab.emulateMedia({ media: 'print' });
    const p = await tab.evaluate((w) => {
      const tables = [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > w + 0.5);
      const name = (t) => t.closest('[aria-label]')?.getAttribute('aria-label') ?? 'a table';
      const px = (s) => getComputedStyle(document.querySelector(s)).fontSize;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        wide: tables.map((t) => `"${name(t)}" ${Math.round(t.getBoundingClientRect().width)} px wide`),
        sizes: `body text ${px('main p')}, table text ${px('td')}`,
      };
    }, A4_PX);
    await tab.emulateMedia({ media: 'screen' });
    await tab.setViewportSize(PHONE);
    check(
      `printed on A4 portrait (${A4_PX} px), no table is wider than the page (scrollWidth ${p.scrollWidth})`,
      p.scrollWidth <= A4_PX + 1 && p.wide.length === 0,
      `${p.wide.length} tables too wide (${p.sizes}): ${p.wide.join('; ')}`,
    );
  });
  await context.close();
}

// axe-core at each width, in a context with JavaScript on for axe's own timers.
async function axeChecks(browser, axeSource) {
  const { context, tab } = await openView(browser, DESKTOP, { js: true, mobile: false });
  const scripts = await tab.evaluate(() => document.scripts.length);
  check('before axe is added, the page has no script (JavaScript on changes nothing)', scripts === 0, `${scripts} scripts`);
  await tab.addScriptTag({ content: axeSource });
  for (const vp of [DESKTOP, PHONE]) {
    await tab.setViewportSize(vp);
    const violations = await tab.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    }, AXE_TAGS);
    check(`axe-core (${AXE_TAGS.join(', ')}) at ${vp.width} px: no violations`, violations.length === 0, violations.join('; '));
  }
  await context.close();
}

async function main() {
  const started = Date.now();
  const deadline = setTimeout(() => {
    console.error(`report: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();
  let browser = null;
  let broke = false;
  try {
    if (!existsSync(file)) throw new Error(`${file} does not exist`);
    const chromium = await loadChromium();
    const axe = await loadAxe();
    browser = await launchChromium(chromium, opts.chromium);
    console.log(`report: checking ${pageUrl} with axe-core ${axe.version}`);
    await readerChecks(browser);
    await axeChecks(browser, axe.source);
    check('the page itself was requested (the request log works)', requested.includes(pageUrl), requested);
    check('nothing but report.html was requested', others.length === 0, [...new Set(others)].map((u) => clip(u, 160)).join(', '));
  } catch (err) {
    console.error(`report: ${err.message}`);
    broke = true;
  } finally {
    if (browser) await browser.close().catch(() => {});
    clearTimeout(deadline);
  }
  finish('report', started, broke);
}

main();

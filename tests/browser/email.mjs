#!/usr/bin/env node
// Browser check of the emails that `stave email` writes (NAME.html: table layout, styles
// inlined, at most 600 px wide, for mail clients).
//
// Opens each *.html in the folder from disk (a file:// URL) in headless Chromium, one launch,
// and checks it as a reader would get it:
//   - nothing but the email itself is loaded: every other request is blocked and recorded.
//     Remote https:// images (and other https:// files that are not scripts or stylesheets)
//     are expected in an email and only noted, as they cannot be reached here; a request
//     that is not https:// (a local or http:// file), or for a script or stylesheet, which
//     mail clients do not load, fails the run;
//   - with JavaScript disabled (mail clients run none), at 320 and 600 CSS px wide the email
//     does not scroll sideways; its "view on the website" link is found by its name and
//     goes to an https:// address; it has exactly one level-1 heading; and at 1024 px no
//     element of the email is wider than 600 px (the wrappers around the whole email, which
//     only paint the background around it, are left out: see `tooWide`);
//   - axe-core (WCAG 2.0/2.1/2.2 A and AA) finds no violation at 320 and 600 px, nor at
//     600 px with the reader's system set to dark (the email's prefers-color-scheme: dark
//     rules, kept in its <style>, then apply). axe needs timers, and a timer set in a context
//     with JavaScript disabled brings Chromium down, so axe runs in a second context with
//     JavaScript on, after checking the email has no script of its own.
//
// Usage:
//   node email.mjs --root DIR [--timeout SECONDS] [--chromium PATH]
//
// DIR holds one or more emails, *.html (the .eml and .txt beside them are not looked at).
// (--prefix and --port, which the harness passes to every script, are accepted and unused.)
//
// Prints one line per check (`ok` or `FAIL`), ends with `email: N checks passed, M failed`
// and exits 1 if any check failed or Chromium could not start.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { AXE_TAGS, check, checkCounts, finish, step } from './checks.mjs';
import { clip, launchChromium, loadAxe, loadChromium, PAGE_TIMEOUT_MS, parseOptions } from './serve.mjs';

const PHONE = { width: 320, height: 568 };
const EMAIL = { width: 600, height: 800 };
const WIDE = { width: 1024, height: 800 };
const MAX_WIDTH_PX = 600;
const ACTION_TIMEOUT_MS = 5_000;
const WEBSITE_LINK = /on the website/i;
// What a mail client would never load, even from an https:// address.
const NEVER_LOADED = new Set(['script', 'stylesheet']);

const plural = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;

function usage(msg) {
  if (msg) console.error(`email: ${msg}`);
  console.error('usage: node email.mjs --root DIR [--timeout SECONDS] [--chromium PATH]');
  process.exit(2);
}

const opts = parseOptions(process.argv.slice(2), {}, usage);
if (opts.pages.length > 0) usage(`unknown argument ${opts.pages[0]}`);

// A browser context for the email at `pageUrl` whose every other request is blocked and
// recorded in `seen` (url → the resource types it was asked for as: axe-core fetches a
// stylesheet again as xhr); `requested` gets every request's url.
async function openView(browser, pageUrl, viewport, { js, mobile, colorScheme = 'light' }, seen, requested) {
  const note = (r) => seen.set(r.url(), new Set([...(seen.get(r.url()) ?? []), r.resourceType()]));
  const context = await browser.newContext({
    viewport,
    isMobile: mobile,
    hasTouch: mobile,
    deviceScaleFactor: 1,
    javaScriptEnabled: js,
    colorScheme,
    serviceWorkers: 'block',
  });
  await context.route('**/*', (route) => {
    const r = route.request();
    if (r.url() === pageUrl) return route.continue();
    note(r);
    return route.abort('blockedbyclient');
  });
  const tab = await context.newPage();
  // Everything is on the page once it has loaded: what is not found soon is missing.
  tab.setDefaultTimeout(ACTION_TIMEOUT_MS);
  tab.on('request', (r) => {
    requested.push(r.url());
    if (r.url() !== pageUrl) note(r);
  });
  const resp = await tab.goto(pageUrl, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  if (!resp || !resp.ok()) throw new Error(`could not open ${pageUrl}: ${resp ? resp.status() : 'no response'}`);
  return { context, tab };
}

// Runs in the page: its scroll width, and what sticks out past the viewport's right edge.
function sideways() {
  const doc = document.documentElement;
  const describe = (el) => el.localName + (el.id ? `#${el.id}` : '') + (el.classList.length ? `.${el.classList[0]}` : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > doc.clientWidth + 0.5 && out.length < 8) out.push(`${describe(el)} (right edge at ${Math.round(r.right)} px)`);
  }
  return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide: out };
}

// Runs in the page: the elements wider than `max` px. An email sits inside wrappers as wide
// as the window (a 100% table and its cell, which paint the background around the email):
// those are the ancestors of the smallest element holding everything the reader sees (its
// visible text and images; with the boxes around it just as wide, such as its table), and
// are left out; that element and everything else is measured.
function tooWide(max) {
  const describe = (el) => el.localName + (el.id ? `#${el.id}` : '') + (el.classList.length ? `.${el.classList[0]}` : '');
  const shown = (el) => {
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const seen = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (t.data.trim() && shown(t.parentElement)) seen.push(t.parentElement);
  }
  for (const el of document.body.querySelectorAll('img, svg, video, picture, canvas, iframe, hr')) {
    if (shown(el)) seen.push(el);
  }
  let holder = seen[0] ?? document.body;
  for (const el of seen) while (!holder.contains(el)) holder = holder.parentElement;
  // The boxes around it as wide as it is (a table around its body) are the email too.
  const width = (el) => el.getBoundingClientRect().width;
  while (holder.parentElement !== document.documentElement && Math.abs(width(holder.parentElement) - width(holder)) <= 0.5) holder = holder.parentElement;
  const wrappers = new Set();
  for (let e = holder.parentElement; e && e !== document.documentElement; e = e.parentElement) wrappers.add(e);
  const wide = [];
  let widest = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (wrappers.has(el)) continue;
    const w = el.getBoundingClientRect().width;
    widest = Math.max(widest, w);
    if (w > max + 0.5) wide.push(`${describe(el)} ${w.toFixed(1)} px wide`);
  }
  return {
    wide: wide.slice(0, 8),
    count: wide.length,
    widest: Math.round(widest * 10) / 10,
    wrappers: [...wrappers].reverse().map((e) => `${describe(e)} ${Math.round(e.getBoundingClientRect().width)} px`),
    holder: describe(holder),
  };
}

// axe-core's violations on the page as it is now, each with its elements' HTML and why.
async function axeViolations(tab) {
  const violations = await tab.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
    }));
  }, AXE_TAGS);
  return violations.map(
    (v) =>
      `${v.id}: ${v.help} (${plural(v.nodes.length, 'element')}) at ` +
      v.nodes
        .slice(0, 2)
        .map((n) => `${n.target} ${clip(n.html, 160)} [${clip(n.summary, 320)}]`)
        .join(', '),
  );
}

// As a reader with a mail client that runs no JavaScript: on a phone, then 600 px wide.
async function readerChecks(browser, name, pageUrl, seen, requested) {
  const phone = await openView(browser, pageUrl, PHONE, { js: false, mobile: true }, seen, requested);
  const tab = phone.tab;
  const title = await tab.title();
  check(`${name} opens from disk with JavaScript disabled`, title.trim().length > 0, `title "${title}"`);
  const scripts = await tab.evaluate(() => document.scripts.length);
  check(`${name} has no script`, scripts === 0, `${scripts} scripts`);

  const m = await tab.evaluate(sideways);
  check(`${name} at ${PHONE.width} px does not scroll sideways (scrollWidth ${m.scrollWidth} <= ${PHONE.width + 1})`, m.scrollWidth <= PHONE.width + 1, m.wide.join('; '));

  await step(`${name}: the "view on the website" link`, async () => {
    const links = tab.getByRole('link', { name: WEBSITE_LINK });
    const n = await links.count();
    check(`${name}: a link named ${WEBSITE_LINK} is found`, n >= 1 && (await links.first().isVisible()), `${n} found`);
    if (n === 0) return;
    const found = [];
    for (let i = 0; i < n; i++) {
      const link = links.nth(i);
      found.push({ name: clip(await link.innerText(), 80), href: (await link.getAttribute('href')) ?? '' });
    }
    const first = found[0];
    check(`${name}: "${first.name}" goes to an https:// address (${clip(first.href, 100)})`, first.href.startsWith('https://'), first);
    if (n > 1) {
      const bad = found.slice(1).filter((f) => !f.href.startsWith('https://'));
      check(`${name}: the other ${plural(n - 1, 'link')} named ${WEBSITE_LINK} ${n === 2 ? 'goes' : 'go'} to https:// too`, bad.length === 0, bad);
    }
  });

  await step(`${name}: one level-1 heading`, async () => {
    const h1 = tab.getByRole('heading', { level: 1 });
    const n = await h1.count();
    const texts = (await h1.allInnerTexts()).map((s) => clip(s, 80));
    check(`${name} has exactly one level-1 heading${n === 1 ? ` ("${texts[0]}")` : ''}`, n === 1, `${n} found: ${texts.join(' | ')}`);
  });
  await phone.context.close();

  const wide = await openView(browser, pageUrl, EMAIL, { js: false, mobile: false }, seen, requested);
  const w = await wide.tab.evaluate(sideways);
  check(`${name} at ${EMAIL.width} px does not scroll sideways (scrollWidth ${w.scrollWidth} <= ${EMAIL.width + 1})`, w.scrollWidth <= EMAIL.width + 1, w.wide.join('; '));

  await wide.tab.setViewportSize(WIDE);
  const t = await wide.tab.evaluate(tooWide, MAX_WIDTH_PX);
  console.log(`     at ${WIDE.width} px, left out as the email's background: ${t.wrappers.join(' > ') || 'nothing'} (around ${t.holder})`);
  check(
    `${name} at ${WIDE.width} px: no element of the email is wider than ${MAX_WIDTH_PX} px (widest ${t.widest} px)`,
    t.count === 0,
    `${t.count} elements: ${t.wide.join('; ')}`,
  );
  await wide.context.close();
}

// axe-core at each width and in dark mode, in a context with JavaScript on for axe's timers.
async function axeChecks(browser, name, pageUrl, axeSource, seen, requested) {
  const { context, tab } = await openView(browser, pageUrl, EMAIL, { js: true, mobile: false }, seen, requested);
  const scripts = await tab.evaluate(() => document.scripts.length);
  check(`${name}: before axe is added, it has no script (JavaScript on changes nothing)`, scripts === 0, `${scripts} scripts`);
  await tab.addScriptTag({ content: axeSource });
  for (const vp of [PHONE, EMAIL]) {
    await tab.setViewportSize(vp);
    const violations = await axeViolations(tab);
    check(`${name}: axe-core (${AXE_TAGS.join(', ')}) at ${vp.width} px: no violations`, violations.length === 0, violations.join('; '));
  }
  const background = () => getComputedStyle(document.body).backgroundColor;
  const light = await tab.evaluate(background);
  await tab.emulateMedia({ colorScheme: 'dark' });
  const dark = await tab.evaluate(background);
  check(`${name}: with the system set to dark, its dark colours apply (background ${light} -> ${dark})`, dark !== light);
  const violations = await axeViolations(tab);
  check(`${name}: axe-core (${AXE_TAGS.join(', ')}) at ${EMAIL.width} px in dark mode: no violations`, violations.length === 0, violations.join('; '));
  await context.close();
}

async function checkEmail(browser, file, axeSource) {
  const name = path.basename(file);
  const pageUrl = pathToFileURL(file).href;
  const seen = new Map();
  const requested = [];
  await step(`${name}: as a reader sees it`, () => readerChecks(browser, name, pageUrl, seen, requested));
  await step(`${name}: axe-core`, () => axeChecks(browser, name, pageUrl, axeSource, seen, requested));
  check(`${name}: the email itself was requested (the request log works)`, requested.includes(pageUrl), requested);
  const fails = ([u, types]) => !u.startsWith('https://') || [...types].some((t) => NEVER_LOADED.has(t));
  const show = ([u, types]) => `${[...types].join('/')} ${clip(u, 160)}`;
  const remote = [...seen].filter((r) => !fails(r));
  const bad = [...seen].filter(fails);
  if (remote.length > 0) console.log(`     blocked ${plural(remote.length, 'remote request')} (not reachable here): ${remote.map(show).join(', ')}`);
  check(
    `${name}: nothing but the email and remote https:// files (no script or stylesheet) was requested`,
    bad.length === 0,
    bad.map(show).join(', '),
  );
}

async function main() {
  const started = Date.now();
  const deadline = setTimeout(() => {
    const { passed, failed } = checkCounts();
    console.error(`email: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    console.log(`email: ${passed} checks passed, ${failed + 1} failed`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();
  let browser = null;
  let broke = false;
  try {
    if (!existsSync(opts.root)) throw new Error(`--root ${opts.root} does not exist`);
    const files = readdirSync(opts.root, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.html'))
      .map((e) => path.join(opts.root, e.name))
      .sort();
    if (files.length === 0) throw new Error(`${opts.root} holds no *.html email`);
    const chromium = await loadChromium();
    const axe = await loadAxe();
    browser = await launchChromium(chromium, opts.chromium);
    console.log(`email: checking ${plural(files.length, 'email')} in ${opts.root} with axe-core ${axe.version}`);
    for (const file of files) await checkEmail(browser, file, axe.source);
  } catch (err) {
    console.error(`email: ${err.message}`);
    broke = true;
  } finally {
    if (browser) await browser.close().catch(() => {});
    clearTimeout(deadline);
  }
  finish('email', started, broke);
}

main();

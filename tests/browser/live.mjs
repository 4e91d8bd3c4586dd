#!/usr/bin/env node
// Browser check of `stave serve`'s live preview: watching the site's files, live reload, the
// problems overlay and what the preview server answers. Unlike the other scripts it serves
// nothing itself: `stave serve` is already running on a copy of tests/fixtures/basic (with
// its theme `custom` selected) at --url, and this script edits that copy (--site) with Node's
// fs, the way an editor saves, while pages are open in headless Chromium:
//   live reload: a paragraph added to a CPD event's Markdown shows in the open event page
//     within 10 s with no navigation by the test; so does a save made as editors do (a
//     temporary file renamed over it); a reload keeps the scroll position. (Which
//     other open pages reload is the server's choice: only those a rebuild changed.)
//   problems: malformed YAML in a news item shows, in every open page, the overlay
//     <aside id="stave-problems"> (a landmark named by its heading "Stave found 1 problem…",
//     saying the page is the last version that built) listing `content/news/hello.md:3:7` in a
//     <code> and the message, as /__stave/errors.json does; the page and the server keep the
//     last good version; a second broken file makes it "2 problems", sorted by file; axe-core
//     finds no violation with the overlay showing at 1280 and 320 px (no sideways scroll);
//     "Hide these problems" hides it; fixing the files reloads the pages without it and empties
//     errors.json. A broken template is named likewise (themes/custom/templates/page.html:2:N)
//     while the server still answers.
//   titles: an event's title changed in its front matter shows in the open CPD list.
//   files: a news item added becomes a page (200, with its title) and the open news list
//     reloads and links to it; renamed, its old address is 404 and the new one 200; deleted,
//     it is 404 and the list drops it. A new title in site.yaml shows in the open page's
//     header and <title>.
//   HTTP (raw, from Node): every HTML page, the 404 page too, ends with the live-reload script;
//     /__stave/events is text/event-stream, live.js and errors.json are served; `..` plain
//     or encoded, and encoded slashes, never reach the site's files (404); POST is 405; drafts
//     and scheduled pages are 404; the port answers on 127.0.0.1 only (not on this machine's
//     other addresses: said plainly when it has none).
//   with --drafts-url (a second `stave serve --drafts`): a draft and a scheduled page are
//     served with a note at the start of <main> saying "Draft…" / "Scheduled…".
//   everywhere: no request leaves 127.0.0.1 and no script error.
//
// Usage:
//   node live.mjs --url http://127.0.0.1:PORT/ --site DIR [--drafts-url URL] [--timeout SECONDS] [--chromium PATH]
//
// Ends with `live: N checks passed, M failed` and exits 1 if any check fails.

import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { axeViolations, check as report, escapeRe, openTab } from './checks.mjs';
import { clip, launchChromium, loadAxe, loadChromium } from './serve.mjs';

const NAME = 'live';
// How long a saved file may take to show in an open page.
const WAIT_MS = 10_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Unique words for this run, so that nothing left over can pass a check.
const RUN = Date.now().toString(36);

// The fixture site (tests/fixtures/basic, served with --now 2025-10-01 and `theme: custom`).
const FIXTURE = {
  event: { file: 'content/cpd/winter-network.md', path: '/cpd/winter-network/', title: 'Winter network, East Testvale', body: 'A network meeting in East Testvale.' },
  news: { file: 'content/news/hello.md', path: '/news/hello/', title: 'Hello Testvale', body: 'Welcome.' },
  newsList: '/news/',
  // A plain page, drawn by the fixture theme's own page.html.
  plain: { path: '/about/the-team/', title: 'Our team' },
  template: 'themes/custom/templates/page.html',
  siteYaml: 'site.yaml',
  siteTitle: 'Testvale Music Hub',
  draft: { path: '/resources/secret-draft/', title: 'Unfinished resource' },
  scheduled: { path: '/news/later/', title: 'Scheduled news' },
};
const ADDED = {
  file: 'content/news/live-preview-bulletin.md',
  path: '/news/live-preview-bulletin/',
  renamedFile: 'content/news/live-preview-renamed.md',
  renamedPath: '/news/live-preview-renamed/',
  title: `Live preview bulletin ${RUN}`,
};
const NEW_SITE_TITLE = 'Brightwater Music Hub';
// Text of files that must never be served by a path leading out of the built site.
const SECRETS = ['base_url: https://hub.example.org/schools/', 'summary: The new site is live.'];

// ---------------------------------------------------------------- options ---

function options(argv) {
  const usage = (msg) => {
    if (msg) console.error(`${NAME}: ${msg}`);
    console.error('usage: node live.mjs --url http://127.0.0.1:PORT/ --site DIR [--drafts-url URL] [--timeout SECONDS] [--chromium PATH]');
    process.exit(2);
  };
  const opts = { url: null, site: null, draftsUrl: null, timeout: 240, chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage();
    const key = a.startsWith('--') ? a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase()) : null;
    if (!key || !(key in opts)) usage(`unknown argument ${a}`);
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    opts[key] = key === 'timeout' ? Number(argv[++i]) : argv[++i];
  }
  if (!opts.url || !opts.site) usage('--url and --site are required');
  for (const k of ['url', 'draftsUrl']) {
    if (opts[k] === null) continue;
    const u = new URL(opts[k]);
    if (u.hostname !== '127.0.0.1' || u.pathname !== '/') usage(`--${k === 'url' ? 'url' : 'drafts-url'} must be http://127.0.0.1:PORT/`);
    opts[k] = u.origin;
  }
  if (!(opts.timeout > 0)) usage('bad --timeout');
  opts.site = path.resolve(opts.site);
  if (!existsSync(path.join(opts.site, 'site.yaml'))) usage(`--site ${opts.site} has no site.yaml`);
  return opts;
}

// ---------------------------------------------------------------- report ---

// checks.mjs prints each line; these count them for this script's closing line and exit code.
const counts = { passed: 0, failed: 0 };

function check(what, ok, detail) {
  counts[ok ? 'passed' : 'failed']++;
  return report(what, ok, detail);
}

async function step(what, fn) {
  try {
    await fn();
  } catch (err) {
    check(what, false, `threw: ${clip(err.stack || err.message, 700)}`);
  }
}

// Polls `fn` until it returns something truthy, for at most `ms`; returns { ok, value, ms }.
async function waitFor(fn, ms = WAIT_MS, every = 150) {
  const start = Date.now();
  let value = null;
  for (;;) {
    try {
      value = await fn();
    } catch {
      value = null; // the page is between two documents: look again
    }
    if (value && value.ok !== false) return { ok: true, value, ms: Date.now() - start };
    if (Date.now() - start > ms) return { ok: false, value, ms: Date.now() - start };
    await sleep(every);
  }
}

// ------------------------------------------------------------ the files ---

let SITE = '';
const originals = new Map();
const file = (rel) => path.join(SITE, rel);
const read = (rel) => readFileSync(file(rel), 'utf8');

// Writes `text` to `rel`, remembering what was there first so `restoreAll` can put it back.
function save(rel, text) {
  if (!originals.has(rel)) originals.set(rel, existsSync(file(rel)) ? read(rel) : null);
  writeFileSync(file(rel), text);
}

function remember(rel) {
  if (!originals.has(rel)) originals.set(rel, existsSync(file(rel)) ? read(rel) : null);
}

// Puts every file changed back as it was; true if anything had to change.
function restoreAll() {
  let changed = false;
  for (const [rel, text] of originals) {
    const now = existsSync(file(rel)) ? read(rel) : null;
    if (now === text) continue;
    changed = true;
    if (text === null) unlinkSync(file(rel));
    else writeFileSync(file(rel), text);
  }
  originals.clear();
  return changed;
}

// The 1-based line and column of `needle` in `text`, as `line:column`.
function lineCol(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0) return null;
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

// ------------------------------------------------------------------ HTTP ---

let ORIGIN = '';

async function get(pathname, origin = ORIGIN) {
  const r = await fetch(origin + pathname, { redirect: 'manual', headers: { Connection: 'close' } });
  return { status: r.status, type: r.headers.get('content-type') || '', allow: r.headers.get('allow') || '', text: await r.text() };
}

// Sends `request` exactly as written and returns { status, headers, body }.
function raw(request, origin = ORIGIN) {
  const port = Number(new URL(origin).port);
  return new Promise((resolve, reject) => {
    const chunks = [];
    const sock = net.connect(port, '127.0.0.1', () => sock.write(request));
    sock.setTimeout(5000, () => sock.destroy(new Error('no complete answer within 5 s')));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('end', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`incomplete answer: ${clip(all, 200)}`));
      const [first, ...lines] = all.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(first.split(' ')[1]), headers, body: all.slice(split + 4) });
    });
  });
}

// The status and content type of `pathname`, leaving as soon as the headers arrive (for the
// event stream, which never ends).
function headersOf(pathname) {
  const port = Number(new URL(ORIGIN).port);
  return new Promise((resolve, reject) => {
    let head = '';
    const sock = net.connect(port, '127.0.0.1', () => sock.write(`GET ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`));
    sock.setTimeout(5000, () => sock.destroy(new Error(`no headers within 5 s (got: ${clip(head, 200)})`)));
    sock.on('data', (c) => {
      head += c.toString('latin1');
      const split = head.indexOf('\r\n\r\n');
      if (split < 0) return;
      sock.destroy();
      const [first, ...lines] = head.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(first.split(' ')[1]), headers });
    });
    sock.on('error', reject);
    sock.on('end', () => reject(new Error(`closed before the headers: ${clip(head, 200)}`)));
  });
}

async function problems() {
  const r = await get('/__stave/errors.json');
  try {
    return { status: r.status, type: r.type, json: JSON.parse(r.text) };
  } catch {
    return { status: r.status, type: r.type, json: null, text: clip(r.text, 300) };
  }
}

// Waits until errors.json lists `n` problems; returns the last answer.
async function waitProblems(n) {
  const w = await waitFor(async () => {
    const p = await problems();
    return Array.isArray(p.json?.errors) && p.json.errors.length === n ? p : { ok: false, ...p };
  });
  return w.value;
}

// ------------------------------------------------------------- the pages ---

// Each tab's requests to the event stream (so a test knows the page is listening).
const streams = new WeakMap();

async function newTab(context, errors) {
  const tab = await openTab(context, errors, WAIT_MS);
  streams.set(tab, { requests: 0, responses: 0 });
  tab.on('request', (req) => {
    if (new URL(req.url()).pathname === '/__stave/events') streams.get(tab).requests++;
  });
  tab.on('response', (resp) => {
    if (new URL(resp.url()).pathname === '/__stave/events') streams.get(tab).responses++;
  });
  return tab;
}

// Waits until the page in `tab` has opened the event stream more than `seen` times (by its
// response, or at least its request, which is all some servers send before the first event).
async function listening(tab, seen) {
  const s = streams.get(tab);
  const w = await waitFor(() => s.responses > seen.responses, 3000, 50);
  if (!w.ok) await waitFor(() => s.requests > seen.requests, 2000, 50);
  await sleep(250);
}

// Opens `pathname` in `tab` and waits until the page listens for reloads.
async function visit(tab, pathname) {
  const seen = { ...streams.get(tab) };
  const resp = await tab.goto(ORIGIN + pathname, { waitUntil: 'load' });
  await listening(tab, seen);
  return resp;
}

// Marks the document in each tab: a reload replaces it, so the mark is gone.
async function mark(tabs) {
  for (const tab of tabs) {
    await tab.evaluate((m) => {
      window.__staveLiveMark = m;
    }, RUN);
    tab.__seen = { ...streams.get(tab) };
  }
}

// What a page shows now: whether it is the marked document, its main text, the overlay.
function state(tab) {
  return tab.evaluate(() => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const shown = (el) => !!el && (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) : el.offsetParent !== null);
    const aside = document.getElementById('stave-problems');
    const main = document.querySelector('main');
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      marked: window.__staveLiveMark !== undefined,
      url: location.href,
      navigation: nav ? nav.type : null,
      title: document.title,
      scrollY: window.scrollY,
      height: document.documentElement.scrollHeight,
      main: norm(main ? main.innerText : ''),
      h1: norm(document.querySelector('h1')?.textContent),
      overlay: aside
        ? {
            shown: shown(aside),
            last: aside === document.body.lastElementChild,
            labelledby: aside.getAttribute('aria-labelledby'),
            heading: norm(document.getElementById('stave-problems-title')?.textContent),
            text: norm(aside.textContent),
            items: [...aside.querySelectorAll('ol > li')].map((li) => ({ text: norm(li.textContent), code: norm(li.querySelector('code')?.textContent), codeFirst: li.firstElementChild?.tagName === 'CODE' })),
          }
        : null,
    };
  });
}

// Waits until `tab` holds a new document (reloaded since `mark`) that passes `test`, and the
// new document listens for reloads again; returns { ok, value: state, ms }.
async function reloaded(tab, test, ms = WAIT_MS) {
  const w = await waitFor(async () => {
    const s = await state(tab);
    return !s.marked && test(s) ? s : { ok: false, ...s };
  }, ms);
  if (w.ok) await listening(tab, tab.__seen);
  return w;
}

// Waits until `tab` shows (or with `gone`, no longer shows) the problems overlay.
async function overlay(tab, test = () => true, gone = false) {
  return waitFor(async () => {
    const s = await state(tab);
    const ok = gone ? !(s.overlay && s.overlay.shown) : s.overlay && s.overlay.shown && test(s.overlay);
    return ok ? s : { ok: false, ...s };
  });
}

const seen = (w) => (w.value ? clip(JSON.stringify({ marked: w.value.marked, url: w.value.url, h1: w.value.h1, main: clip(w.value.main, 200), overlay: w.value.overlay }), 800) : 'nothing');

// The overlay found as a person would: the landmark named by its heading, its list, its button.
function overlayUi(tab) {
  const region = tab.getByRole('complementary', { name: /^Stave found \d+ problems?/ });
  return {
    region,
    heading: region.getByRole('heading', { name: /^Stave found \d+ problems?/ }),
    items: region.getByRole('listitem'),
    hide: region.getByRole('button', { name: 'Hide these problems', exact: true }),
  };
}

// ---------------------------------------------------------------- checks ---

async function liveReload(tabs) {
  const { eventTab, newsTab } = tabs;
  const r1 = await visit(eventTab, FIXTURE.event.path);
  const r2 = await visit(newsTab, FIXTURE.news.path);
  check(`reload: ${FIXTURE.event.path} and ${FIXTURE.news.path} open (HTTP 200)`, r1?.status() === 200 && r2?.status() === 200, [r1?.status(), r2?.status()]);
  const listens = streams.get(eventTab);
  check('reload: the open page opens the event stream /__stave/events', listens.requests > 0, listens);

  // A long addition (so the page can scroll), ending with a word found nowhere else.
  const first = `Firstliveword${RUN}`;
  const long = Array.from({ length: 60 }, (_, i) => `Programme note ${i + 1}: the session plan, repertoire and resources for this part of the day.`).join('\n\n');
  const original = read(FIXTURE.event.file);
  await mark([eventTab, newsTab]);
  save(FIXTURE.event.file, `${original.trimEnd()}\n\n${long}\n\n${first}\n`);
  const w1 = await reloaded(eventTab, (s) => s.main.includes(first));
  check(`reload: after ${FIXTURE.event.file} is saved with a new paragraph, the open event page shows "${first}" without being navigated (${w1.ms} ms)`, w1.ok, seen(w1));
  if (!w1.ok) return;
  check('reload: the page is still at its address', w1.value.url === ORIGIN + FIXTURE.event.path, w1.value.url);

  // Scroll down, save again: the reloaded page is where it was.
  const height = await eventTab.evaluate(() => document.documentElement.scrollHeight);
  const viewport = eventTab.viewportSize().height;
  if (!check('reload: the event page is long enough to scroll (the 60 paragraphs added)', height > viewport + 800, `scrollHeight ${height}, viewport ${viewport}`)) return;
  const target = Math.min(1500, height - viewport - 200);
  await eventTab.evaluate((y) => window.scrollTo({ top: y, behavior: 'instant' }), target);
  await sleep(300); // a script may note the position on scroll
  const before = await eventTab.evaluate(() => window.scrollY);
  if (!check(`reload: the event page scrolls down to ${target} px`, Math.abs(before - target) <= 2, `window.scrollY ${before}`)) return;
  // Saved as many editors do: a temporary file beside it, renamed over it.
  const second = `Secondliveword${RUN}`;
  const temp = `${FIXTURE.event.file}.${RUN}.tmp`;
  await mark([eventTab, newsTab]);
  writeFileSync(file(temp), `${read(FIXTURE.event.file).trimEnd()}\n\n${second}\n`);
  renameSync(file(temp), file(FIXTURE.event.file));
  const w2 = await reloaded(eventTab, (s) => s.main.includes(second));
  check(`reload: a second save, written to a temporary file renamed over it, shows "${second}" (${w2.ms} ms)`, w2.ok, seen(w2));
  if (!w2.ok) return;
  const kept = await waitFor(async () => {
    const y = await eventTab.evaluate(() => window.scrollY);
    return Math.abs(y - before) <= 40 ? { y } : { ok: false, y };
  }, 3000, 100);
  check(`reload: the reloaded page keeps its scroll position (${before} px before)`, kept.ok, `window.scrollY ${kept.value?.y} after the reload (navigation type ${w2.value.navigation})`);
}

async function brokenContent(tabs, axeSource) {
  const { eventTab, newsTab } = tabs;
  const good = read(FIXTURE.news.file);
  const broken = `Brokenword${RUN}`;
  const bad = good.replace(/^date: 2026-09-01$/m, 'date: [2026-09-01').replace(FIXTURE.news.body, `${FIXTURE.news.body} ${broken}`);
  if (!check(`problems: ${FIXTURE.news.file} has the line "date: 2026-09-01" to break`, bad !== good.replace(FIXTURE.news.body, `${FIXTURE.news.body} ${broken}`))) return;
  const where = `${FIXTURE.news.file}:${lineCol(bad, '[2026')}`;
  await mark([eventTab, newsTab]);
  save(FIXTURE.news.file, bad);
  // Waits for this problem (a save may be seen half-written first: that build's problem
  // would be replaced by this one).
  const w = await overlay(newsTab, (o) => o.items.some((i) => i.code === where));
  if (!check(`problems: after malformed YAML is saved in ${FIXTURE.news.file}, the open news page shows the problems overlay (${w.ms} ms)`, w.ok, seen(w))) return;
  const o = w.value.overlay;
  const ui = overlayUi(newsTab);
  check('problems: the overlay is a landmark named by its heading "Stave found 1 problem…" (found by role and name)', (await ui.region.count()) === 1 && (await ui.heading.count()) === 1, o.heading);
  check('problems: the heading says 1 problem (not "problems")', /^Stave found 1 problem(?!s)/.test(o.heading), o.heading);
  check('problems: it says the page shows the last good version (the last that built)', /\blast\b[^.]*\bversion\b/i.test(o.text), o.text);
  check('problems: the overlay is <aside id="stave-problems" aria-labelledby="stave-problems-title">, the last element of <body>', o.last && o.labelledby === 'stave-problems-title', o);
  const items = await ui.items.allTextContents();
  check('problems: it lists one problem', items.length === 1 && o.items.length === 1, items);
  const item = o.items[0] || { text: '', code: '' };
  check(`problems: the item starts with the file, line and column "${where}" in a <code>`, item.codeFirst && item.code === where && item.text.startsWith(where), item);

  const p = await problems();
  const listed = p.json?.errors || [];
  check('problems: /__stave/errors.json is JSON (application/json)', p.status === 200 && /^application\/json/.test(p.type) && Array.isArray(p.json?.errors), p);
  check(`problems: errors.json lists the problem at "${where}"`, listed.length === 1 && listed[0].location === where, listed);
  const message = listed[0]?.message || '';
  check('problems: its message says what is wrong (malformed YAML, the unclosed "[")', /malformed/i.test(message) && message.includes('['), message);
  check('problems: the overlay item shows that message after the location', message !== '' && item.text.includes(message), { item: item.text, message });

  check(`problems: the page still shows the last good version ("${FIXTURE.news.body}", not "${broken}")`, w.value.main.includes(FIXTURE.news.body) && !w.value.main.includes(broken) && w.value.h1 === FIXTURE.news.title, clip(w.value.main, 300));
  const page = await get(FIXTURE.news.path);
  check(`problems: the server still serves the last good ${FIXTURE.news.path}`, page.status === 200 && page.text.includes(FIXTURE.news.title) && !page.text.includes(broken), `HTTP ${page.status}`);
  const other = await overlay(eventTab, (ov) => ov.items.length === 1 && ov.items[0].code === where);
  check(`problems: the other open page (${FIXTURE.event.path}) shows the overlay too`, other.ok, seen(other));
  const event = await get(FIXTURE.event.path);
  check(`problems: ${FIXTURE.event.path} is still served`, event.status === 200 && event.text.includes(FIXTURE.event.body), `HTTP ${event.status}`);

  // axe-core with the overlay showing, wide and narrow (once the page has settled).
  await sleep(500);
  const wide = await axeViolations(newsTab, axeSource);
  check('problems: axe-core finds no violation with the overlay showing at 1280 px', wide.length === 0, wide);
  await newsTab.setViewportSize({ width: 320, height: 640 });
  await sleep(200);
  const sizes = await newsTab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  check('problems: at 320 px the page with the overlay does not scroll sideways', sizes[0] <= sizes[1], `scrollWidth ${sizes[0]} > clientWidth ${sizes[1]}`);
  const narrow = await axeViolations(newsTab, axeSource);
  check('problems: axe-core finds no violation with the overlay showing at 320 px', narrow.length === 0, narrow);
  await newsTab.setViewportSize({ width: 1280, height: 900 });

  // A second broken file: two problems, sorted by file.
  const eventGood = read(FIXTURE.event.file);
  const eventBad = eventGood.replace(/^phases: \[primary\]$/m, 'phases: [primry]');
  if (check(`problems: ${FIXTURE.event.file} has the line "phases: [primary]" to break`, eventBad !== eventGood)) {
    const where2 = `${FIXTURE.event.file}:${lineCol(eventBad, 'primry')}`;
    save(FIXTURE.event.file, eventBad);
    const w2 = await overlay(newsTab, (ov) => ov.items.length === 2 && ov.items.some((i) => i.code === where2));
    check(`problems: with an unknown phase saved in ${FIXTURE.event.file} too, the overlay lists 2 problems`, w2.ok, seen(w2));
    if (w2.ok) {
      const o2 = w2.value.overlay;
      check('problems: the heading says "Stave found 2 problems"', /^Stave found 2 problems/.test(o2.heading), o2.heading);
      check(`problems: sorted by file: "${where2}" then "${where}"`, o2.items[0].code === where2 && o2.items[1].code === where, o2.items);
      check('problems: the unknown phase\'s message suggests "primary"', /primry/.test(o2.items[0].text) && /primary/.test(o2.items[0].text), o2.items[0].text);
      const p2 = await problems();
      check('problems: errors.json lists both', (p2.json?.errors || []).map((e) => e.location).join(' ') === `${where2} ${where}`, p2.json);
    }
  }

  // Hide, then fix.
  await ui.hide.click();
  const hidden = await overlay(newsTab, undefined, true);
  check('problems: pressing "Hide these problems" (found by role and name) hides the overlay', hidden.ok, seen(hidden));
  await mark([eventTab, newsTab]);
  save(FIXTURE.event.file, eventGood);
  save(FIXTURE.news.file, good);
  const fixed = await waitProblems(0);
  check('problems: once both files are fixed, errors.json lists no problem', Array.isArray(fixed?.json?.errors) && fixed.json.errors.length === 0, fixed);
  const back = await reloaded(newsTab, (s) => !(s.overlay && s.overlay.shown) && s.main.includes(FIXTURE.news.body));
  check('problems: the news page reloads without the overlay', back.ok, seen(back));
  const backEvent = await reloaded(eventTab, (s) => !(s.overlay && s.overlay.shown) && s.main.includes(FIXTURE.event.body));
  check('problems: the event page reloads without the overlay', backEvent.ok, seen(backEvent));
}

async function brokenTemplate(tabs) {
  const { eventTab } = tabs;
  const resp = await visit(eventTab, FIXTURE.plain.path);
  const s0 = await state(eventTab);
  if (!check(`template: ${FIXTURE.plain.path} opens, drawn by the fixture theme's page.html ("${FIXTURE.plain.title}")`, resp?.status() === 200 && s0.h1 === FIXTURE.plain.title, `HTTP ${resp?.status()}, h1 "${s0.h1}"`)) return;
  const good = read(FIXTURE.template);
  const bad = good.replace('{{ page.title }}', '{{ nonsense( }}');
  if (!check(`template: ${FIXTURE.template} has "{{ page.title }}" to break`, bad !== good)) return;
  const line = lineCol(bad, '{{ nonsense(').split(':')[0];
  const prefix = `${FIXTURE.template}:${line}`;
  await mark([eventTab]);
  save(FIXTURE.template, bad);
  const w = await overlay(eventTab, (o) => o.items.some((i) => i.code.startsWith(`${prefix}:`)));
  if (!check(`template: after "{{ nonsense(" is saved in ${FIXTURE.template}, the open page shows the overlay (${w.ms} ms)`, w.ok, seen(w))) return;
  const items = w.value.overlay.items;
  check(`template: the overlay names the template, line and column: "${prefix}:N"`, items.length === 1 && new RegExp(`^${escapeRe(prefix)}:\\d+$`).test(items[0].code) && items[0].text.startsWith(items[0].code), items);
  check('template: and says it is a template error', /template/i.test(items[0]?.text || ''), items[0]?.text);
  const p = await problems();
  check(`template: errors.json lists ${prefix}:N`, (p.json?.errors || []).length === 1 && p.json.errors[0].location.startsWith(`${prefix}:`), p.json);
  const home = await get('/');
  const page = await get(FIXTURE.plain.path);
  check('template: the server still answers: / and the page (last good version) are HTTP 200', home.status === 200 && page.status === 200 && page.text.includes(FIXTURE.plain.title), [home.status, page.status]);
  check('template: the page still shows its last good version', w.value.h1 === FIXTURE.plain.title, w.value.h1);
  await mark([eventTab]);
  save(FIXTURE.template, good);
  const fixed = await waitProblems(0);
  check('template: once fixed, errors.json lists no problem', Array.isArray(fixed?.json?.errors) && fixed.json.errors.length === 0, fixed);
  const back = await reloaded(eventTab, (s) => !(s.overlay && s.overlay.shown) && s.h1 === FIXTURE.plain.title);
  check('template: the page reloads without the overlay', back.ok, seen(back));
}

// Waits until `pathname` answers with `status`; returns the last answer.
async function waitStatus(pathname, status) {
  const w = await waitFor(async () => {
    const r = await get(pathname);
    return r.status === status ? r : { ok: false, ...r, text: clip(r.text, 100) };
  });
  return w.value || { status: 'no answer' };
}

async function addRenameDelete(tabs) {
  const { newsTab } = tabs;
  const resp = await visit(newsTab, FIXTURE.newsList);
  check(`files: the news list ${FIXTURE.newsList} opens`, resp?.status() === 200, resp?.status());
  const link = () => newsTab.getByRole('main').getByRole('link', { name: ADDED.title, exact: true });
  const hrefs = async () => (await link().evaluateAll((as) => as.map((a) => new URL(a.href).pathname)).catch(() => []));
  remember(ADDED.file);
  remember(ADDED.renamedFile);
  const text = [
    '---',
    `title: ${ADDED.title}`,
    'date: 2025-09-20',
    'summary: Written while the preview was running.',
    'category: news',
    '---',
    'A bulletin added while stave serve was running.',
    '',
  ].join('\n');
  await mark([newsTab]);
  writeFileSync(file(ADDED.file), text);
  const page = await waitStatus(ADDED.path, 200);
  check(`files: a new ${ADDED.file} becomes the page ${ADDED.path} (HTTP 200) with its title`, page.status === 200 && page.text.includes(ADDED.title), `HTTP ${page.status}`);
  const w = await reloaded(newsTab, (s) => s.main.includes(ADDED.title));
  check(`files: the open news list reloads and lists "${ADDED.title}"`, w.ok, seen(w));
  check(`files: as a link to ${ADDED.path}`, (await hrefs()).includes(ADDED.path), await hrefs());

  await mark([newsTab]);
  renameSync(file(ADDED.file), file(ADDED.renamedFile));
  const moved = await waitStatus(ADDED.renamedPath, 200);
  const old = await waitStatus(ADDED.path, 404);
  check(`files: renamed to ${ADDED.renamedFile}, its new address ${ADDED.renamedPath} is HTTP 200`, moved.status === 200 && moved.text.includes(ADDED.title), `HTTP ${moved.status}`);
  check(`files: and its old address ${ADDED.path} is HTTP 404`, old.status === 404, `HTTP ${old.status}`);
  const w2 = await reloaded(newsTab, (s) => s.main.includes(ADDED.title));
  const h2 = await hrefs();
  check(`files: the news list reloads and links to ${ADDED.renamedPath} instead`, w2.ok && h2.includes(ADDED.renamedPath) && !h2.includes(ADDED.path), { reloaded: w2.ok, links: h2 });

  await mark([newsTab]);
  unlinkSync(file(ADDED.renamedFile));
  const gone = await waitStatus(ADDED.renamedPath, 404);
  check(`files: deleted, ${ADDED.renamedPath} is HTTP 404`, gone.status === 404, `HTTP ${gone.status}`);
  check('files: the 404 answer is the site\'s own 404 page', /<html/i.test(gone.text || '') && /^text\/html/.test(gone.type || ''), gone.type);
  const w3 = await reloaded(newsTab, (s) => !s.main.includes(ADDED.title) && s.main.includes(FIXTURE.news.title));
  check(`files: the news list reloads without "${ADDED.title}"`, w3.ok, seen(w3));
}

async function changedTitle(tabs) {
  const { eventTab } = tabs;
  const resp = await visit(eventTab, '/cpd/');
  check('titles: the CPD list /cpd/ opens and lists the event', resp?.status() === 200 && (await state(eventTab)).main.includes(FIXTURE.event.title), resp?.status());
  const title = `Spring network ${RUN}`;
  const good = read(FIXTURE.event.file);
  const bad = good.replace(/^title: .*$/m, `title: ${title}`);
  await mark([eventTab]);
  save(FIXTURE.event.file, bad);
  const w = await reloaded(eventTab, (s) => s.main.includes(title));
  check(`titles: with the event's title changed in its front matter, the open CPD list reloads and lists "${title}" instead`, w.ok && !w.value.main.includes(FIXTURE.event.title), seen(w));
  const page = await get(FIXTURE.event.path);
  check(`titles: ${FIXTURE.event.path} has the new title`, page.status === 200 && page.text.includes(title), `HTTP ${page.status}`);
  await mark([eventTab]);
  save(FIXTURE.event.file, good);
  const back = await reloaded(eventTab, (s) => s.main.includes(FIXTURE.event.title));
  check('titles: put back, the list shows the old title again', back.ok && !back.value.main.includes(title), seen(back));
}

async function siteTitle(tabs) {
  const { eventTab, newsTab } = tabs;
  await visit(eventTab, FIXTURE.event.path);
  const good = read(FIXTURE.siteYaml);
  const bad = good.replace(new RegExp(`^title: ${escapeRe(FIXTURE.siteTitle)}$`, 'm'), `title: ${NEW_SITE_TITLE}`);
  if (!check(`site.yaml: it has "title: ${FIXTURE.siteTitle}" to change`, bad !== good)) return;
  await mark([eventTab, newsTab]);
  save(FIXTURE.siteYaml, bad);
  const w = await reloaded(eventTab, (s) => s.title.includes(NEW_SITE_TITLE));
  check(`site.yaml: with its title changed to "${NEW_SITE_TITLE}", the open page's <title> says so after a reload (${w.ms} ms)`, w.ok && !w.value.title.includes(FIXTURE.siteTitle), w.value ? w.value.title : seen(w));
  const header = eventTab.getByRole('banner').getByRole('link', { name: NEW_SITE_TITLE, exact: true });
  check(`site.yaml: the page's header links to the home page as "${NEW_SITE_TITLE}"`, (await header.count()) >= 1 && (await header.first().isVisible()), await eventTab.getByRole('banner').innerText().catch((e) => e.message));
  const list = await reloaded(newsTab, (s) => s.title.includes(NEW_SITE_TITLE));
  check('site.yaml: the other open page shows it too', list.ok, seen(list));
  await mark([eventTab, newsTab]);
  save(FIXTURE.siteYaml, good);
  const back = await reloaded(eventTab, (s) => s.title.includes(FIXTURE.siteTitle));
  check(`site.yaml: put back, the page says "${FIXTURE.siteTitle}" again`, back.ok, seen(back));
  await reloaded(newsTab, (s) => s.title.includes(FIXTURE.siteTitle), 5000);
}

async function http() {
  const port = new URL(ORIGIN).port;
  for (const p of [FIXTURE.news.path, FIXTURE.event.path, '/']) {
    const r = await get(p);
    check(`http: ${p} ends with <script src="/__stave/live.js"></script> just before </body>`, r.status === 200 && /<script src="\/__stave\/live\.js"><\/script>\s*<\/body>/.test(r.text), `HTTP ${r.status}; end: ${clip(r.text.slice(-200), 200)}`);
  }
  const missing = await get('/no-such-page/');
  check('http: a missing page is HTTP 404 with the site\'s 404 page', missing.status === 404 && /^text\/html/.test(missing.type) && /<html/i.test(missing.text), `HTTP ${missing.status} ${missing.type}`);
  check('http: the 404 page has the live-reload script too', missing.text.includes('<script src="/__stave/live.js"></script>'), clip(missing.text.slice(-200), 200));
  const js = await get('/__stave/live.js');
  check('http: /__stave/live.js is served as JavaScript', js.status === 200 && /javascript/.test(js.type) && js.text.includes('/__stave/events'), `HTTP ${js.status} ${js.type}`);
  const events = await headersOf('/__stave/events');
  check('http: /__stave/events is HTTP 200 text/event-stream', events.status === 200 && /^text\/event-stream/.test(events.headers['content-type'] || ''), events);
  for (const p of [FIXTURE.draft.path, FIXTURE.scheduled.path]) {
    const r = await get(p);
    check(`http: without --drafts, ${p} (a draft or scheduled page) is HTTP 404`, r.status === 404 && !r.text.includes(p === FIXTURE.draft.path ? FIXTURE.draft.title : FIXTURE.scheduled.title), `HTTP ${r.status}`);
  }
  const post = await raw(`POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  check('http: POST / is HTTP 405 (Allow: GET, HEAD)', post.status === 405 && post.headers.allow === 'GET, HEAD', { status: post.status, allow: post.headers.allow });
  for (const p of ['/../site.yaml', '/%2e%2e/site.yaml', '/%2E%2E/site.yaml', '/..%2fsite.yaml', '/%2e%2e%2fcontent/news/hello.md', '/../content/news/hello.md', '/..%5csite.yaml', '/cpd/../../site.yaml']) {
    const r = await raw(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    check(`http: GET ${p} is HTTP 404 and never the site's files`, r.status === 404 && !SECRETS.some((s) => r.body.includes(s)), `HTTP ${r.status}; ${clip(r.body, 120)}`);
  }

  // Only this computer: the port must not answer on the machine's other addresses.
  const other = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && (i.family === 'IPv4' || i.family === 4) && !i.internal);
  if (!other) {
    console.log('SKIP http: this machine has no non-loopback IPv4 address, so whether the port answers on one could not be tried (not counted as a check)');
  } else {
    const outcome = await new Promise((resolve) => {
      const sock = net.connect(Number(port), other.address);
      sock.setTimeout(3000, () => {
        sock.destroy();
        resolve('no answer within 3 s');
      });
      sock.on('connect', () => {
        sock.destroy();
        resolve('connected');
      });
      sock.on('error', (e) => resolve(e.code || e.message));
    });
    check(`http: port ${port} is refused on this machine's address ${other.address} (listening on 127.0.0.1 only)`, outcome === 'ECONNREFUSED', outcome);
  }
}

async function drafts(context, errors, draftsOrigin, axeSource) {
  const tab = await openTab(context, errors, WAIT_MS);
  try {
    for (const [page, word] of [
      [FIXTURE.draft, 'Draft'],
      [FIXTURE.scheduled, 'Scheduled'],
    ]) {
      const resp = await tab.goto(draftsOrigin + page.path, { waitUntil: 'load' });
      check(`drafts: with --drafts, ${page.path} is served (HTTP 200)`, resp?.status() === 200, resp?.status());
      const note = tab.getByRole('main').getByRole('note');
      const texts = await note.allTextContents();
      check(`drafts: its <main> has a note (role note) starting "${word}"`, texts.length === 1 && new RegExp(`^\\s*${word}\\b`).test(texts[0]), texts);
      const first = await tab.evaluate(() => {
        const main = document.querySelector('main');
        const el = main && main.firstElementChild;
        return el ? { tag: el.tagName, role: el.getAttribute('role'), text: (el.textContent || '').trim().slice(0, 120) } : null;
      });
      check('drafts: the note is the first thing in <main>', first && first.tag === 'P' && first.role === 'note', first);
      if (word === 'Draft') {
        const v = await axeViolations(tab, axeSource);
        check('drafts: axe-core finds no violation on the draft page with its note', v.length === 0, v);
      }
    }
    await tab.goto(draftsOrigin + FIXTURE.news.path, { waitUntil: 'load' });
    check(`drafts: a published page (${FIXTURE.news.path}) has no such note`, (await tab.getByRole('main').getByRole('note').count()) === 0);
  } finally {
    await tab.close().catch(() => {});
  }
}

// ------------------------------------------------------------------ main ---

async function main() {
  const opts = options(process.argv.slice(2));
  SITE = opts.site;
  ORIGIN = opts.url;
  const started = Date.now();
  let browser = null;
  const deadline = setTimeout(() => {
    console.error(`${NAME}: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    restoreAll();
    console.log(`${NAME}: ${counts.passed} checks passed, ${counts.failed + 1} failed`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();
  try {
    const chromium = await loadChromium();
    const axe = await loadAxe();
    const start = await problems();
    if (!Array.isArray(start.json?.errors) || start.json.errors.length !== 0) {
      check('start: /__stave/errors.json says the first build had no problem', false, start);
    }
    browser = await launchChromium(chromium, opts.chromium);
    console.log(`${NAME}: checking the live preview at ${ORIGIN}/ (site ${SITE}) with axe-core ${axe.version}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, bypassCSP: true, serviceWorkers: 'block' });
    const outside = [];
    const local = [ORIGIN + '/', ...(opts.draftsUrl ? [opts.draftsUrl + '/'] : [])];
    context.on('request', (req) => {
      const u = req.url();
      if (!(local.some((o) => u.startsWith(o)) || u.startsWith('data:') || u.startsWith('blob:'))) outside.push(u);
    });
    const errors = [];
    const tabs = { eventTab: await newTab(context, errors), newsTab: await newTab(context, errors) };
    const scenarios = [
      ['reload', () => liveReload(tabs)],
      ['problems', () => brokenContent(tabs, axe.source)],
      ['template', () => brokenTemplate(tabs)],
      ['files', () => addRenameDelete(tabs)],
      ['titles', () => changedTitle(tabs)],
      ['site.yaml', () => siteTitle(tabs)],
      ['http', () => http()],
    ];
    if (opts.draftsUrl) scenarios.push(['drafts', () => drafts(context, errors, opts.draftsUrl, axe.source)]);
    else console.log('SKIP drafts: no --drafts-url given, so the draft and scheduled notes were not checked (not counted as a check)');
    for (const [what, run] of scenarios) {
      const t = Date.now();
      await step(what, run);
      // Whatever happened, the next scenario starts from the fixture as it was, built cleanly.
      if (restoreAll()) {
        const clean = await waitProblems(0);
        if (!Array.isArray(clean?.json?.errors) || clean.json.errors.length) check(`${what}: the site builds cleanly again once its files are put back`, false, clean);
        await sleep(500);
      }
      console.log(`${NAME}: ${what} took ${((Date.now() - t) / 1000).toFixed(1)}s`);
    }
    check('everywhere: no request leaves 127.0.0.1', outside.length === 0, outside);
    check('everywhere: no script error in any page', errors.length === 0, errors);
  } catch (err) {
    console.error(`${NAME}: ${err.stack || err.message}`);
    counts.failed++;
  } finally {
    restoreAll();
    if (browser) await browser.close().catch(() => {});
    clearTimeout(deadline);
  }
  console.log(`${NAME}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${NAME}: ${counts.passed} checks passed, ${counts.failed} failed`);
  process.exit(counts.failed > 0 ? 1 : 0);
}

main();

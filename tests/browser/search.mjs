#!/usr/bin/env node
// Browser check of the site search on the fixture site tests/fixtures/search built by stave
// (the search page /search/, search.js, the index files under /search/ and the search box in
// every page's header).
//
// Serves the built site on 127.0.0.1 (see serve.mjs) and searches it in headless Chromium the
// way a music lead would, finding every control by its role and accessible name:
//   finding: a word only in a page's body ("glockenspiel") finds exactly that resource, shown
//     with its title, type, date and summary; a word only in a title ("xylophone")
//     finds that page; a typo ("singng") and another form of a word ("sings") find the
//     singing pages; the status announces "N results for “…”"; every result has a title link,
//     a line with its type of page and date, and a summary; every result link is under the
//     site's prefix, is a page of the site (HTTP 200) and none is an alias (/old-singing-page/);
//     more than ten results offer "Show more results".
//   never found: a draft ("zebrafinch"), a scheduled page ("quokkasong"), a page with
//     `search: false` ("hiddenmarimba") and a school in the engagement data ("Quillfeather")
//     give "No results", and none of these words is in any file under /search/.
//   filters: Type of page, Phase and Topic are groups of checkboxes named "Label (count)";
//     ticking Phase "Primary" drops the secondary-only CPD event and keeps the primary
//     resource; Type "CPD and training" with Phase "Secondary" leaves only the secondary CPD
//     event; every count is the number of results ticking it alone gives (a group's counts
//     with the other groups' filters applied); only values with results, or ticked, are shown.
//   address: ?q=…&collection=…&phase=…&topic=… follows the search (typing replaces the history
//     entry, ticking a filter adds one); a reload keeps the query, the ticks and the results;
//     Back returns to the state before; loading such an address restores it all.
//   header: the "Site search" form is on every page checked, and from the home page it leads to
//     the results.
//   keyboard alone: type in the search box, Tab to a filter, Space ticks it and the results
//     change, Tab reaches the first result's link.
//   axe-core (WCAG 2.0-2.2 A and AA) finds no violation with results and filters showing, at
//     1280 px and at 320 px, where the page does not scroll sideways.
//   index: its files are fetched only once a search is made, from under /search/, and load.
//   without JavaScript the page says "Search needs JavaScript" and links to the phase pages;
//     with JavaScript that message is hidden; with JavaScript but search.js failing to load, it
//     comes back.
//   layout shift: on a phone and a desktop screen, with the page's scripts held back as on a
//     slow network, loading /search/ (empty, and with ?q=singing) shifts its layout by less
//     than 0.05 (PerformanceObserver `layout-shift` entries, as Lighthouse counts them).
//   everywhere: no request leaves 127.0.0.1 and no script error.
// What the fixture holds is written down in FIXTURE below and in its site.yaml.
//
// Usage:
//   node search.mjs --root DIR [--prefix /hub/] [--port N] [--timeout SECONDS] [--chromium PATH]
//
// Ends with `search: N checks passed, M failed` and exits 1 if any check fails.

import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { axeViolations, check, escapeRe, openTab, runChecks, scriptOptions, step } from './checks.mjs';
import { clip, keepLocal } from './serve.mjs';

const WAIT_MS = 10_000;
// Results are taken as shown once the status, the results and the filters have not changed
// for this long (the search box waits about 150 ms after the last key, and a status line may
// wait a little longer so that screen readers are not interrupted at every key).
const SETTLE_MS = 700;

// The fixture site (tests/fixtures/search): the pages the checks look for, by address
// relative to the prefix.
const FIXTURE = {
  assemblies: {
    title: 'Singing assemblies for Key Stage 2',
    path: 'resources/singing-assemblies-key-stage-2/',
    phases: ['primary'],
    summary: 'A term of weekly singing assemblies for Years 3 to 6',
  },
  warmUps: { title: 'Vocal warm-ups for every classroom', path: 'resources/vocal-warm-ups/', phases: ['primary', 'secondary', 'send'] },
  xylophone: { title: 'Xylophone and tuned percussion loans', path: 'about-xylophones/' },
  cpdSecondary: { title: 'Secondary Singing Network: changing voices', path: 'cpd/secondary-singing-network-january-2027/', phases: ['secondary'] },
  cpdPrimary: { title: 'Composing in the primary classroom (online workshop)', path: 'cpd/primary-composition-workshop-february-2027/', phases: ['primary'] },
  news: { title: 'Singing news for the spring term', path: 'news/singing-news-spring-2027/', phases: ['primary', 'secondary'] },
  plan: { title: 'Local plan for music education 2026-27', path: 'publications/local-plan-2026-27/' },
};
// Every published page with "singing" in its title, summary or body.
const SINGING = ['assemblies', 'warmUps', 'cpdSecondary', 'cpdPrimary', 'news', 'plan'];
// The old address of the warm-ups resource: a redirect, never a result.
const ALIAS = 'old-singing-page/';
// Words each in one file that must never be found, and why.
const NEVER_FOUND = [
  ['zebrafinch', 'a draft resource'],
  ['quokkasong', 'a news item scheduled for 2027-03-01'],
  ['hiddenmarimba', 'a page with `search: false`'],
  ['Quillfeather', 'a school in the engagement data'],
];
const MAIN_FORM = /^Search the schools['’] area$/;
const GROUPS = ['Type of page', 'Phase', 'Topic'];
const PARAM = { 'Type of page': 'collection', Phase: 'phase', Topic: 'topic' };



// ---------------------------------------------------------------- report ---



const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- browser ---

// A context that records every request (`log`: {url, type, status}) and blocks, noting in
// `outside`, any that leaves the local server.
async function newContext(browser, origin, outside, log, extra = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    bypassCSP: true, // so axe can be injected whatever the site's CSP says
    serviceWorkers: 'block',
    ...extra,
  });
  await keepLocal(context, origin, outside);
  context.on('request', (req) => log.push({ url: req.url(), type: req.resourceType(), status: null, req }));
  context.on('requestfinished', async (req) => {
    const entry = log.find((e) => e.req === req);
    const resp = await req.response().catch(() => null);
    if (entry && resp) entry.status = resp.status();
  });
  context.on('requestfailed', (req) => {
    const entry = log.find((e) => e.req === req);
    if (entry) entry.status = `failed: ${req.failure()?.errorText}`;
  });
  return context;
}



// ------------------------------------------------------------ the page ---

// The search page's controls, by role and name.
function ui(tab) {
  const form = tab.getByRole('search', { name: MAIN_FORM });
  const group = (name) => tab.getByRole('group', { name, exact: true });
  return {
    form,
    box: form.getByRole('searchbox', { name: 'Search for', exact: true }),
    button: form.getByRole('button', { name: 'Search', exact: true }),
    list: tab.getByRole('list', { name: 'Search results', exact: true }),
    more: tab.getByRole('button', { name: 'Show more results', exact: true }),
    group,
    checkbox: (groupName, label) => group(groupName).getByRole('checkbox', { name: new RegExp(`^${escapeRe(label)} \\(\\d+\\)$`) }),
  };
}

function header(tab) {
  const form = tab.getByRole('search', { name: 'Site search', exact: true });
  return {
    form,
    box: form.getByRole('searchbox', { name: 'Search the site', exact: true }),
    button: form.getByRole('button', { name: 'Search', exact: true }),
  };
}

// What the search page shows now: the status, the results and the filters (visible ones).
async function snapshot(tab) {
  return tab.evaluate((groupNames) => {
    const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
    const visible = (el) => !!el && (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.offsetParent !== null);
    const nameOf = (el) => {
      if (el.getAttribute('aria-label')) return norm(el.getAttribute('aria-label'));
      const by = el.getAttribute('aria-labelledby');
      if (by) return norm(by.split(/\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' '));
      return norm([...(el.labels || [])].map((l) => l.textContent).join(' '));
    };
    const statuses = [...document.querySelectorAll('[role=status], output')];
    const status =
      statuses.find((s) => /\bresults? for\b|^No results/i.test(norm(s.textContent))) || statuses.find((s) => s.closest('main')) || statuses[0];
    const ol = [...document.querySelectorAll('ol')].find((o) => o.getAttribute('aria-label') === 'Search results');
    const results =
      ol && visible(ol)
        ? [...ol.querySelectorAll(':scope > li')].filter(visible).map((li) => {
            const a = li.querySelector('h2 a');
            const meta = li.querySelector('p.search-result__meta');
            const sum = li.querySelector('p.search-result__summary');
            return {
              title: norm(a && a.textContent),
              href: a ? a.href : null,
              path: a ? new URL(a.href).pathname : null,
              meta: meta ? norm(meta.textContent) : null,
              summary: sum ? norm(sum.textContent) : null,
              summaryHtml: sum ? sum.innerHTML : null,
              marks: sum ? [...sum.querySelectorAll('mark')].map((m) => norm(m.textContent)) : [],
            };
          })
        : [];
    const groups = {};
    for (const fs of document.querySelectorAll('fieldset')) {
      const legend = fs.querySelector(':scope > legend');
      const name = norm(legend && legend.textContent);
      if (!groupNames.includes(name)) continue;
      groups[name] = {
        shown: visible(fs),
        values: [...fs.querySelectorAll('input[type=checkbox]')]
          .filter((cb) => visible(fs) && visible(cb.closest('label') || cb))
          .map((cb) => {
            const n = nameOf(cb);
            const m = /^(.*) \((\d+)\)$/.exec(n);
            return { name: n, label: m ? m[1] : n, count: m ? Number(m[2]) : null, checked: cb.checked, value: cb.value };
          }),
      };
    }
    return { status: status ? norm(status.textContent) : '', results, groups, url: location.href, historyLength: history.length };
  }, GROUPS);
}

// The number of results the status announces, or null when it announces none.
function statusCount(status) {
  const m = /^(\d+) results? for/.exec(status || '');
  if (m) return Number(m[1]);
  return /^No results/.test(status || '') ? 0 : null;
}

// Waits until the status announces results for `query` (when given) and nothing on the page
// has changed for SETTLE_MS; returns what is shown then (with `timedOut` if it never settled).
async function settle(tab, query) {
  const deadline = Date.now() + WAIT_MS;
  let last = null;
  let since = Date.now();
  let snap = null;
  while (Date.now() < deadline) {
    try {
      snap = await snapshot(tab);
    } catch {
      // The page is navigating (a form submitted natively): look again once it has loaded.
      await sleep(100);
      continue;
    }
    const key = JSON.stringify([snap.status, snap.results, snap.groups]);
    const ready = statusCount(snap.status) !== null && (query === undefined || snap.status.toLowerCase().includes(query.toLowerCase()));
    if (key !== last) {
      last = key;
      since = Date.now();
    } else if (ready && Date.now() - since >= SETTLE_MS) {
      return snap;
    }
    await sleep(50);
  }
  return { status: '', results: [], groups: {}, url: tab.url(), historyLength: 0, ...snap, timedOut: true };
}

// Fails (and says what it saw) when the results never settled.
function settled(snap, what) {
  return check(`${what}: the results settle`, !snap.timedOut, `the status never announced the results within ${WAIT_MS / 1000}s; status: "${snap.status}", ${snap.results.length} results shown`);
}

// Types `query` into the search page's box (replacing what is there), optionally presses
// Enter, and returns what is shown once settled.
async function search(tab, query, { enter = false, keys = false } = {}) {
  const { box } = ui(tab);
  if (keys) {
    await box.fill('');
    await box.pressSequentially(query, { delay: 40 });
  } else {
    await box.fill(query);
  }
  if (enter) await box.press('Enter');
  const snap = await settle(tab, query);
  settled(snap, `"${query}"`);
  return snap;
}

const titles = (snap) => snap.results.map((r) => r.title);
const describe = (snap) => `status "${snap.status}"; results: ${JSON.stringify(titles(snap))}`;
const hasPage = (snap, prefix, key) => snap.results.some((r) => r.path === prefix + FIXTURE[key].path);

// Clicks "Show more results" until it is gone (at most 20 times); returns what is shown then.
async function showAll(tab, query) {
  let snap = await settle(tab, query);
  for (let i = 0; i < 20 && (await ui(tab).more.isVisible().catch(() => false)); i++) {
    await ui(tab).more.click();
    snap = await settle(tab, query);
  }
  return snap;
}

// Ticks or unticks a filter value by its label, then returns what is shown once settled.
async function setFilter(tab, groupName, label, on, query) {
  const box = ui(tab).checkbox(groupName, label);
  if (on) await box.check();
  else await box.uncheck();
  return settle(tab, query);
}

function params(snap) {
  const u = new URL(snap.url);
  const get = (k) => u.searchParams.getAll(k).sort();
  return { q: u.searchParams.get('q'), collection: get('collection'), phase: get('phase'), topic: get('topic') };
}

const sameList = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// Every shown filter value has results, or is ticked.
function checkShownValues(snap, what) {
  const bad = [];
  for (const [g, grp] of Object.entries(snap.groups)) {
    for (const v of grp.values) if (!(v.checked || v.count > 0)) bad.push(`${g}: "${v.name}"`);
    for (const v of grp.values) if (v.count === null) bad.push(`${g}: "${v.name}" is not named "Label (count)"`);
  }
  check(`${what}: every filter shown is named "Label (count)" and has results or is ticked`, bad.length === 0, bad);
}

// For a group with nothing ticked: ticking each shown value alone gives as many results as its
// label says (the other groups' ticks still applying), and unticking it restores the results.
async function verifyGroupCounts(tab, groupName, query, what) {
  const before = await settle(tab, query);
  const grp = before.groups[groupName];
  if (!check(`${what}: the "${groupName}" filters are shown`, grp && grp.shown && grp.values.length > 0, before.groups)) return;
  if (grp.values.some((v) => v.checked)) return;
  const base = statusCount(before.status);
  if (groupName === 'Type of page') {
    const sum = grp.values.reduce((a, v) => a + (v.count || 0), 0);
    check(`${what}: the "Type of page" counts add up to the ${base} results`, sum === base, `counts: ${grp.values.map((v) => v.name).join(', ')}; status "${before.status}"`);
  }
  for (const v of grp.values) {
    const after = await setFilter(tab, groupName, v.label, true, query);
    const n = statusCount(after.status);
    check(`${what}: ticking ${groupName} "${v.label}" gives ${v.count} result(s), as its label "${v.name}" says`, n === v.count, `status "${after.status}"`);
    if (groupName === 'Type of page') {
      const other = after.results.filter((r) => !(r.meta || '').includes(v.label));
      check(`${what}: with "${v.label}" ticked every result says "${v.label}"`, other.length === 0, other.map((r) => `${r.title}: "${r.meta}"`));
    }
    const back = await setFilter(tab, groupName, v.label, false, query);
    check(`${what}: unticking ${groupName} "${v.label}" gives the ${base} results again`, statusCount(back.status) === base, `status "${back.status}"`);
  }
}

// Index files: requests under <prefix>search/ other than the page itself.
function indexRequests(log, origin, prefix) {
  return log.filter((e) => {
    if (!e.url.startsWith(origin + '/')) return false;
    const p = new URL(e.url).pathname;
    return p.startsWith(prefix + 'search/') && p !== prefix + 'search/' && p !== prefix + 'search/index.html' && !/\.(js|css)$/.test(p);
  });
}

// --------------------------------------------------------------- checks ---

async function searchChecks(browser, axeSource, origin, opts) {
  const { prefix } = opts;
  const searchUrl = `${origin}${prefix}search/`;
  const outside = [];
  const errors = [];
  const log = [];
  const links = new Map(); // every result link seen: href -> title
  const note = (snap) => snap.results.forEach((r) => r.href && links.set(r.href, r.title));
  const context = await newContext(browser, origin, outside, log);
  try {
    const tab = await openTab(context, errors, WAIT_MS);

    // ---- the header search, on every page checked; no index before a search
    await step('header: search form on every page', async () => {
      for (const rel of ['', FIXTURE.assemblies.path, FIXTURE.cpdSecondary.path, FIXTURE.xylophone.path, 'phase/primary/', 'search/']) {
        if (rel === 'search/') {
          await sleep(SETTLE_MS);
          const early = indexRequests(log, origin, prefix);
          check('index: no index file is fetched by pages other than the search page', early.length === 0, early.map((e) => e.url));
        }
        const resp = await tab.goto(origin + prefix + rel, { waitUntil: 'load' });
        if (!check(`${prefix}${rel} loads`, resp && resp.status() === 200, resp && resp.status())) continue;
        const h = header(tab);
        const n = [await h.form.count(), await h.box.count(), await h.button.count()];
        check(
          `header: ${prefix}${rel} has a "Site search" form with a "Search the site" box and a "Search" button`,
          n.every((x) => x === 1),
          `found ${n[0]} form(s) role=search named "Site search", ${n[1]} searchbox(es) named "Search the site", ${n[2]} "Search" button(s) in it`,
        );
      }
    });

    await step('header: from the home page to the results', async () => {
      await tab.goto(origin + prefix, { waitUntil: 'load' });
      const h = header(tab);
      await h.box.fill('glockenspiel');
      await h.button.click();
      await tab.waitForURL((u) => u.pathname === prefix + 'search/' && u.searchParams.get('q') === 'glockenspiel', { timeout: WAIT_MS });
      check(`header: the search goes to ${prefix}search/?q=glockenspiel`, true);
      const snap = await settle(tab, 'glockenspiel');
      settled(snap, 'header search');
      note(snap);
      check('header: the search page shows "glockenspiel" in its search box', (await ui(tab).box.inputValue()) === 'glockenspiel', await ui(tab).box.inputValue());
      check('header: the results include the singing assemblies resource', hasPage(snap, prefix, 'assemblies'), describe(snap));
    });

    // ---- the search page itself
    await step('page: the empty search page', async () => {
      const before = log.length;
      const resp = await tab.goto(searchUrl, { waitUntil: 'load' });
      if (!check(`page: ${searchUrl} loads`, resp && resp.status() === 200, resp && resp.status())) return;
      const h1 = tab.getByRole('heading', { level: 1, name: 'Search', exact: true });
      check('page: the main heading is "Search"', (await h1.count()) === 1, await tab.locator('h1').allTextContents());
      const u = ui(tab);
      const n = [await u.form.count(), await u.box.count(), await u.button.count()];
      check(`page: a form role=search named "Search the schools' area" with a "Search for" box and a "Search" button`, n.every((x) => x === 1), `found ${n[0]} form(s), ${n[1]} box(es), ${n[2]} button(s)`);
      if (n[1] === 1) check('page: the search box is named q', (await u.box.getAttribute('name')) === 'q', await u.box.getAttribute('name'));
      const msg = tab.getByText(/Search needs JavaScript/);
      let shown = 0;
      for (const m of await msg.all()) if (await m.isVisible()) shown++;
      check('page: with JavaScript, "Search needs JavaScript" is hidden', shown === 0, `${shown} visible`);
      await sleep(SETTLE_MS);
      const early = indexRequests(log.slice(before), origin, prefix);
      check('index: loading the search page without a query fetches no index file', early.length === 0, early.map((e) => e.url));
    });

    // ---- finding
    await step('find: a word only in a body, typed key by key', async () => {
      const before = log.length;
      const snap = await search(tab, 'glockenspiel', { keys: true });
      note(snap);
      check('find: "glockenspiel" is announced as `1 result for “glockenspiel”`', snap.status.startsWith('1 result for “glockenspiel”'), `status "${snap.status}"`);
      const r = snap.results;
      if (!check('find: "glockenspiel" (only in a body) finds exactly the singing assemblies resource', r.length === 1 && r[0].path === prefix + FIXTURE.assemblies.path, describe(snap))) return;
      const listItems = await ui(tab).list.getByRole('listitem').count();
      check('find: the results are items of a list named "Search results"', listItems === 1, `${listItems} list item(s)`);
      check('find: the result is a level-2 heading linking to the page', (await ui(tab).list.getByRole('heading', { level: 2, name: FIXTURE.assemblies.title }).getByRole('link').count()) === 1);
      check(`find: the result's title is "${FIXTURE.assemblies.title}"`, r[0].title === FIXTURE.assemblies.title, r[0].title);
      check('find: the result shows its type of page and date ("Resources", 2026)', r[0].meta !== null && r[0].meta.includes('Resources') && /2026/.test(r[0].meta), `meta: ${JSON.stringify(r[0].meta)}`);
      check('find: the result shows the page\'s summary', (r[0].summary || '').startsWith(FIXTURE.assemblies.summary), `summary: ${r[0].summary}`);
      const fetched = indexRequests(log.slice(before), origin, prefix);
      check(`index: searching fetches index files from under ${prefix}search/`, fetched.length > 0, `requests: ${log.slice(before).map((e) => e.url).join(', ')}`);
      await sleep(200);
      const bad = fetched.filter((e) => e.status !== 200);
      check('index: every index file fetched loads (HTTP 200)', bad.length === 0, bad.map((e) => `${e.url}: ${e.status}`));
    });

    await step('find: a word only in a title, with Enter', async () => {
      const snap = await search(tab, 'xylophone', { enter: true });
      note(snap);
      const r = snap.results;
      check('find: "xylophone" (only in a title) finds exactly the Xylophone page', r.length === 1 && r[0].path === prefix + FIXTURE.xylophone.path, describe(snap));
      check('find: "xylophone" is announced as 1 result', statusCount(snap.status) === 1 && /^1 result for/.test(snap.status), `status "${snap.status}"`);
      check(`find: after Enter the address is ${prefix}search/?q=xylophone`, params(snap).q === 'xylophone', snap.url);
    });

    await step('find: a typo and another form of the word', async () => {
      for (const [q, why] of [
        ['singng', 'a typo'],
        ['sings', 'another form of "singing"'],
      ]) {
        const snap = await search(tab, q);
        note(snap);
        check(`find: "${q}" (${why}) finds the singing assemblies resource`, statusCount(snap.status) >= 1 && hasPage(snap, prefix, 'assemblies'), describe(snap));
      }
    });

    await step('find: never found', async () => {
      for (const [word, what] of NEVER_FOUND) {
        const snap = await search(tab, word);
        check(`find: "${word}" (only in ${what}) gives no results`, snap.results.length === 0 && /^No results/.test(snap.status), describe(snap));
        if (word === 'zebrafinch') check('find: the status reads `No results for “zebrafinch”`', snap.status.startsWith('No results for “zebrafinch”'), `status "${snap.status}"`);
      }
    });

    await step('find: "singing"', async () => {
      const snap = await search(tab, 'singing');
      note(snap);
      const n = statusCount(snap.status);
      check('find: "singing" is announced as `N results for “singing”`', /^\d+ results for “singing”/.test(snap.status), `status "${snap.status}"`);
      for (const key of SINGING) check(`find: "singing" finds "${FIXTURE[key].title}"`, hasPage(snap, prefix, key), describe(snap));
      if (n !== null && n <= 10) check(`find: all ${n} results announced are shown`, snap.results.length === n, describe(snap));
      const warm = snap.results.filter((r) => r.title === FIXTURE.warmUps.title);
      check('find: the resource with an alias is listed once, at its own address', warm.length === 1 && warm[0].path === prefix + FIXTURE.warmUps.path, warm);
      check('find: the first result for "singing" has the word in its title (titles weigh most)', /singing/i.test(snap.results[0]?.title || ''), describe(snap));
      const noSummary = snap.results.filter((r) => r.summary === null || r.meta === null);
      check('find: every result has a meta line and a summary paragraph', noSummary.length === 0, noSummary.map((r) => r.title));
      const cpd = snap.results.find((r) => r.path === prefix + FIXTURE.cpdSecondary.path);
      if (cpd) check('find: the CPD event shows "CPD and training" and its date in 2027', (cpd.meta || '').includes('CPD and training') && /2027/.test(cpd.meta || ''), `meta: ${JSON.stringify(cpd.meta)}`);
      const marked = snap.results.filter((r) => r.marks.some((m) => /^singing$/i.test(m)));
      check('find: "singing" is marked in the results\' summaries', marked.length >= 1, snap.results.map((r) => r.summaryHtml));
    });

    await step('find: more than ten results', async () => {
      const snap = await search(tab, 'music');
      const n = statusCount(snap.status);
      if (!check('find: "music" (on every page of the fixture) gives more than 10 results', n !== null && n > 10, describe(snap))) return;
      check('find: the first 10 results are shown', snap.results.length === 10, `${snap.results.length} shown`);
      if (!check('find: a "Show more results" button is offered', await ui(tab).more.isVisible())) return;
      await ui(tab).more.click();
      const more = await settle(tab, 'music');
      note(more);
      check(`find: "Show more results" shows more (${Math.min(n, 20)} of ${n})`, more.results.length === Math.min(n, 20), `${more.results.length} shown`);
      check('find: the first ten results stay in place', sameList(more.results.slice(0, 10).map((r) => r.href), snap.results.map((r) => r.href)));
      const all = await showAll(tab, 'music');
      note(all);
      check(`find: every one of the ${n} results can be shown`, all.results.length === n, `${all.results.length} shown`);
      check('find: no page is listed twice', new Set(all.results.map((r) => r.href)).size === all.results.length, titles(all));
      check('find: with every result shown, "Show more results" is gone', !(await ui(tab).more.isVisible()));
    });

    check('search page: no script error so far', errors.length === 0, errors);
    await tab.close();

    // ---- filters
    await step('filters', async () => filterChecks(context, errors, origin, opts, note));

    // ---- address and history
    await step('address', async () => addressChecks(context, errors, origin, opts, note));

    // ---- keyboard alone
    await step('keyboard', async () => keyboardChecks(context, errors, origin, opts));

    // ---- accessibility and width
    await step('axe-core', async () => {
      const t = await openTab(context, errors, WAIT_MS);
      await t.goto(`${searchUrl}?q=singing`, { waitUntil: 'load' });
      const snap = await settle(t, 'singing');
      if (!check('axe: the search page shows results and filters for "singing"', snap.results.length > 0 && GROUPS.every((g) => snap.groups[g] && snap.groups[g].shown), describe(snap))) return;
      const wide = await axeViolations(t, axeSource);
      check('axe: no violation at 1280 px with results and filters showing', wide.length === 0, wide);
      await t.setViewportSize({ width: 320, height: 640 });
      await sleep(200);
      const w = await t.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      check('axe: at 320 px the search page does not scroll sideways', w[0] <= w[1], `scrollWidth ${w[0]} > clientWidth ${w[1]}`);
      const narrow = await axeViolations(t, axeSource);
      check('axe: no violation at 320 px with results and filters showing', narrow.length === 0, narrow);
      await t.close();
    });

    // ---- every result link seen
    await step('links', async () => {
      const alias = [...links.keys()].filter((h) => new URL(h).pathname === prefix + ALIAS);
      check(`links: no result links to the alias ${prefix}${ALIAS}`, alias.length === 0, alias);
      for (const [href, title] of links) {
        const u = new URL(href);
        if (!check(`links: "${clip(title, 50)}" is under ${origin}${prefix}`, u.origin === origin && u.pathname.startsWith(prefix), href)) continue;
        const r = await context.request.get(href, { maxRedirects: 0 });
        check(`links: ${u.pathname} is a page of the site (HTTP 200)`, r.status() === 200, `HTTP ${r.status()}`);
      }
    });

    // ---- the index on disk
    await step('index on disk', async () => {
      const dir = path.join(opts.root, 'search');
      const files = [];
      async function walk(d) {
        for (const e of await fsp.readdir(d, { withFileTypes: true })) {
          const full = path.join(d, e.name);
          if (e.isDirectory()) await walk(full);
          else if (e.isFile()) files.push(full);
        }
      }
      if (!check(`index: ${prefix}search/ is a folder of the built site`, existsSync(dir))) return;
      await walk(dir);
      check(`index: ${prefix}search/ holds JSON index files`, files.some((f) => f.endsWith('.json')), files.map((f) => path.relative(opts.root, f)));
      for (const [word, what] of NEVER_FOUND) {
        const found = [];
        for (const f of files) if ((await fsp.readFile(f, 'latin1')).toLowerCase().includes(word.toLowerCase())) found.push(path.relative(opts.root, f));
        check(`index: "${word}" (only in ${what}) is in no file under ${prefix}search/`, found.length === 0, found);
      }
    });

    check('search: no script error', errors.length === 0, errors);
    const cookies = await context.cookies();
    check('search: no cookie is set', cookies.length === 0, cookies);
  } finally {
    await context.close().catch(() => {});
  }
  check('search: no request leaves 127.0.0.1', outside.length === 0, outside);

  await noScriptChecks(browser, origin, opts);
  await layoutShiftChecks(browser, origin, opts);
  await lostScriptChecks(browser, origin, opts);
}

async function filterChecks(context, errors, origin, opts, note) {
  const { prefix } = opts;
  const tab = await openTab(context, errors, WAIT_MS);
  try {
    await tab.goto(`${origin}${prefix}search/`, { waitUntil: 'load' });
    const all = await search(tab, 'singing');
    note(all);
    const total = statusCount(all.status);
    for (const g of GROUPS) check(`filters: the "${g}" group is shown for "singing"`, Boolean(all.groups[g] && all.groups[g].shown && all.groups[g].values.length), all.groups[g] || Object.keys(all.groups));
    checkShownValues(all, 'filters: "singing"');
    // Each Type of page count is the number of results saying that type.
    const types = all.groups['Type of page'];
    if (types && total !== null && total <= 10) {
      for (const v of types.values) {
        const shown = all.results.filter((r) => (r.meta || '').includes(v.label)).length;
        check(`filters: "${v.name}" counts the ${shown} result(s) shown as "${v.label}"`, v.count === shown, all.results.map((r) => `${r.title}: ${r.meta}`));
      }
    }
    await verifyGroupCounts(tab, 'Type of page', 'singing', 'filters: "singing"');
    await verifyGroupCounts(tab, 'Phase', 'singing', 'filters: "singing"');
    await verifyGroupCounts(tab, 'Topic', 'singing', 'filters: "singing"');

    // Phase: Primary drops the secondary-only CPD event, keeps the primary resource.
    const primaryLabel = all.groups.Phase?.values.find((v) => v.label === 'Primary');
    const primary = await setFilter(tab, 'Phase', 'Primary', true, 'singing');
    note(primary);
    check('filters: Phase "Primary" keeps the singing assemblies resource (primary)', hasPage(primary, prefix, 'assemblies'), describe(primary));
    check('filters: Phase "Primary" drops the Secondary Singing Network (secondary only)', !hasPage(primary, prefix, 'cpdSecondary'), describe(primary));
    check('filters: Phase "Primary" keeps the singing news (primary and secondary)', hasPage(primary, prefix, 'news'), describe(primary));
    check(`filters: Phase "Primary" gives as many results as its label said (${primaryLabel?.name})`, primaryLabel && statusCount(primary.status) === primaryLabel.count, `status "${primary.status}"`);
    check('filters: the ticked "Primary" is shown ticked', primary.groups.Phase?.values.some((v) => v.label === 'Primary' && v.checked), primary.groups.Phase);
    check('filters: the address has phase=primary', sameList(params(primary).phase, ['primary']), primary.url);
    checkShownValues(primary, 'filters: "singing" + Primary');
    // The other groups' counts now apply the Phase filter.
    await verifyGroupCounts(tab, 'Type of page', 'singing', 'filters: "singing" + Primary');
    await verifyGroupCounts(tab, 'Topic', 'singing', 'filters: "singing" + Primary');
    const off = await setFilter(tab, 'Phase', 'Primary', false, 'singing');
    check('filters: unticking "Primary" brings every result back', statusCount(off.status) === total && hasPage(off, prefix, 'cpdSecondary'), describe(off));

    // Type of page "CPD and training", then Phase "Secondary".
    const cpd = await setFilter(tab, 'Type of page', 'CPD and training', true, 'singing');
    note(cpd);
    const notCpd = cpd.results.filter((r) => !(r.meta || '').includes('CPD and training'));
    check('filters: "CPD and training" shows only CPD events', cpd.results.length > 0 && notCpd.length === 0, notCpd.map((r) => `${r.title}: ${r.meta}`));
    check('filters: "CPD and training" shows both singing CPD events', hasPage(cpd, prefix, 'cpdSecondary') && hasPage(cpd, prefix, 'cpdPrimary'), describe(cpd));
    const phaseNames = (cpd.groups.Phase?.values || []).map((v) => v.name).sort();
    check('filters: with "CPD and training" the Phase counts are "Primary (1)" and "Secondary (1)"', sameList(phaseNames, ['Primary (1)', 'Secondary (1)']), phaseNames);
    check('filters: those are checkboxes found by their names', (await ui(tab).group('Phase').getByRole('checkbox', { name: 'Secondary (1)', exact: true }).count()) === 1);
    const both = await setFilter(tab, 'Phase', 'Secondary', true, 'singing');
    note(both);
    check('filters: "CPD and training" and "Secondary" leave only the Secondary Singing Network', both.results.length === 1 && both.results[0].path === prefix + FIXTURE.cpdSecondary.path, describe(both));
    check('filters: and the status says 1 result', statusCount(both.status) === 1, `status "${both.status}"`);
    const p = params(both);
    check('filters: the address has collection=cpd and phase=secondary', sameList(p.collection, ['cpd']) && sameList(p.phase, ['secondary']) && p.q === 'singing', both.url);
    checkShownValues(both, 'filters: CPD + Secondary');
    await verifyGroupCounts(tab, 'Topic', 'singing', 'filters: "singing" + CPD + Secondary');

    // A second value in the same group is OR-ed: Type of page "CPD and training" or "News".
    if (both.groups['Type of page']?.values.some((v) => v.label === 'News')) {
      const or = await setFilter(tab, 'Type of page', 'News', true, 'singing');
      check('filters: "CPD and training" or "News", with "Secondary", shows the CPD event and the news', or.results.length === 2 && hasPage(or, prefix, 'cpdSecondary') && hasPage(or, prefix, 'news'), describe(or));
      check('filters: the address repeats collection= for both', sameList(params(or).collection, ['cpd', 'news']), or.url);
      await setFilter(tab, 'Type of page', 'News', false, 'singing');
    } else {
      check('filters: with "Secondary" ticked, "News" is offered under Type of page (the singing news is for secondary too)', false, both.groups['Type of page']);
    }

    // A new query keeps the ticks; a ticked value stays shown even with no results.
    const none = await search(tab, 'composing');
    const ticked = GROUPS.flatMap((g) => (none.groups[g]?.values || []).filter((v) => v.checked).map((v) => `${g}: ${v.label}`)).sort();
    check('filters: with no results for "composing" under CPD + Secondary, the status says "No results"', /^No results/.test(none.status) && none.results.length === 0, describe(none));
    check('filters: the ticked "CPD and training" and "Secondary" are still shown, ticked', sameList(ticked, ['Phase: Secondary', 'Type of page: CPD and training']), ticked);
  } finally {
    await tab.close().catch(() => {});
  }
}

async function addressChecks(context, errors, origin, opts, note) {
  const { prefix } = opts;
  const url = `${origin}${prefix}search/`;
  const tab = await openTab(context, errors, WAIT_MS);
  try {
    await tab.goto(url, { waitUntil: 'load' });
    const start = await tab.evaluate(() => history.length);
    const typed = await search(tab, 'singing', { keys: true });
    check('address: typing puts ?q=singing in the address', params(typed).q === 'singing', typed.url);
    check('address: typing replaces the history entry (adds none)', typed.historyLength === start, `history.length ${start} before, ${typed.historyLength} after`);
    const cpd = await setFilter(tab, 'Type of page', 'CPD and training', true, 'singing');
    check('address: ticking "CPD and training" adds collection=cpd', sameList(params(cpd).collection, ['cpd']) && params(cpd).q === 'singing', cpd.url);
    check('address: ticking a filter adds a history entry', cpd.historyLength === typed.historyLength + 1, `history.length ${typed.historyLength} before, ${cpd.historyLength} after`);
    const both = await setFilter(tab, 'Phase', 'Secondary', true, 'singing');
    check('address: ticking "Secondary" adds phase=secondary', sameList(params(both).phase, ['secondary']) && sameList(params(both).collection, ['cpd']), both.url);
    check('address: a second tick adds another history entry', both.historyLength === cpd.historyLength + 1, `history.length ${cpd.historyLength} before, ${both.historyLength} after`);

    await tab.reload({ waitUntil: 'load' });
    const reloaded = await settle(tab, 'singing');
    settled(reloaded, 'address: after a reload');
    check('address: after a reload the search box still says "singing"', (await ui(tab).box.inputValue()) === 'singing', await ui(tab).box.inputValue());
    check('address: after a reload "CPD and training" is still ticked', await ui(tab).checkbox('Type of page', 'CPD and training').isChecked());
    check('address: after a reload "Secondary" is still ticked', await ui(tab).checkbox('Phase', 'Secondary').isChecked());
    check('address: after a reload the same results are shown', sameList(reloaded.results.map((r) => r.href), both.results.map((r) => r.href)), `before: ${JSON.stringify(titles(both))}; after: ${JSON.stringify(titles(reloaded))}`);

    await tab.goBack();
    const back1 = await settle(tab, 'singing');
    check('address: Back removes phase=secondary from the address', params(back1).phase.length === 0 && sameList(params(back1).collection, ['cpd']), back1.url);
    check('address: after Back "Secondary" is unticked and "CPD and training" still ticked', !(await ui(tab).checkbox('Phase', 'Secondary').isChecked()) && (await ui(tab).checkbox('Type of page', 'CPD and training').isChecked()));
    check('address: after Back the results are those of "CPD and training" alone', sameList(back1.results.map((r) => r.href), cpd.results.map((r) => r.href)), `expected ${JSON.stringify(titles(cpd))}; found ${JSON.stringify(titles(back1))}`);
    await tab.goBack();
    const back2 = await settle(tab, 'singing');
    const p2 = params(back2);
    check('address: Back again leaves only ?q=singing', p2.q === 'singing' && p2.collection.length + p2.phase.length + p2.topic.length === 0, back2.url);
    check('address: and every result of "singing" again', sameList(back2.results.map((r) => r.href), typed.results.map((r) => r.href)), `expected ${JSON.stringify(titles(typed))}; found ${JSON.stringify(titles(back2))}`);
    check('address: and no filter ticked', GROUPS.every((g) => (back2.groups[g]?.values || []).every((v) => !v.checked)), back2.groups);

    // Loading an address with several values of one key.
    const direct = `${url}?q=singing&collection=cpd&collection=news&phase=secondary&topic=singing`;
    await tab.goto(direct, { waitUntil: 'load' });
    const loaded = await settle(tab, 'singing');
    settled(loaded, 'address: loading an address');
    note(loaded);
    check('address: loading ?q=singing&collection=cpd&collection=news&phase=secondary&topic=singing fills in the search box', (await ui(tab).box.inputValue()) === 'singing', await ui(tab).box.inputValue());
    const ticked = GROUPS.flatMap((g) => (loaded.groups[g]?.values || []).filter((v) => v.checked).map((v) => `${g}: ${v.label}`)).sort();
    check('address: it ticks CPD and training, News, Secondary and Singing', sameList(ticked, ['Phase: Secondary', 'Topic: Singing', 'Type of page: CPD and training', 'Type of page: News']), ticked);
    check('address: it shows the secondary singing CPD event and the singing news, nothing else', loaded.results.length === 2 && hasPage(loaded, prefix, 'cpdSecondary') && hasPage(loaded, prefix, 'news'), describe(loaded));
    check('address: and the status says 2 results', statusCount(loaded.status) === 2, `status "${loaded.status}"`);

    // Submitting with the button puts the new query in the address.
    await ui(tab).box.fill('glockenspiel');
    await ui(tab).button.click();
    const submitted = await settle(tab, 'glockenspiel');
    check('address: the "Search" button puts ?q=glockenspiel in the address', params(submitted).q === 'glockenspiel', submitted.url);
  } finally {
    await tab.close().catch(() => {});
  }
}

async function keyboardChecks(context, errors, origin, opts) {
  const { prefix } = opts;
  const tab = await openTab(context, errors, WAIT_MS);
  const focused = () =>
    tab.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { tag: 'body' };
      const fs = el.closest('fieldset');
      const legend = fs && fs.querySelector(':scope > legend');
      const label = el.labels && el.labels[0] ? el.labels[0].textContent.replace(/\s+/g, ' ').trim() : el.getAttribute('aria-label') || '';
      const ol = el.closest('ol');
      return {
        tag: el.tagName.toLowerCase(),
        type: el.type || '',
        checked: !!el.checked,
        group: legend ? legend.textContent.replace(/\s+/g, ' ').trim() : null,
        label,
        href: el.href || null,
        inResults: !!(ol && ol.getAttribute('aria-label') === 'Search results'),
      };
    });
  try {
    await tab.goto(`${origin}${prefix}search/`, { waitUntil: 'load' });
    await ui(tab).box.focus();
    await tab.keyboard.type('singing', { delay: 40 });
    const before = await settle(tab, 'singing');
    if (!settled(before, 'keyboard: typing "singing"') || !check('keyboard: typing "singing" shows results', before.results.length > 0, describe(before))) return;

    let f = null;
    for (let i = 0; i < 12; i++) {
      await tab.keyboard.press('Tab');
      f = await focused();
      if (f.type === 'checkbox' && GROUPS.includes(f.group)) break;
    }
    if (!check('keyboard: Tab from the search box reaches a filter checkbox (within 12 presses)', f && f.type === 'checkbox' && GROUPS.includes(f.group), f)) return;
    const label = f.label.replace(/ \(\d+\)$/, '');
    await tab.keyboard.press('Space');
    const after = await settle(tab, 'singing');
    const g = await focused();
    check(`keyboard: Space ticks "${label}" in "${f.group}"`, g.checked && g.type === 'checkbox', g);
    check('keyboard: focus stays on the ticked checkbox', g.type === 'checkbox' && g.label.replace(/ \(\d+\)$/, '') === label, g);
    check('keyboard: the results change', !sameList(after.results.map((r) => r.href), before.results.map((r) => r.href)), `before: ${JSON.stringify(titles(before))}; after: ${JSON.stringify(titles(after))}`);

    let reached = null;
    for (let i = 0; i < 60; i++) {
      await tab.keyboard.press('Tab');
      const h = await focused();
      if (h.inResults) {
        reached = h;
        break;
      }
      if (h.tag === 'body') break;
    }
    check('keyboard: Tab then reaches the first result\'s link', reached && reached.href === after.results[0]?.href, { reached, first: after.results[0]?.href });
  } finally {
    await tab.close().catch(() => {});
  }
}

// Layout shift on the search page, as Lighthouse counts it: the sum of the PerformanceObserver
// `layout-shift` entries not caused by the reader's own input, from the first paint until the
// results have settled. Scripts and index files are held back LATE_MS, as on a slow phone
// network, so that the page is painted before search.js runs (without the delay the swap from
// the no-script text to the search body can happen before the first paint and nothing shows).
const LATE_MS = 600;
const CLS_LIMIT = 0.05;
const SCREENS = [
  ['a phone (412 x 823)', { viewport: { width: 412, height: 823 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1.75 }],
  ['a desktop (1350 x 940)', { viewport: { width: 1350, height: 940 } }],
];

async function layoutShiftChecks(browser, origin, opts) {
  const { prefix } = opts;
  for (const [screen, extra] of SCREENS) {
    const outside = [];
    const errors = [];
    const context = await newContext(browser, origin, outside, [], extra);
    try {
      await context.route(
        (u) => u.href.startsWith(origin + '/') && (/\.js$/.test(u.pathname) || (u.pathname.startsWith(prefix + 'search/') && !/\/(index\.html)?$/.test(u.pathname))),
        async (route) => {
          await sleep(LATE_MS);
          await route.continue();
        },
      );
      await context.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (!e.hadRecentInput) {
              window.__shifts.push({
                value: e.value,
                moved: e.sources.map((s) => (s.node && s.node.nodeType === 1 ? `${s.node.tagName.toLowerCase()}${s.node.id ? '#' + s.node.id : ''}.${s.node.className}` : String(s.node && s.node.nodeName))),
              });
            }
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      for (const [what, query] of [['with no query', ''], ['opened with ?q=singing', '?q=singing']]) {
        await step(`layout shift: ${screen}, ${what}`, async () => {
          const tab = await openTab(context, errors, WAIT_MS);
          try {
            const resp = await tab.goto(`${origin}${prefix}search/${query}`, { waitUntil: 'load' });
            if (!check(`layout shift: ${prefix}search/${query} loads on ${screen}`, resp && resp.status() === 200, resp && resp.status())) return;
            if (query) settled(await settle(tab, 'singing'), `layout shift on ${screen}`);
            else await sleep(LATE_MS + SETTLE_MS);
            const shifts = await tab.evaluate(() => window.__shifts);
            const total = shifts.reduce((a, e) => a + e.value, 0);
            check(
              `layout shift: ${prefix}search/${query} on ${screen} moves less than ${CLS_LIMIT} (cumulative layout shift ${total.toFixed(3)})`,
              total < CLS_LIMIT,
              shifts.map((e) => `${e.value.toFixed(3)}: ${e.moved.join(', ')}`),
            );
          } finally {
            await tab.close().catch(() => {});
          }
        });
      }
      check(`layout shift: no script error on ${screen}`, errors.length === 0, errors);
    } finally {
      await context.close().catch(() => {});
    }
    check(`layout shift: no request leaves 127.0.0.1 on ${screen}`, outside.length === 0, outside);
  }
}

// JavaScript on, but search.js never arrives (a blocked or failed download): the page must not
// be left with an empty search body and no way on; the no-script text comes back.
async function lostScriptChecks(browser, origin, opts) {
  const { prefix } = opts;
  const outside = [];
  const context = await newContext(browser, origin, outside, []);
  try {
    await context.route((u) => u.href.startsWith(origin + '/') && /\/search[^/]*\.js$/.test(u.pathname), (route) => route.abort('failed'));
    const tab = await openTab(context, [], WAIT_MS);
    await step('search.js lost', async () => {
      const resp = await tab.goto(`${origin}${prefix}search/`, { waitUntil: 'load' });
      if (!check('lost script: the search page loads', resp && resp.status() === 200, resp && resp.status())) return;
      const msg = tab.locator('main').getByText(/Search needs JavaScript/);
      let shown = 0;
      for (const m of await msg.all()) if (await m.isVisible()) shown++;
      check('lost script: when search.js fails to load, the page says "Search needs JavaScript"', shown >= 1, clip(await tab.locator('main').textContent().catch(() => ''), 300));
    });
  } finally {
    await context.close().catch(() => {});
  }
}

async function noScriptChecks(browser, origin, opts) {
  const { prefix } = opts;
  const outside = [];
  const log = [];
  const errors = [];
  const context = await newContext(browser, origin, outside, log, { javaScriptEnabled: false });
  try {
    const tab = await openTab(context, errors, WAIT_MS);
    await step('no JavaScript', async () => {
      const resp = await tab.goto(`${origin}${prefix}search/`, { waitUntil: 'load' });
      check('no JS: the search page loads', resp && resp.status() === 200, resp && resp.status());
      const msg = tab.locator('main').getByText(/Search needs JavaScript/);
      let shown = 0;
      for (const m of await msg.all()) if (await m.isVisible()) shown++;
      check('no JS: the search page says "Search needs JavaScript"', shown >= 1, clip(await tab.locator('main').textContent().catch(() => ''), 300));
      const phaseLinks = await tab.evaluate((prefix) => [...document.querySelectorAll('main a[href]')].map((a) => new URL(a.href).pathname).filter((p) => p.startsWith(prefix + 'phase/')), prefix);
      check(`no JS: it links to the phase pages (${prefix}phase/primary/ among them)`, phaseLinks.includes(`${prefix}phase/primary/`), phaseLinks);
      for (const p of [...new Set(phaseLinks)]) {
        const r = await context.request.get(origin + p);
        check(`no JS: ${p} is a page of the site (HTTP 200)`, r.status() === 200, `HTTP ${r.status()}`);
      }
      // The header form still submits to the search page.
      await tab.goto(`${origin}${prefix}`, { waitUntil: 'load' });
      await header(tab).box.fill('singing');
      await header(tab).box.press('Enter');
      await tab.waitForURL((u) => u.pathname === prefix + 'search/' && u.searchParams.get('q') === 'singing', { timeout: WAIT_MS });
      check(`no JS: the header search goes to ${prefix}search/?q=singing`, true);
    });
  } finally {
    await context.close().catch(() => {});
  }
  check('no JS: no request leaves 127.0.0.1', outside.length === 0, outside);
}

// ------------------------------------------------------------------ main ---

const opts = scriptOptions('search', process.argv.slice(2));
runChecks(
  'search',
  opts,
  path.join('search', 'index.html'),
  'the site was built without the search page',
  'the site search',
  (browser, axeSource, origin) => searchChecks(browser, axeSource, origin, opts),
);

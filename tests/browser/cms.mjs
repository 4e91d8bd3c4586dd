#!/usr/bin/env node
// Browser check of the web editor made by `stave cms` (tests/cms_browser.rs): the admin page
// of a built site, with Decap CMS loaded from its npm package and saving through its local
// back end (decap-server, from node_modules) into the site's folder.
//
// Serves the built site on 127.0.0.1 (see serve.mjs) and starts decap-server on a free port in
// the site's folder. In headless Chromium the page's request for Decap's script (the unpkg
// address it names) is answered from node_modules/decap-cms/dist, which must be the version
// the page names (with `access-control-allow-origin: *`, as unpkg sends, since the page loads it
// with `crossorigin` and an `integrity` hash), and Decap's request for its local back end
// (localhost:8081) is passed to decap-server; every other request that leaves 127.0.0.1 is
// blocked and fails the run. Then, as a person would, finding controls by their labels and roles:
//   - "Login" (the local back end needs no account) shows every collection by its label;
//   - the CPD list shows the site's example event; "CPD event" opens an empty form with a
//     labelled control for every field of a CPD event, required ones without "(optional)";
//   - the hint under "Page text" shows the link example `[About us](../about.md)` as written;
//   - the Phases list offers the site's phases by their labels;
//   - publishing the empty form is refused (required fields) and writes nothing;
//   - a filled-in event (title with an accent and punctuation, start and end, format, two
//     phases, venue, area, topic, text) is published, and written to content/cpd/ under the
//     name Stave would give it (tests/cms_browser.rs then runs `stave check` on it);
//   - a new News item's Date starts as today;
//   - in a second tab, where Decap's script is served with its last byte changed, Chromium
//     refuses it (an integrity error in the console) and no editor appears.
//
// Usage:
//   node cms.mjs --root BUILT --site SITE [--prefix /hub/] [--port N] [--timeout SECONDS] [--chromium PATH]
//     [--expect-file content/cpd/NAME.md]
//
// Ends with `cms: N checks passed, M failed` and exits 1 if any check fails.

import { spawn } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import process from 'node:process';
import { check, checkCounts, openTab, step } from './checks.mjs';
import { clip, INSTALL_HINT, launchChromium, loadChromium, parseOptions, startServer } from './serve.mjs';

const NAME = 'cms';
const WAIT_MS = 15_000;
// How long the tab served a changed Decap script waits for Chromium's integrity error.
const TAMPERED_WAIT_MS = 3_000;
const HERE = path.dirname(new URL(import.meta.url).pathname);
const DECAP_DIST = path.join(HERE, 'node_modules', 'decap-cms', 'dist');

const COLLECTIONS = ['Resources', 'CPD and training', 'SMDP toolkit', 'Lead Schools', 'News', 'Publications', 'Pages'];
// The labels of a CPD event's form, in order: its own fields, then those every page has.
const CPD_LABELS = [
  'Title', 'Summary', 'Start', 'End', 'Format', 'Phases', 'Venue (optional)', 'Audience (optional)', 'Cost (optional)',
  'Provider (optional)', 'Booking URL (optional)', 'Network (optional)', 'Topics (optional)', 'Capacity (optional)',
  'Area (optional)', 'Draft (optional)', 'Publish date (optional)', 'Aliases (optional)', 'Weight (optional)',
  'Slug (optional)', 'Description (optional)', 'Date (optional)', 'Search (optional)', 'Page text (optional)',
];
const PHASES = ['Early years', 'Primary', 'Secondary', 'Post-16', 'SEND', 'Alternative provision'];
const EVENT = {
  title: "Café singing: KS1 & KS2's day!",
  summary: 'Share what works in singing, and plan the spring term together.',
  start: '2030-10-14T16:00',
  end: '2030-10-14T17:30',
  format: 'Face to face',
  phases: ['Primary', 'Secondary'],
  venue: 'Music Centre, Room 2',
  area: 'North',
  topic: 'Singing',
  body: 'Bring a song your class loves.',
};

const opts = parseOptions(process.argv.slice(2), { site: '', expectFile: '' }, (msg) => {
  if (msg) console.error(`${NAME}: ${msg}`);
  console.error('usage: node cms.mjs --root BUILT --site SITE [--prefix /hub/] [--port N] [--expect-file PATH] [--timeout S] [--chromium PATH]');
  process.exit(2);
});
if (!opts.site) {
  console.error(`${NAME}: --site is required`);
  process.exit(2);
}
opts.site = path.resolve(opts.site);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// decap-server in `dir`, on `port`; resolves once it listens.
function startDecapServer(dir, port, log) {
  const entry = path.join(HERE, 'node_modules', 'decap-server', 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`decap-server is not installed (${entry}).\n${INSTALL_HINT}`);
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), BIND_HOST: '127.0.0.1', MODE: 'fs', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`decap-server did not start:\n${log.join('')}`)), WAIT_MS);
    const onData = (d) => {
      log.push(String(d));
      if (/listening/i.test(String(d))) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`decap-server exited (${code}):\n${log.join('')}`)));
  });
}

async function mdFiles(dir) {
  try {
    return (await fsp.readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  } catch {
    return [];
  }
}

async function run() {
  const started = Date.now();
  let browser = null;
  let server = null;
  let decap = null;
  let stopRouting = async () => {};
  const decapLog = [];
  const deadline = setTimeout(() => {
    console.error(`${NAME}: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    decap?.kill();
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();
  try {
    const admin = path.join(opts.root, 'admin', 'index.html');
    if (!existsSync(admin)) throw new Error(`${admin} is missing: the build did not publish the admin page`);
    const html = readFileSync(admin, 'utf8');
    const script = html.match(
      /<script src="(https:\/\/unpkg\.com\/decap-cms@([^/]+)\/dist\/)decap-cms\.js" integrity="sha384-[A-Za-z0-9+/=]+" crossorigin="anonymous">/,
    );
    const pinned = 'the admin page loads Decap CMS from one pinned release, with its sha384 integrity and crossorigin';
    if (!check(pinned, Boolean(script), clip(html, 600))) return;
    const [, scriptBase, version] = script;
    const pkgFile = path.join(HERE, 'node_modules', 'decap-cms', 'package.json');
    if (!existsSync(pkgFile)) throw new Error(`decap-cms is not installed in tests/browser/node_modules.\n${INSTALL_HINT}`);
    const installed = JSON.parse(readFileSync(pkgFile, 'utf8')).version;
    check(`the page's Decap CMS (${version}) is the release tests/browser installs`, installed === version, `installed: ${installed}`);

    const decapPort = await freePort();
    decap = await startDecapServer(opts.site, decapPort, decapLog);
    server = await startServer(opts.root, opts.prefix, opts.port, NAME);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const chromium = await loadChromium();
    browser = await launchChromium(chromium, opts.chromium);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const blocked = [];
    // Requests still on their way when the browser closes fail; only failures before then count.
    let closing = false;
    const onRoute = async (route) => {
      const u = route.request().url();
      if (u.startsWith(scriptBase)) {
        const file = path.join(DECAP_DIST, u.slice(scriptBase.length).split(/[?#]/)[0]);
        if (!file.startsWith(DECAP_DIST + path.sep) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not in the package' });
        return route.fulfill({ path: file, headers: UNPKG_HEADERS });
      }
      if (u.startsWith('http://localhost:8081/api/v1')) {
        const response = await route.fetch({ url: `http://127.0.0.1:${decapPort}/api/v1` });
        return route.fulfill({ response });
      }
      if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
      blocked.push(u);
      return route.abort('blockedbyclient');
    };
    await context.route('**/*', async (route) => {
      try {
        await onRoute(route);
      } catch (err) {
        if (!closing) blocked.push(`${route.request().url()} (failed: ${err.message})`);
      }
    });
    stopRouting = async () => {
      closing = true;
      await context.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => {});
    };
    const errors = [];
    const tab = await openTab(context, errors, WAIT_MS);
    const integrityErrors = [];
    tab.on('console', (m) => m.type() === 'error' && /integrity/i.test(m.text()) && integrityErrors.push(m.text()));
    console.log(`${NAME}: checking ${origin}${opts.prefix}admin/ with Decap CMS ${version}, saving into ${opts.site}`);
    await tab.goto(`${origin}${opts.prefix}admin/`);
    await checks(tab, errors);
    check('the npm file passes the page\'s integrity check', integrityErrors.length === 0, integrityErrors.join('\n'));
    check('no request left 127.0.0.1 (other than those answered from node_modules)', blocked.length === 0, blocked.slice(0, 5).join('\n'));
    check('no script error', errors.length === 0, errors.slice(0, 5).join('\n'));
    const adminUrl = `${origin}${opts.prefix}admin/`;
    await step('a changed Decap script is refused', () => tamperedScriptIsRefused(browser, adminUrl, scriptBase, origin));
  } catch (err) {
    check(`${NAME} ran`, false, err.stack || err.message);
  } finally {
    await stopRouting();
    if (browser) await browser.close().catch(() => {});
    if (server) server.close();
    decap?.kill();
    clearTimeout(deadline);
  }
  console.log(`${NAME}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

// The header unpkg sends that matters here: the page loads Decap's script with `crossorigin`,
// so Chromium needs it (Playwright would otherwise add one of its own, echoing the origin).
const UNPKG_HEADERS = { 'access-control-allow-origin': '*' };

// Opens the admin page in a context of its own where Decap's script is the npm file with its
// last byte changed (the end of a `//# sourceMappingURL` comment, so still valid JavaScript):
// Chromium must refuse it for its integrity hash, and so no editor appears.
async function tamperedScriptIsRefused(browser, adminUrl, scriptBase, origin) {
  const bytes = readFileSync(path.join(DECAP_DIST, 'decap-cms.js'));
  bytes[bytes.length - 1] ^= 1;
  const context = await browser.newContext();
  try {
    const requested = [];
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u === `${scriptBase}decap-cms.js`) {
        requested.push(u);
        return route.fulfill({ body: bytes, contentType: 'application/javascript', headers: UNPKG_HEADERS });
      }
      if (u.startsWith(origin + '/')) return route.continue();
      return route.abort('blockedbyclient');
    });
    const tab = await openTab(context, [], TAMPERED_WAIT_MS);
    const integrityError = (m) => m.type() === 'error' && /integrity/i.test(m.text());
    const refused = tab.waitForEvent('console', { predicate: integrityError, timeout: TAMPERED_WAIT_MS });
    await tab.goto(adminUrl);
    const message = await refused.then((m) => m.text()).catch(() => '');
    const detail = `requested: ${requested.length}; console: ${message || 'no integrity error'}`;
    check('a Decap script with one byte changed is refused for its integrity', requested.length === 1 && message !== '', detail);
    const loaded = await tab.evaluate(() => typeof window.CMS !== 'undefined');
    const login = await tab.getByRole('button', { name: 'Login' }).isVisible().catch(() => false);
    check('and no editor appears', !loaded && !login, `window.CMS defined: ${loaded}; Login shown: ${login}`);
  } finally {
    await context.close().catch(() => {});
  }
}

async function checks(tab, errors) {
  await step('Login enters the editor', async () => {
    await tab.getByRole('button', { name: 'Login' }).click();
    await tab.getByRole('heading', { name: 'Collections' }).or(tab.getByText('Collections', { exact: true })).first().waitFor();
    check('Login enters the editor', true);
  });
  await step('every collection is listed', async () => {
    const nav = tab.getByRole('navigation').or(tab.locator('aside')).first();
    for (const label of COLLECTIONS) {
      const link = tab.getByRole('link', { name: label, exact: true }).first();
      const found = await link.isVisible().catch(() => false);
      check(`collection "${label}" is listed`, found, clip(await nav.innerText().catch(() => ''), 400));
    }
  });
  await step('the CPD list shows the example event', async () => {
    await tab.getByRole('link', { name: 'CPD and training', exact: true }).first().click();
    await tab.getByText('Welcome network meeting').first().waitFor();
    check('the CPD list shows "Welcome network meeting"', true);
  });
  const before = await mdFiles(path.join(opts.site, 'content', 'cpd'));
  await step('the CPD event form has every field', async () => {
    await tab.getByRole('link', { name: /CPD event/ }).first().click();
    await tab.getByLabel('Title', { exact: true }).waitFor();
    const labels = await tab.locator('label').evaluateAll((ls) => ls.map((l) => l.textContent.trim()));
    const missing = CPD_LABELS.filter((l) => !labels.includes(l));
    check('the CPD event form has a label for every field', missing.length === 0, `missing: ${missing.join(', ')}; found: ${labels.join(', ')}`);
    const extra = labels.filter((l) => !CPD_LABELS.includes(l));
    check('and no other', extra.length === 0, `extra: ${extra.join(', ')}`);
    check('Start is a date and time', (await tab.getByLabel('Start', { exact: true }).getAttribute('type')) === 'datetime-local');
    check('Publish date is a date', (await tab.getByLabel('Publish date (optional)', { exact: true }).getAttribute('type')) === 'date');
    check('Capacity is a number', (await tab.getByLabel('Capacity (optional)', { exact: true }).getAttribute('type')) === 'number');
  });
  await step('the Page text hint shows the link syntax', async () => {
    // Decap reads hints as Markdown: the example must show as written, not as a link.
    const hint = tab.getByText('Link to another page by its file').first();
    const text = (await hint.innerText()).trim();
    const links = await hint.locator('a').count();
    const literal = text.includes('[About us](../about.md)') && links === 0;
    check('the Page text hint shows `[About us](../about.md)` as written', literal, `shown: ${text}; links: ${links}`);
  });
  await step('Phases offers the site phases', async () => {
    await tab.getByLabel('Phases', { exact: true }).click();
    const options = await tab.getByRole('option').allInnerTexts();
    check('Phases offers the site phases by their labels', JSON.stringify(options) === JSON.stringify(PHASES), options);
    await tab.keyboard.press('Escape');
  });
  await step('an empty event is refused', async () => {
    const seen = errors.length;
    await publish(tab);
    await tab.getByText(/is required/i).first().waitFor();
    await tab.waitForTimeout(500);
    // Decap ends a refused save by rejecting a promise with nothing: that, and only that, is
    // expected here (reported as plain `undefined` now that the script is loaded with CORS).
    const refusal = /: (Uncaught \(in promise\) )?undefined$/;
    errors.splice(seen, errors.length - seen, ...errors.slice(seen).filter((e) => !refusal.test(e)));
    const after = await mdFiles(path.join(opts.site, 'content', 'cpd'));
    check('publishing an empty event is refused, and writes nothing', JSON.stringify(after) === JSON.stringify(before), after);
  });
  await step('a CPD event is published', async () => {
    await tab.getByLabel('Title', { exact: true }).fill(EVENT.title);
    await tab.getByLabel('Summary', { exact: true }).fill(EVENT.summary);
    await tab.getByLabel('Start', { exact: true }).fill(EVENT.start);
    await tab.getByLabel('End', { exact: true }).fill(EVENT.end);
    await choose(tab, 'Format', EVENT.format);
    for (const p of EVENT.phases) await choose(tab, 'Phases', p);
    await tab.getByLabel('Venue (optional)', { exact: true }).fill(EVENT.venue);
    await choose(tab, 'Area (optional)', EVENT.area);
    await choose(tab, 'Topics (optional)', EVENT.topic);
    const body = tab.getByLabel('Page text (optional)', { exact: true }).or(tab.locator('[data-slate-editor="true"]')).first();
    await body.click();
    await tab.keyboard.type(EVENT.body);
    await publish(tab);
    await tab.getByText(/Entry saved|Changes saved/i).first().waitFor();
    let after = [];
    for (let i = 0; i < 20; i++) {
      after = await mdFiles(path.join(opts.site, 'content', 'cpd'));
      if (after.length > before.length) break;
      await tab.waitForTimeout(100);
    }
    const made = after.filter((f) => !before.includes(f));
    check('publishing writes one file under content/cpd/', made.length === 1, after);
    if (opts.expectFile) {
      check(`it is named as Stave names it: ${opts.expectFile}`, made.length === 1 && `content/cpd/${made[0]}` === opts.expectFile, made);
    }
    if (made.length === 1) console.log(`${NAME}: wrote content/cpd/${made[0]}:\n${await fsp.readFile(path.join(opts.site, 'content', 'cpd', made[0]), 'utf8')}`);
  });
  await step('a new news item starts dated today', async () => {
    // Once Decap has moved from the new event to the saved one (it does so after saving), open
    // a new News item by its address in a fresh tab of the same browser (still logged in).
    await tab.waitForURL(/#\/collections\/cpd\/entries\//);
    const page = await tab.context().newPage();
    try {
      await page.goto(tab.url().split('#')[0] + '#/collections/news/new');
      const date = page.getByLabel('Date', { exact: true });
      await date.waitFor();
      const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
      // Decap fills in `{{now}}` just after the form appears: give it up to three seconds.
      let value = '';
      for (let i = 0; i < 30 && value !== today; i++) {
        value = await date.inputValue();
        if (value !== today) await page.waitForTimeout(100);
      }
      check('a new news item\'s Date starts as today', value === today, `${value} (today ${today})`);
    } finally {
      await page.close();
    }
  });
}

// Opens the select labelled `label` and picks `option`.
async function choose(tab, label, option) {
  await tab.getByLabel(label, { exact: true }).click();
  await tab.getByRole('option', { name: option, exact: true }).click();
}

// The Publish menu's "Publish now".
async function publish(tab) {
  await tab.getByRole('button', { name: 'Publish', exact: true }).click();
  await tab.getByText('Publish now', { exact: true }).click();
}

await run();
const { passed, failed } = checkCounts();
console.log(`${NAME}: ${passed} checks passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

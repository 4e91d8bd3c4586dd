#!/usr/bin/env node
// Accessibility check for a site built by stave.
//
// Serves a built site from a directory over a tiny local HTTP server, opens
// each page in headless Chromium (playwright-core, the Debian `chromium`
// package) at a desktop and a phone viewport, runs axe-core with the WCAG 2.x
// A/AA rule sets, and reports every violation.
//
// Usage:
//   node a11y.mjs --root DIR [--prefix /hub/] [--port N] --all
//   node a11y.mjs --root DIR [--prefix /hub/] [--port N] PAGE_PATH...
//
// PAGE_PATH is a URL path such as /hub/events/ (or events/, taken relative to
// the prefix). With --all every index.html under DIR is checked, plus the
// 404 page (404.html, loaded at a missing URL so it is seen as a visitor sees
// it). The site must have been built with base_url http://127.0.0.1:PORT/PREFIX.
//
// Other options:
//   --timeout SECONDS   overall limit (default 600); the run fails past it
//   --concurrency N     pages checked at once (default 2)
//   --chromium PATH     browser binary (default $CHROMIUM_PATH or /usr/bin/chromium)
//   --serve             only serve DIR at the prefix (until killed), to look at it by hand
//
// Ends with the line `a11y: N passed, M failed` and exits 1 if any page has a
// violation, could not be loaded, or Chromium could not be started.

import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {
  clip,
  keepLocal,
  launchChromium,
  listPages,
  loadAxe,
  loadChromium,
  parseOptions,
  PAGE_TIMEOUT_MS,
  runPool,
  startServer,
} from './serve.mjs';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900, isMobile: false },
  { name: 'phone', width: 375, height: 812, isMobile: true },
];

function usage(msg) {
  if (msg) console.error(`a11y: ${msg}`);
  console.error(
    'usage: node a11y.mjs --root DIR [--prefix /sub/path/] [--port N] [--timeout SECONDS]\n' +
      '                     [--concurrency N] [--chromium PATH] (--all | PAGE_PATH... | --serve)',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = parseOptions(argv, { all: false, serve: false, concurrency: 2 }, usage);
  if (!opts.serve && !opts.all && opts.pages.length === 0) usage('give --all or at least one PAGE_PATH');
  return opts;
}

// ---------------------------------------------------------------- checks ---

// The address axe-core is served at, from memory, to every tab: loaded by URL, the browser
// compiles it once and reuses that for every page, where injecting its text took half a second.
const AXE_PATH = '/__stave-a11y-axe.js';

// One tab per viewport, reused from page to page (a context and a tab for each page took
// longer than checking it). `current` collects what the page now loaded reports.
async function openView(browser, axeSource, origin, vp) {
  const context = await browser.newContext({
    viewport: { width: vp.width, height: vp.height },
    isMobile: vp.isMobile,
    hasTouch: vp.isMobile,
    deviceScaleFactor: 1,
    bypassCSP: true, // so axe can be injected whatever the site's CSP says
    serviceWorkers: 'block',
  });
  const view = { vp, context, tab: null, current: { warnings: [] } };
  await keepLocal(context, origin, { push: (w) => view.current.warnings.push(w) });
  // Registered after keepLocal, so it is asked first.
  await context.route(origin + AXE_PATH, (route) =>
    route.fulfill({ body: axeSource, contentType: 'application/javascript', headers: { 'cache-control': 'max-age=86400' } }),
  );
  view.tab = await context.newPage();
  view.tab.setDefaultTimeout(PAGE_TIMEOUT_MS);
  view.tab.on('pageerror', (err) => view.current.warnings.push(`script error: ${clip(err.message, 200)}`));
  view.tab.on('response', (resp) => {
    const u = resp.url();
    if (resp.status() >= 400 && u !== view.current.url && u.startsWith(origin + '/')) {
      view.current.warnings.push(`HTTP ${resp.status()} for ${u.slice(origin.length)}`);
    }
  });
  return view;
}

async function checkAtViewport(view, origin, page) {
  const problems = []; // strings that make the page fail besides axe violations
  view.current = { url: origin + page.url, warnings: [] };
  const { tab } = view;
  const resp = await tab.goto(origin + page.url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  const status = resp ? resp.status() : 0;
  if (page.expectStatus !== null && status !== page.expectStatus) {
    problems.push(`expected HTTP ${page.expectStatus} but got ${status}`);
    return { violations: [], problems, warnings: view.current.warnings };
  }
  await tab.evaluate(() => (document.fonts ? document.fonts.ready.then(() => true) : true));
  await tab.addScriptTag({ url: origin + AXE_PATH });
  const violations = await tab.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))),
        html: n.html,
        summary: n.failureSummary,
      })),
    }));
  }, AXE_TAGS);
  return { violations, problems, warnings: view.current.warnings };
}

// Checks a page at every viewport with one worker's views. A view whose tab failed is opened
// afresh for the next page, so one crash cannot spoil the rest.
async function checkPage(browser, axeSource, origin, views, page) {
  const perViewport = [];
  for (let i = 0; i < VIEWPORTS.length; i++) {
    const vp = VIEWPORTS[i];
    try {
      views[i] ??= await openView(browser, axeSource, origin, vp);
      perViewport.push({ vp, ...(await checkAtViewport(views[i], origin, page)) });
    } catch (err) {
      perViewport.push({ vp, violations: [], problems: [`could not check: ${clip(err.message, 400)}`], warnings: [] });
      await views[i]?.context.close().catch(() => {});
      views[i] = null;
    }
  }
  return perViewport;
}

// Same rule and same nodes at both viewports are shown once, tagged with both.
function formatResult(page, perViewport) {
  const lines = [];
  const byRule = new Map();
  let failed = false;
  for (const { vp, violations, problems } of perViewport) {
    const tag = `${vp.name} ${vp.width}x${vp.height}`;
    for (const p of problems) {
      failed = true;
      lines.push(`  [${tag}] ${p}`);
    }
    for (const v of violations) {
      failed = true;
      const key = v.id + '\u0000' + v.nodes.map((n) => n.target.join(' ')).join('\u0000');
      if (byRule.has(key)) byRule.get(key).viewports.push(tag);
      else byRule.set(key, { v, viewports: [tag] });
    }
  }
  for (const { v, viewports } of byRule.values()) {
    lines.push(`  ${v.id} (${v.impact ?? 'n/a'}) [${viewports.join(', ')}]: ${v.help}`);
    lines.push(`    ${v.helpUrl}`);
    for (const n of v.nodes) {
      lines.push(`    - target: ${n.target.join(', ')}`);
      lines.push(`      html:   ${clip(n.html)}`);
      if (n.summary) {
        const first = clip(n.summary.split('\n').filter(Boolean).slice(0, 2).join(' '), 300);
        lines.push(`      why:    ${first}`);
      }
    }
  }
  const warnings = [...new Set(perViewport.flatMap((r) => r.warnings))];
  for (const w of warnings) lines.push(`  warning: ${w}`);
  const head = failed ? `FAIL ${page.label}` : `ok  ${page.label}`;
  return { failed, text: [head, ...lines].join('\n') };
}

// ------------------------------------------------------------------ main ---

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.serve) {
    const server = await startServer(opts.root, opts.prefix, opts.port, 'a11y');
    console.log(`a11y: serving ${opts.root} at http://127.0.0.1:${server.address().port}${opts.prefix} (Ctrl-C to stop)`);
    return;
  }
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  let browser = null;
  let server = null;

  const deadline = setTimeout(() => {
    console.error(`a11y: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    console.log(`a11y: ${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();

  try {
    if (!existsSync(opts.root)) throw new Error(`--root ${opts.root} does not exist`);

    const chromium = await loadChromium();
    const axe = await loadAxe();

    const pages = await listPages(opts.root, opts.prefix, opts.all, opts.pages, 'a11y-check-no-such-page/');
    if (pages.length === 0) throw new Error(`no pages to check (no index.html under ${opts.root})`);

    server = await startServer(opts.root, opts.prefix, opts.port, 'a11y');
    const origin = `http://127.0.0.1:${server.address().port}`;

    browser = await launchChromium(chromium, opts.chromium);

    console.log(
      `a11y: checking ${pages.length} page(s) at ${origin}${opts.prefix} with axe-core ${axe.version} ` +
        `(${AXE_TAGS.join(', ')}) at ${VIEWPORTS.map((v) => `${v.width}x${v.height}`).join(' and ')}`,
    );

    // Each worker keeps its own tab per viewport from page to page.
    const workers = Array.from({ length: Math.min(opts.concurrency, pages.length) }, () => []);
    let next = 0;
    await runPool(workers, workers.length, async (views) => {
      while (next < pages.length) await checkNext(views, pages[next++]);
      await Promise.all(views.map((v) => v?.context.close().catch(() => {})));
    });
    async function checkNext(views, page) {
      const perViewport = await checkPage(browser, axe.source, origin, views, page);
      const r = formatResult(page, perViewport);
      if (r.failed) failed++;
      else passed++;
      console.log(r.text);
    }
  } catch (err) {
    console.error(`a11y: ${err.message}`);
    failed++;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.close();
    clearTimeout(deadline);
  }

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`a11y: done in ${secs}s`);
  console.log(`a11y: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main();

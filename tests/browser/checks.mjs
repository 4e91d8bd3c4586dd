// Shared by the scripts that use a site's pages in a browser and report checks one by one
// (tools.mjs, search.mjs): their options, the ok/FAIL report, a tab that records script
// errors, axe-core, and the run itself (time limit, server, Chromium, the closing count).

import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { clip, launchChromium, loadAxe, loadChromium, parseOptions, PAGE_TIMEOUT_MS, startServer } from './serve.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The common options (see serve.mjs); these scripts take no page paths.
export function scriptOptions(name, argv) {
  const usage = (msg) => {
    if (msg) console.error(`${name}: ${msg}`);
    console.error(`usage: node ${name}.mjs --root DIR [--prefix /sub/path/] [--port N] [--timeout SECONDS] [--chromium PATH]`);
    process.exit(2);
  };
  const opts = parseOptions(argv, {}, usage);
  if (opts.pages.length > 0) usage(`unknown argument ${opts.pages[0]}`);
  return opts;
}

// ---------------------------------------------------------------- report ---

const counts = { passed: 0, failed: 0 };

// How many checks passed and failed so far (for scripts that run without runChecks).
export function checkCounts() {
  return { ...counts };
}

// The closing lines of a script that counted its checks with `check`: how long it took (from
// `started`, a Date.now()), the counts (a run that `broke` counts one failure more), and the
// exit code.
export function finish(name, started, broke) {
  console.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${name}: ${counts.passed} checks passed, ${counts.failed + (broke ? 1 : 0)} failed`);
  process.exit(counts.failed > 0 || broke ? 1 : 0);
}

export function check(what, ok, detail) {
  if (ok) {
    counts.passed++;
    console.log(`ok   ${what}`);
  } else {
    counts.failed++;
    console.log(`FAIL ${what}${detail === undefined ? '' : `\n     ${clip(typeof detail === 'string' ? detail : JSON.stringify(detail), 900)}`}`);
  }
  return ok;
}

// Runs one step; an exception fails it with its message instead of ending the run.
export async function step(what, fn) {
  try {
    await fn();
  } catch (err) {
    check(what, false, `threw: ${clip(err.message, 600)}`);
  }
}

// A new tab whose script errors are added to `errors`; `waitMs` is its default wait.
export async function openTab(context, errors, waitMs) {
  const tab = await context.newPage();
  tab.setDefaultTimeout(waitMs);
  tab.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
  tab.on('pageerror', (err) => errors.push(`script error on ${tab.url()}: ${clip(err.message, 300)}`));
  return tab;
}

export async function axeViolations(tab, axeSource) {
  await tab.addScriptTag({ content: axeSource });
  return tab.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  }, AXE_TAGS);
}

// ------------------------------------------------------------------- run ---

// Runs script `name` on the site at opts.root, which must have the page `needs` (why it may
// not: `missing`): serves it, starts Chromium, calls `checks(browser, axeSource, origin)`,
// prints the count and exits 1 if any check failed, or when opts.timeout runs out.
export async function runChecks(name, opts, needs, missing, what, checks) {
  const started = Date.now();
  let browser = null;
  let server = null;
  const deadline = setTimeout(() => {
    console.error(`${name}: gave up after ${opts.timeout}s (overall time limit, see --timeout)`);
    console.log(`${name}: ${counts.passed} checks passed, ${counts.failed + 1} failed`);
    process.exit(1);
  }, opts.timeout * 1000);
  deadline.unref();
  try {
    if (!existsSync(opts.root)) throw new Error(`--root ${opts.root} does not exist`);
    if (!existsSync(path.join(opts.root, needs))) throw new Error(`${opts.root} has no ${needs}: ${missing}`);
    const chromium = await loadChromium();
    const axe = await loadAxe();
    server = await startServer(opts.root, opts.prefix, opts.port, name);
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium(chromium, opts.chromium);
    console.log(`${name}: checking ${what} at ${origin}${opts.prefix} with axe-core ${axe.version}`);
    await checks(browser, axe.source, origin);
  } catch (err) {
    console.error(`${name}: ${err.message}`);
    counts.failed++;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.close();
    clearTimeout(deadline);
  }
  console.log(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(`${name}: ${counts.passed} checks passed, ${counts.failed} failed`);
  process.exit(counts.failed > 0 ? 1 : 0);
}

#!/usr/bin/env node
// Search benchmark (a measurement, never a test): what a query costs the visitor of a built
// site, in headless Chromium, with the theme's search.js and the index under `search/`.
//
// For each query, in a fresh browser context (empty cache, nothing fetched before), it opens
// PREFIX/search/, focuses the search box (search.js then fetches meta.json), types the query
// with a pause between keys, and measures:
//   to_results  ms from the last keystroke's `input` event to the first result (an
//               li.search-result with its summary) being in #search-results. This includes
//               search.js's typing pause (TYPING_DELAY_MS, 150 ms), which is fixed;
//   work        the same minus that pause: from the moment the pause ends (search.js calls
//               history.replaceState just before it searches; the script notes that call) to
//               the first result in the DOM;
//   fetching    the part of `work` during which some index file was in flight (from the
//               browser's resource timings); the rest is search.js's own work: parsing JSON,
//               ranking, the filters' counts, drawing the results;
//   painted     ms from the last keystroke to the next animation frame after that;
//   status      ms from the last keystroke to the role=status line's text. search.js sets it
//               400 ms after the results are ranked, on purpose (screen readers are not
//               interrupted at every key), so it is always >= 550 ms and not the figure the
//               gate is about;
//   searches    how many searches search.js ran: 1 when every pause between keys stayed under
//               its 150 ms; more when it also searched a half-typed word ("sin"), which fetches
//               more (a slow typist, --key-delay 250, or a loaded machine delaying keys);
//   files, KB, gzip KB
//               every response under PREFIX/search/ but the search page itself: how many,
//               their bodies' total size as served (uncompressed), and what gzip (level 6,
//               zlib's default, as most hosts) would make of each, summed.
// With --fill the query is set at once (one input event, so exactly one search): the cost of
// the query itself, the same on any machine. Without it the query is typed key by key.
// Times are the median of --runs fresh contexts (with the range); sizes do not vary between
// runs. The table is followed by the index's size on disk, folder by folder, and a warning
// for any file fetched twice within one query.
//
// Usage:
//   node scripts/bench_search.mjs --root BUILT_SITE --prefix /hub/ [--port 8765]
//        [--queries 'singing,composition,singing governor'] [--runs 3] [--key-delay 100 | --fill]
//        [--timeout SECONDS] [--chromium PATH]
//   node scripts/bench_search.mjs --corpus CORPUS --root OUT --prefix /hub/ [--stave BIN] ...
//
// The site must have been built for the address it is served at:
//   target/release/stave build --root $BENCH_DIR/portal-10000 --out /dev/shm/bench-search-out \
//       --now 2026-11-22 --base-url http://127.0.0.1:8765/hub/
//   node scripts/bench_search.mjs --root /dev/shm/bench-search-out --prefix /hub/
// or give --corpus and the script runs that build itself (into --root, emptied first; the
// binary is --stave, default target/release/stave, which it does not rebuild).
//
// Needs Chromium and tests/browser's node packages (scripts/test.sh installs both; or
// apt-get install chromium && (cd tests/browser && npm ci)). The default queries are words of
// the synthetic corpus (../shared/bench/gen_corpus.py): three in nearly every page, one
// topic in about 6% of pages, one in a single page, a typo and two words. A query of stop
// words only ("the") is not searched at all, so it has nothing to time.

import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp, rmSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { clip, keepLocal, launchChromium, loadChromium, parseOptions, PAGE_TIMEOUT_MS, startServer } from '../tests/browser/serve.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_QUERIES = 'singing,composition,governor,ukulele,builder,singng,singing governor';
// search.js's pause after the last key before it searches (TYPING_DELAY_MS there).
const TYPING_DELAY_MS = 150;
// After the status line shows, wait this long for any fetch still under way to be counted.
const SETTLE_MS = 300;
// The longest wait for one step of a query (the page, the status line) before giving up.
const WAIT_MS = 30_000;

function usage(msg) {
  if (msg) console.error(`bench_search: ${msg}`);
  console.error(
    'usage: node scripts/bench_search.mjs --root BUILT_SITE [--prefix /hub/] [--port 8765] [--queries a,b,c]\n' +
      '                                     [--runs 3] [--key-delay MS | --fill] [--timeout SECONDS] [--chromium PATH]\n' +
      '                                     [--corpus CORPUS [--stave BIN]]   (build CORPUS into BUILT_SITE first)',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = parseOptions(
    argv,
    { port: 8765, queries: DEFAULT_QUERIES, runs: 3, keyDelay: 100, fill: false, corpus: '', stave: path.join(REPO, 'target/release/stave') },
    usage,
  );
  if (opts.pages.length > 0) usage(`unknown argument ${opts.pages[0]}`);
  if (opts.port === 0) usage('--port must be the one the site was built for');
  if (!(Number.isInteger(opts.runs) && opts.runs >= 1)) usage('bad --runs');
  if (!(opts.keyDelay >= 0)) usage('bad --key-delay');
  opts.queries = opts.queries.split(',').map((q) => q.trim()).filter(Boolean);
  if (opts.queries.length === 0) usage('no --queries');
  return opts;
}

// ------------------------------------------------------------------ sizes ---

const gzipSize = (buf) => zlib.gzipSync(buf).length;
const kb = (bytes) => (bytes / 1000).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// The index on disk: each folder's file count, bytes and largest file (the search page's own
// index.html is not part of it).
async function indexOnDisk(dir) {
  const parts = new Map();
  async function walk(d, rel) {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(full, r);
      else if (e.isFile() && r !== 'index.html') {
        const size = (await fsp.stat(full)).size;
        const part = r.includes('/') ? r.split('/')[0] + '/' : r;
        const p = parts.get(part) || { files: 0, bytes: 0, largest: ['', 0] };
        p.files++;
        p.bytes += size;
        if (size > p.largest[1]) p.largest = [r, size];
        parts.set(part, p);
      }
    }
  }
  await walk(dir, '');
  return parts;
}

// ---------------------------------------------------------------- browser ---

// Runs in the page before search.js: notes the last input event in the search box, the end
// of search.js's typing pause (its history.replaceState just before searching), the first
// result with a summary in the list after that, the next frame, and the status line's text.
function instrument() {
  const b = { lastInput: 0, searched: 0, searches: 0, results: 0, painted: 0, status: 0, statusText: '' };
  window.__bench = b;
  const replace = history.replaceState;
  history.replaceState = function (...args) {
    b.searched = performance.now();
    b.searches++;
    return replace.apply(this, args);
  };
  document.addEventListener(
    'input',
    (e) => {
      if (e.target && e.target.id === 'search-q') Object.assign(b, { lastInput: performance.now(), searched: 0, results: 0, painted: 0, status: 0, statusText: '' });
    },
    true,
  );
  document.addEventListener('DOMContentLoaded', () => {
    const list = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    new MutationObserver(() => {
      if (b.results || !b.searched || b.searched < b.lastInput) return;
      if (list.querySelector('li.search-result .search-result__summary')) {
        b.results = performance.now();
        requestAnimationFrame(() => { b.painted = performance.now(); });
      }
    }).observe(list, { childList: true, subtree: true });
    const box = document.getElementById('search-q');
    new MutationObserver(() => {
      // Only the status of the whole query: a slow typist's half-typed word may be announced
      // after the last key.
      const text = status.textContent.trim();
      if (text && b.lastInput && !b.status && text.includes(`\u201c${box.value.trim()}\u201d`)) {
        Object.assign(b, { status: performance.now(), statusText: text });
      }
    }).observe(status, { childList: true, subtree: true, characterData: true });
  });
}

// One query in a fresh context: the page's timings and every index file fetched.
async function measureQuery(browser, origin, opts, query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const outside = [];
  const errors = [];
  const fetched = [];
  try {
    await keepLocal(context, origin, outside);
    await context.addInitScript(instrument);
    const tab = await context.newPage();
    tab.setDefaultTimeout(WAIT_MS);
    tab.setDefaultNavigationTimeout(PAGE_TIMEOUT_MS);
    tab.on('pageerror', (err) => errors.push(clip(err.message, 300)));
    const searchPage = opts.prefix + 'search/';
    tab.on('response', (resp) => {
      const u = new URL(resp.url());
      if (!u.pathname.startsWith(searchPage) || u.pathname === searchPage) return;
      fetched.push({ path: u.pathname.slice(searchPage.length), status: resp.status(), body: resp.body().catch(() => Buffer.alloc(0)) });
    });
    const loaded = await tab.goto(origin + searchPage, { waitUntil: 'load' });
    if (!loaded || loaded.status() !== 200) throw new Error(`${searchPage}: HTTP ${loaded && loaded.status()}`);
    await tab.focus('#search-q');
    if (opts.fill) await tab.fill('#search-q', query);
    else await tab.keyboard.type(query, { delay: opts.keyDelay });
    try {
      await tab.waitForFunction(() => window.__bench.status > 0 && window.__bench.searched > 0);
    } catch {
      const shown = await tab.locator('#search-status').textContent().catch(() => '?');
      throw new Error(`"${query}": no status line for it within ${WAIT_MS / 1000} s (it says "${clip(shown, 200)}"; errors: ${errors.join('; ') || 'none'})`);
    }
    await tab.waitForTimeout(SETTLE_MS);
    const b = await tab.evaluate((index) => {
      // How much of the wait for results was spent fetching (any index file in flight).
      const b = window.__bench;
      const end = b.results || b.status;
      const spans = performance.getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname.startsWith(index) && e.responseEnd > b.searched && e.startTime < end)
        .map((e) => [Math.max(e.startTime, b.searched), Math.min(e.responseEnd, end)])
        .sort((x, y) => x[0] - y[0]);
      let fetching = 0;
      let upTo = b.searched;
      for (const [from, to] of spans) {
        if (to > upTo) fetching += to - Math.max(from, upTo);
        upTo = Math.max(upTo, to);
      }
      return { ...b, fetching };
    }, opts.prefix + 'search/');
    const files = [];
    for (const f of fetched) files.push({ ...f, body: await f.body });
    if (outside.length) errors.push(...outside);
    return { b, files, errors };
  } finally {
    await context.close();
  }
}

// ------------------------------------------------------------------- main ---

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const base = `http://127.0.0.1:${opts.port}${opts.prefix}`;
  if (opts.corpus) {
    if (!existsSync(opts.stave)) usage(`no Stave binary at ${opts.stave} (cargo build --release, or --stave)`);
    rmSync(opts.root, { recursive: true, force: true });
    console.log(`building ${opts.corpus} into ${opts.root} for ${base}`);
    execFileSync(opts.stave, ['build', '--root', opts.corpus, '--out', opts.root, '--now', '2026-11-22', '--base-url', base], { stdio: 'inherit' });
  }
  const indexDir = path.join(opts.root, 'search');
  if (!existsSync(path.join(indexDir, 'meta.json'))) usage(`${indexDir}/meta.json not found: build the site (with search on) first`);
  const page = await fsp.readFile(path.join(indexDir, 'index.html'), 'utf8');
  if (!page.includes(`data-index="${opts.prefix}search/"`)) {
    usage(`${indexDir}/index.html does not look for its index under ${opts.prefix}search/: build the site with --base-url ${base}`);
  }
  setTimeout(() => {
    console.error(`bench_search: gave up after ${opts.timeout} s (--timeout)`);
    process.exit(1);
  }, opts.timeout * 1000).unref();

  const chromium = await loadChromium();
  const server = await startServer(opts.root, opts.prefix, opts.port, 'bench_search');
  const browser = await launchChromium(chromium, opts.chromium);
  const origin = `http://127.0.0.1:${opts.port}`;
  const rows = [];
  const notes = [];
  try {
    const how = opts.fill ? 'each query set at once (one input event)' : `typed, ${opts.keyDelay} ms between keys`;
    console.log(`Chromium ${browser.version()}, ${opts.runs} run(s) per query, ${how}; search.js waits ${TYPING_DELAY_MS} ms after the last key`);
    for (const query of opts.queries) {
      const runs = [];
      for (let i = 0; i < opts.runs; i++) runs.push(await measureQuery(browser, origin, opts, query));
      const last = runs[runs.length - 1];
      const times = (f) => runs.map((r) => f(r.b)).filter((x) => x !== null);
      const found = /^(\d+) results?/.exec(last.b.statusText);
      const perPart = {};
      let bytes = 0;
      let gz = 0;
      const seen = new Map();
      for (const f of last.files) {
        const g = gzipSize(f.body);
        bytes += f.body.length;
        gz += g;
        const part = f.path.includes('/') ? f.path.split('/')[0] : f.path.replace(/\.json$/, '');
        perPart[part] = (perPart[part] || 0) + f.body.length;
        seen.set(f.path, (seen.get(f.path) || 0) + 1);
        if (f.status !== 200) notes.push(`"${query}": ${f.path} answered HTTP ${f.status}`);
      }
      for (const [p, n] of seen) if (n > 1) notes.push(`"${query}": ${p} fetched ${n} times`);
      for (const r of runs) for (const e of r.errors) notes.push(`"${query}": ${e}`);
      rows.push({
        query,
        results: found ? found[1] : last.b.statusText.startsWith('No results') ? '0' : '?',
        toResults: times((b) => (b.results ? b.results - b.lastInput : null)),
        work: times((b) => (b.results ? b.results - b.searched : null)),
        fetching: times((b) => (b.results ? b.fetching : null)),
        painted: times((b) => (b.painted ? b.painted - b.lastInput : null)),
        status: times((b) => b.status - b.lastInput),
        searches: runs.map((r) => r.b.searches),
        files: last.files.length,
        bytes,
        gz,
        perPart,
        pieces: last.files.filter((f) => f.path.startsWith('postings/')).map((f) => `${f.path.slice(9, -5)}:${kb(f.body.length)}`),
      });
    }
  } finally {
    await browser.close();
    server.close();
  }

  const ms = (xs) => (xs.length ? `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))})` : '-');
  const head = ['query', 'results', 'to_results_ms', 'work_ms', 'fetching_ms', 'painted_ms', 'status_ms', 'searches', 'files', 'KB', 'gzip_KB', 'meta/words/postings/cards KB', 'postings pieces (n:KB)'];
  const table = rows.map((r) => [
    `"${r.query}"`,
    r.results,
    ms(r.toResults),
    ms(r.work),
    ms(r.fetching),
    ms(r.painted),
    ms(r.status),
    r.searches.join(','),
    String(r.files),
    kb(r.bytes),
    kb(r.gz),
    ['meta', 'words', 'postings', 'cards'].map((p) => kb(r.perPart[p] || 0)).join('/'),
    r.pieces.join(' '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 || i >= 11 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  console.log(line(head));
  for (const t of table) console.log(line(t));
  console.log(`times: median of ${opts.runs} (min-max), from the last keystroke; work_ms leaves out search.js's ${TYPING_DELAY_MS} ms typing pause;`);
  console.log('fetching_ms: the part of work_ms with an index file in flight (the rest is script: parsing, ranking, counting, drawing).');
  console.log('searches: how many searches search.js ran in each run (more than one: it searched a half-typed word too).');
  console.log('files, KB: of the last run; KB: response bodies as served (1 KB = 1000 bytes); gzip_KB: each gzipped (zlib level 6), summed.');

  const parts = await indexOnDisk(indexDir);
  let files = 0;
  let bytes = 0;
  console.log(`index on disk (${indexDir}, the search page excluded):`);
  for (const [part, p] of [...parts].sort()) {
    files += p.files;
    bytes += p.bytes;
    console.log(`  ${part.padEnd(10)} ${String(p.files).padStart(6)} files ${kb(p.bytes).padStart(10)} KB   largest ${p.largest[0]} ${kb(p.largest[1])} KB`);
  }
  console.log(`  ${'total'.padEnd(10)} ${String(files).padStart(6)} files ${kb(bytes).padStart(10)} KB`);
  for (const n of notes) console.log(`note: ${n}`);
}

main().catch((err) => {
  console.error(`bench_search: ${err.message}`);
  process.exit(1);
});

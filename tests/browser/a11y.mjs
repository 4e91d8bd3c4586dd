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

import { createServer } from 'node:http';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900, isMobile: false },
  { name: 'phone', width: 375, height: 812, isMobile: true },
];
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const INSTALL_HINT =
  'Install Chromium with: apt-get update && apt-get install -y chromium   (Debian package, gives /usr/bin/chromium; use sudo if not root)\n' +
  'and the node packages with: cd tests/browser && npm ci --no-audit --no-fund\n' +
  '(scripts/test.sh does both.)';
const PAGE_TIMEOUT_MS = 60_000;
const SNIPPET_MAX = 240;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.rss': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.xsl': 'application/xslt+xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt; charset=utf-8',
  '.zip': 'application/zip',
};

function usage(msg) {
  if (msg) console.error(`a11y: ${msg}`);
  console.error(
    'usage: node a11y.mjs --root DIR [--prefix /sub/path/] [--port N] [--timeout SECONDS]\n' +
      '                     [--concurrency N] [--chromium PATH] (--all | PAGE_PATH... | --serve)',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    root: null,
    prefix: '/',
    port: 0,
    all: false,
    serve: false,
    timeout: 600,
    concurrency: 2,
    chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    pages: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--root': opts.root = value(); break;
      case '--prefix': opts.prefix = value(); break;
      case '--port': opts.port = Number(value()); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--concurrency': opts.concurrency = Number(value()); break;
      case '--chromium': opts.chromium = value(); break;
      case '--all': opts.all = true; break;
      case '--serve': opts.serve = true; break;
      case '-h':
      case '--help': usage();
      // falls through (usage exits)
      default:
        if (a.startsWith('--')) usage(`unknown option ${a}`);
        opts.pages.push(a);
    }
  }
  if (!opts.root) usage('--root is required');
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  if (!(opts.timeout > 0)) usage('bad --timeout');
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) usage('bad --concurrency');
  if (!opts.serve && !opts.all && opts.pages.length === 0) usage('give --all or at least one PAGE_PATH');
  if (!opts.prefix.startsWith('/')) opts.prefix = '/' + opts.prefix;
  if (!opts.prefix.endsWith('/')) opts.prefix += '/';
  opts.root = path.resolve(opts.root);
  return opts;
}

// ---------------------------------------------------------------- server ---

function startServer(root, prefix, port) {
  const notFoundPage = path.join(root, '404.html');

  async function sendFile(req, res, file, status) {
    const body = await fsp.readFile(file);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': body.length,
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function notFound(req, res) {
    if (existsSync(notFoundPage)) return sendFile(req, res, notFoundPage, 404);
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'not found\n');
  }

  async function handle(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    // The prefix itself without its trailing slash: redirect to it.
    if (pathname + '/' === prefix) {
      res.writeHead(301, { Location: prefix + url.search });
      return res.end();
    }
    if (!pathname.startsWith(prefix) || pathname.includes('\0')) return notFound(req, res);
    const rel = pathname.slice(prefix.length);
    let file = path.resolve(root, '.' + path.posix.sep + rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(req, res);

    let stat;
    try {
      stat = await fsp.stat(file);
    } catch {
      return notFound(req, res);
    }
    if (stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        // Like ordinary static hosts: /dir -> /dir/ so relative links work.
        res.writeHead(301, { Location: url.pathname + '/' + url.search });
        return res.end();
      }
      file = path.join(file, 'index.html');
      if (!existsSync(file)) return notFound(req, res);
    } else if (!stat.isFile()) {
      return notFound(req, res);
    }
    return sendFile(req, res, file, 200);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error(`a11y: server error for ${req.url}: ${err.message}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => {
      reject(new Error(`cannot listen on 127.0.0.1:${port}: ${err.message}`));
    });
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// ----------------------------------------------------------------- pages ---

// Alias pages only redirect (meta refresh) to a real page, which is checked in its own right.
async function isRedirectStub(file) {
  const html = await fsp.readFile(file, 'utf8');
  return /<meta[^>]+http-equiv=["']?refresh/i.test(html);
}

async function findIndexPages(root) {
  const found = [];
  async function walk(dir) {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && e.name === 'index.html' && !(await isRedirectStub(full))) found.push(path.relative(root, dir));
    }
  }
  await walk(root);
  return found
    .map((rel) => (rel === '' ? '' : rel.split(path.sep).join('/') + '/'))
    .sort();
}

async function listPages(opts) {
  const pages = [];
  if (opts.all) {
    for (const rel of await findIndexPages(opts.root)) {
      pages.push({ label: opts.prefix + rel, url: opts.prefix + rel, expectStatus: 200 });
    }
    if (existsSync(path.join(opts.root, '404.html'))) {
      const missing = opts.prefix + 'a11y-check-no-such-page/';
      pages.push({ label: `${opts.prefix}404.html (served at ${missing})`, url: missing, expectStatus: 404 });
    }
  }
  for (const p of opts.pages) {
    let url = p;
    if (/^https?:\/\//.test(url)) url = new URL(url).pathname;
    if (!url.startsWith(opts.prefix)) url = opts.prefix + url.replace(/^\/+/, '');
    const expectStatus = path.posix.basename(url) === '404.html' ? null : 200;
    pages.push({ label: url, url, expectStatus });
  }
  return pages;
}

// ---------------------------------------------------------------- checks ---

function clip(s, n = SNIPPET_MAX) {
  const one = String(s ?? '').replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

async function checkAtViewport(browser, axeSource, origin, page, vp) {
  const context = await browser.newContext({
    viewport: { width: vp.width, height: vp.height },
    isMobile: vp.isMobile,
    hasTouch: vp.isMobile,
    deviceScaleFactor: 1,
    bypassCSP: true, // so axe can be injected whatever the site's CSP says
    serviceWorkers: 'block',
  });
  const problems = []; // strings that make the page fail besides axe violations
  const warnings = [];
  try {
    // Nothing outside the local server is reachable here; fail fast instead of hanging.
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) {
        return route.continue();
      }
      warnings.push(`blocked external request: ${clip(u, 160)}`);
      return route.abort('blockedbyclient');
    });
    const tab = await context.newPage();
    tab.setDefaultTimeout(PAGE_TIMEOUT_MS);
    tab.on('pageerror', (err) => warnings.push(`script error: ${clip(err.message, 200)}`));
    tab.on('response', (resp) => {
      const u = resp.url();
      if (resp.status() >= 400 && u !== origin + page.url && u.startsWith(origin + '/')) {
        warnings.push(`HTTP ${resp.status()} for ${u.slice(origin.length)}`);
      }
    });

    const resp = await tab.goto(origin + page.url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
    const status = resp ? resp.status() : 0;
    if (page.expectStatus !== null && status !== page.expectStatus) {
      problems.push(`expected HTTP ${page.expectStatus} but got ${status}`);
      return { violations: [], problems, warnings };
    }
    await tab.evaluate(() => (document.fonts ? document.fonts.ready.then(() => true) : true));
    await tab.addScriptTag({ content: axeSource });
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
    return { violations, problems, warnings };
  } finally {
    await context.close().catch(() => {});
  }
}

async function checkPage(browser, axeSource, origin, page) {
  const perViewport = [];
  for (const vp of VIEWPORTS) {
    try {
      perViewport.push({ vp, ...(await checkAtViewport(browser, axeSource, origin, page, vp)) });
    } catch (err) {
      perViewport.push({ vp, violations: [], problems: [`could not check: ${clip(err.message, 400)}`], warnings: [] });
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

async function runPool(items, limit, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await worker(items[i], i);
    }
  });
  await Promise.all(runners);
}

// ------------------------------------------------------------------ main ---

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.serve) {
    const server = await startServer(opts.root, opts.prefix, opts.port);
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

    let chromium, axe;
    try {
      ({ chromium } = await import('playwright-core'));
      axe = (await import('axe-core')).default;
    } catch (err) {
      throw new Error(`node packages missing (${err.message}).\n${INSTALL_HINT}`);
    }

    if (!existsSync(opts.chromium)) {
      throw new Error(`Chromium not found at ${opts.chromium}.\n${INSTALL_HINT}`);
    }

    const pages = await listPages(opts);
    if (pages.length === 0) throw new Error(`no pages to check (no index.html under ${opts.root})`);

    server = await startServer(opts.root, opts.prefix, opts.port);
    const origin = `http://127.0.0.1:${server.address().port}`;

    try {
      browser = await chromium.launch({
        executablePath: opts.chromium,
        headless: true,
        args: CHROMIUM_ARGS,
        timeout: 60_000,
      });
    } catch (err) {
      throw new Error(`could not launch Chromium at ${opts.chromium}: ${clip(err.message, 800)}\n${INSTALL_HINT}`);
    }

    console.log(
      `a11y: checking ${pages.length} page(s) at ${origin}${opts.prefix} with axe-core ${axe.version} ` +
        `(${AXE_TAGS.join(', ')}) at ${VIEWPORTS.map((v) => `${v.width}x${v.height}`).join(' and ')}`,
    );

    await runPool(pages, opts.concurrency, async (page) => {
      const perViewport = await checkPage(browser, axe.source, origin, page);
      const r = formatResult(page, perViewport);
      if (r.failed) failed++;
      else passed++;
      console.log(r.text);
    });
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

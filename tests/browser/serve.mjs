// Shared by the browser checks (a11y.mjs, phones.mjs): serving a built site on
// 127.0.0.1 under its base-URL prefix, listing its pages, launching headless
// Chromium, and small helpers for reports.

import { createServer } from 'node:http';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
export const INSTALL_HINT =
  'Install Chromium with: apt-get update && apt-get install -y chromium   (Debian package, gives /usr/bin/chromium; use sudo if not root)\n' +
  'and the node packages with: cd tests/browser && npm ci --no-audit --no-fund\n' +
  '(scripts/test.sh does both.)';
export const PAGE_TIMEOUT_MS = 60_000;
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

// One line of at most `n` characters, whitespace collapsed.
export function clip(s, n = SNIPPET_MAX) {
  const one = String(s ?? '').replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

// A --prefix value as `/…/`.
export function normalisePrefix(prefix) {
  let p = prefix.startsWith('/') ? prefix : '/' + prefix;
  if (!p.endsWith('/')) p += '/';
  return p;
}

// ---------------------------------------------------------------- server ---

// Serves `root` at `prefix` on 127.0.0.1:`port` (0: any free port), like an ordinary static
// host: `dir` redirects to `dir/`, `dir/` serves its index.html, anything else is 404.html.
// `name` prefixes the server's error messages.
export function startServer(root, prefix, port, name) {
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
      console.error(`${name}: server error for ${req.url}: ${err.message}`);
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

// Every page of the site under `root`: the folder of each index.html that is not a redirect
// stub, as a path relative to the prefix (`''`, `cpd/`, ...), sorted.
export async function findIndexPages(root) {
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

// The pages to check: with `all`, every index page plus the 404 page (loaded at the missing
// address prefix + `missing`, as a visitor sees it); then each path in `extra`.
export async function listPages(root, prefix, all, extra, missing) {
  const pages = [];
  if (all) {
    for (const rel of await findIndexPages(root)) {
      pages.push({ label: prefix + rel, url: prefix + rel, expectStatus: 200 });
    }
    if (existsSync(path.join(root, '404.html'))) {
      const url = prefix + missing;
      pages.push({ label: `${prefix}404.html (served at ${url})`, url, expectStatus: 404 });
    }
  }
  for (const p of extra) {
    let url = p;
    if (/^https?:\/\//.test(url)) url = new URL(url).pathname;
    if (!url.startsWith(prefix)) url = prefix + url.replace(/^\/+/, '');
    const expectStatus = path.posix.basename(url) === '404.html' ? null : 200;
    pages.push({ label: url, url, expectStatus });
  }
  return pages;
}

// --------------------------------------------------------------- browser ---

// Loads playwright-core's Chromium driver, or throws with how to install it.
export async function loadChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch (err) {
    throw new Error(`node packages missing (${err.message}).\n${INSTALL_HINT}`);
  }
}

// axe-core (its `source` is injected into pages, `version` reported), or throws with how to install it.
export async function loadAxe() {
  try {
    return (await import('axe-core')).default;
  } catch (err) {
    throw new Error(`node packages missing (${err.message}).\n${INSTALL_HINT}`);
  }
}

// Launches headless Chromium from `executablePath`, or throws with how to install it.
export async function launchChromium(chromium, executablePath) {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}.\n${INSTALL_HINT}`);
  }
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (err) {
    throw new Error(`could not launch Chromium at ${executablePath}: ${clip(err.message, 800)}\n${INSTALL_HINT}`);
  }
}

// Blocks every request outside the local server (nothing else is reachable here: fail fast
// instead of hanging), noting each in `warnings`.
export async function keepLocal(context, origin, warnings) {
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) {
      return route.continue();
    }
    warnings.push(`blocked external request: ${clip(u, 160)}`);
    return route.abort('blockedbyclient');
  });
}

// Runs `worker` over `items`, at most `limit` at once.
export async function runPool(items, limit, worker) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await worker(items[i], i);
    }
  });
  await Promise.all(runners);
}

// The options every browser script takes (--root, --prefix, --port, --timeout, --chromium),
// its own (`extra`: name → default, written --kebab-case; a flag when the default is false,
// a list of numbers when it is an array) and the page paths given. `usage(msg)` exits 2.
export function parseOptions(argv, extra, usage) {
  const opts = { root: null, prefix: '/', port: 0, timeout: 600, chromium: process.env.CHROMIUM_PATH || '/usr/bin/chromium', ...extra, pages: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage();
    if (!a.startsWith('--')) {
      opts.pages.push(a);
      continue;
    }
    const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in opts) || key === 'pages') usage(`unknown option ${a}`);
    if (opts[key] === false) {
      opts[key] = true;
      continue;
    }
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    const v = argv[++i];
    const was = extra[key] ?? opts[key];
    opts[key] = typeof was === 'number' ? Number(v) : Array.isArray(was) ? v.split(',').map(Number) : v;
  }
  if (!opts.root) usage('--root is required');
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('bad --port');
  if (!(opts.timeout > 0)) usage('bad --timeout');
  if ('concurrency' in extra && !(Number.isInteger(opts.concurrency) && opts.concurrency >= 1)) usage('bad --concurrency');
  opts.prefix = normalisePrefix(opts.prefix);
  opts.root = path.resolve(opts.root);
  return opts;
}

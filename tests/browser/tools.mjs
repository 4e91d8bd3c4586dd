#!/usr/bin/env node
// Browser check of the toolkit's two tools on a site built by stave: the self-review
// (/toolkit/audit/, audit.js) and the plan-summary builder (/toolkit/plan/, plan.js).
//
// Serves the built site on 127.0.0.1 (see serve.mjs) and uses both tools in headless
// Chromium the way a music lead would, finding every control by its label or role:
//   audit: answers one section with the top level and another with the lowest, by keyboard
//     alone (Tab, Space, arrow keys); checks the section scores (100% and 0%), strengths, areas
//     to develop and the resources and CPD signposted for the weak section (each link is a page
//     of the site); checks several more answer patterns against the rule in DESIGN.md
//     (mean of level index / (levels - 1), under 50% to develop, 75% and over a strength) and
//     the intent / implementation / impact scores; reloads (answers kept); exports the answers
//     to a file, clears them, loads the file back; rejects a file that is not an export; the
//     print style hides the buttons and starts each section on a new page; axe-core finds no
//     violation before or after answering; the page does not scroll sideways at 320 px; with
//     JavaScript off every statement is still a radio group.
//   plan: the hub's name is filled in; fields filled in show in the preview; "Copy as Markdown"
//     and "Copy as HTML" give the summary; reload keeps everything; the self-review's areas to
//     develop are added to "In the future" once only; Clear empties it; axe-core finds nothing.
//   both: no request leaves 127.0.0.1 and no cookie is set.
// The statements, scale and signposts are read from the page's #audit-data, so any site
// with a content/toolkit/audit.yaml can be checked.
//
// Usage:
//   node tools.mjs --root DIR [--prefix /hub/] [--port N] [--timeout SECONDS] [--chromium PATH]
//
// Ends with `tools: N checks passed, M failed` and exits 1 if any check fails.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { axeViolations, check, escapeRe, openTab, runChecks, scriptOptions, step } from './checks.mjs';
import { clip, PAGE_TIMEOUT_MS } from './serve.mjs';

const WAIT_MS = 10_000;



// ---------------------------------------------------------------- report ---



// ------------------------------------------------------------- the rule ---

// DESIGN.md's rule, written out independently of audit.js: the mean over answered
// statements of index / (levels - 1), as a whole percentage; under 50% to develop, 75% and
// over a strength.
function expected(statements, answers, scale) {
  const top = scale.length - 1;
  const idx = statements.map((st) => answers[st.name]).filter((l) => l !== undefined).map((l) => scale.findIndex((s) => s.id === l));
  if (idx.length === 0) return { pct: null, band: 'none' };
  const mean = idx.reduce((a, i) => a + i / top, 0) / idx.length;
  const band = mean < 0.5 - 1e-9 ? 'develop' : mean >= 0.75 - 1e-9 ? 'strength' : 'middle';
  return { pct: Math.round(mean * 100), band };
}

const BAND_WORDS = { develop: /area to develop/i, strength: /strength/i, middle: /^(?![\s\S]*(strength|area to develop))/i };


// ---------------------------------------------------------------- helpers ---

async function newContext(browser, origin, outside, extra = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    bypassCSP: true, // so axe can be injected whatever the site's CSP says
    serviceWorkers: 'block',
    acceptDownloads: true,
    ...extra,
  });
  // Every request is recorded; one leaving the local server is a failure (and is blocked,
  // so the run fails fast rather than hanging on an address nothing answers here).
  context.on('request', (req) => {
    const u = req.url();
    if (!(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:'))) outside.push(u);
  });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    return route.abort('blockedbyclient');
  });
  return context;
}



async function auditData(tab) {
  return JSON.parse(await tab.locator('#audit-data').textContent());
}

function group(tab, statement) {
  return tab.getByRole('group', { name: statement.text, exact: true });
}

function radio(tab, statement, level) {
  return group(tab, statement).getByRole('radio', { name: level.label, exact: true });
}

// The answers as the form shows them: {name: levelId}.
async function checkedAnswers(tab) {
  return tab.evaluate(() => {
    const out = {};
    for (const r of document.querySelectorAll('#audit-form input[type=radio]:checked')) out[r.name] = r.value;
    return out;
  });
}

// A score table's rows by their row header: {name: {score, result}}.
async function scoreRows(tab, tableName) {
  const table = tab.locator('#audit-results').getByRole('table', { name: tableName });
  const out = {};
  for (const row of await table.getByRole('row').all()) {
    const header = row.getByRole('rowheader');
    if ((await header.count()) !== 1) continue;
    const cells = await row.getByRole('cell').allTextContents();
    // One cell: the score, then the result ("Strength", "Area to develop") if any.
    const cell = (cells[0] || '').replace(/\s+/g, ' ').trim();
    out[(await header.textContent()).trim()] = { score: cell, result: cell.replace(/^\d+%/, '').replace(/\(.*\)/, '').trim() };
  }
  return out;
}

// The score shown for a row: "67%" or "not answered yet".
function shownPct(row) {
  if (!row) return undefined;
  const m = /^(\d+)%/.exec(row.score);
  return m ? Number(m[1]) : row.score.includes('not answered yet') ? null : undefined;
}

function sameAnswers(a, b) {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

async function waitForText(locator, re, what) {
  try {
    await locator.filter({ hasText: re }).first().waitFor({ state: 'attached', timeout: WAIT_MS });
    return true;
  } catch {
    return check(what, false, `never showed ${re}; text is: ${await locator.first().textContent().catch(() => '?')}`);
  }
}

// Checks one section's shown score and band against the rule.
async function checkSection(tab, data, answers, section, what) {
  const rows = await scoreRows(tab, 'Score for each section');
  const exp = expected(section.statements, answers, data.scale);
  const row = rows[section.title];
  check(`${what}: ${section.title} scores ${exp.pct === null ? 'not answered yet' : exp.pct + '%'}`, shownPct(row) === exp.pct, row);
  if (exp.band !== 'none') check(`${what}: ${section.title} is marked "${exp.band}"`, row && BAND_WORDS[exp.band].test(row.result), row);
  const strengths = await listUnder(tab, 'Strengths');
  const develop = await listUnder(tab, 'Areas to develop');
  check(`${what}: ${section.title} is ${exp.band === 'strength' ? '' : 'not '}under Strengths`, strengths.includes(section.title) === (exp.band === 'strength'), strengths);
  check(`${what}: ${section.title} is ${exp.band === 'develop' ? '' : 'not '}under Areas to develop`, develop.includes(section.title) === (exp.band === 'develop'), develop);
}

// The text from a results heading up to the next heading of the same level.
async function listUnder(tab, heading) {
  return tab.evaluate((heading) => {
    const hs = [...document.querySelectorAll('#audit-report h3')];
    const h = hs.find((x) => x.textContent.trim() === heading);
    if (!h) return `(no heading "${heading}")`;
    let text = '';
    for (let n = h.nextElementSibling; n && n.tagName !== 'H3'; n = n.nextElementSibling) text += ' ' + n.textContent;
    return text;
  }, heading);
}

// ------------------------------------------------------------------ audit ---

async function auditChecks(browser, axeSource, origin, opts) {
  const url = `${origin}${opts.prefix}toolkit/audit/`;
  const outside = [];
  const errors = [];
  const context = await newContext(browser, origin, outside);
  try {
    const tab = await openTab(context, errors, PAGE_TIMEOUT_MS);
    const resp = await tab.goto(url, { waitUntil: 'load' });
    if (!check(`audit: ${url} loads`, resp && resp.status() === 200, resp && resp.status())) return;
    const data = await auditData(tab);
    const { scale, sections } = data;
    const low = scale[0];
    const high = scale[scale.length - 1];
    check('audit: the data has a scale of two or more levels and a section', scale.length >= 2 && sections.length >= 1, data);

    await step('audit: axe-core before answering', async () => {
      const v = await axeViolations(tab, axeSource);
      check('audit: axe-core finds no violation before answering', v.length === 0, v);
    });
    const wrong = [];
    for (const s of sections) {
      for (const st of s.statements) {
        const n = await group(tab, st).getByRole('radio').count();
        if (n !== scale.length) wrong.push(`"${clip(st.text, 60)}": ${n} radios`);
      }
    }
    check(`audit: every statement is a radio group named by its text, with ${scale.length} radios`, wrong.length === 0, wrong);

    // The weak section has something signposted when the site has any; the strong one is
    // another section.
    const weak = sections.find((s) => s.resources.length + s.events.length > 0) || sections[0];
    const strong = sections.find((s) => s !== weak);
    const answers = {};

    // Keyboard alone: focus the first radio of the section, then for each statement Space
    // (lowest level) or Space and the right arrow to the top level, and Tab to the next.
    async function answerByKeyboard(section, top) {
      await radio(tab, section.statements[0], low).focus();
      for (const [i, st] of section.statements.entries()) {
        const focused = await tab.evaluate(() => document.activeElement && document.activeElement.name);
        if (!check(`audit: keyboard: focus is on "${clip(st.text, 50)}"`, focused === st.name, `focus on ${focused}`)) return;
        await tab.keyboard.press('Space');
        if (top) for (let k = 1; k < scale.length; k++) await tab.keyboard.press('ArrowRight');
        answers[st.name] = top ? high.id : low.id;
        if (i + 1 < section.statements.length) await tab.keyboard.press('Tab');
      }
    }
    await step('audit: answering by keyboard', async () => {
      await answerByKeyboard(weak, false);
      if (strong) await answerByKeyboard(strong, true);
      const shown = await checkedAnswers(tab);
      check('audit: keyboard: every answer given is checked', sameAnswers(shown, answers), { shown, answers });
    });

    await step('audit: results after keyboard answers', async () => {
      check('audit: the results are shown', await tab.locator('#audit-results').isVisible());
      const status = tab.getByRole('status');
      const n = Object.keys(answers).length;
      const total = sections.reduce((a, s) => a + s.statements.length, 0);
      await waitForText(status, new RegExp(`${n} of ${total} statements answered`), 'audit: summary counts the answers');
      check('audit: the summary is a polite live region', (await tab.locator('#audit-summary').getAttribute('aria-live')) === 'polite');
      const rows = await scoreRows(tab, 'Score for each section');
      check(`audit: the weak section (${weak.title}) scores 0%`, shownPct(rows[weak.title]) === 0, rows[weak.title]);
      if (strong) check(`audit: the strong section (${strong.title}) scores 100%`, shownPct(rows[strong.title]) === 100, rows[strong.title]);
      for (const s of sections.filter((s) => s !== weak && s !== strong)) {
        check(`audit: unanswered ${s.title} says "not answered yet"`, shownPct(rows[s.title]) === null, rows[s.title]);
      }
      await checkSection(tab, data, answers, weak, 'audit: keyboard');
      if (strong) await checkSection(tab, data, answers, strong, 'audit: keyboard');
      const statusText = await tab.locator('#audit-summary').textContent();
      check('audit: the summary names the area to develop', statusText.includes(weak.title), statusText);

      // Signposts: each resource and event of the weak section is a link under its area.
      const area = tab.locator('#audit-report').getByRole('region', { name: new RegExp('^' + escapeRe(weak.title)) });
      check(`audit: ${weak.title} has its own card under Areas to develop`, (await area.count()) === 1);
      const items = [...weak.resources, ...weak.events];
      if (items.length === 0) {
        check('audit: with nothing tagged, the card says so', /nothing|no resources/i.test(await area.textContent()));
      }
      for (const item of items) {
        const link = area.getByRole('link', { name: item.title, exact: true });
        const href = (await link.count()) ? await link.first().getAttribute('href') : null;
        check(`audit: "${clip(item.title, 60)}" is linked under ${weak.title}`, href === item.href, { href, expected: item.href });
        if (item.meta) check(`audit: "${clip(item.title, 40)}" shows "${item.meta}"`, (await area.textContent()).includes(item.meta));
        const target = new URL(item.href, url);
        const r = await tab.request.get(target.href);
        check(`audit: ${target.pathname} is a page of the site`, target.origin === origin && r.status() === 200, r.status());
      }
    });

    await step('audit: more answer patterns', async () => {
      const others = sections.filter((s) => s !== weak && s !== strong);
      const mixed = others[0] || weak;
      const sts = mixed.statements;
      // Half-way (top and lowest): 50%, neither a strength nor an area to develop.
      if (sts.length >= 2) {
        for (const [st, lv] of [[sts[0], high], [sts[1], low]]) {
          await radio(tab, st, lv).check();
          answers[st.name] = lv.id;
        }
        await checkSection(tab, data, answers, mixed, 'audit: pattern top+lowest');
      }
      // Three at the top and one at the lowest: 75%, a strength.
      if (sts.length >= 4) {
        for (const st of [sts[2], sts[3]]) {
          await radio(tab, st, high).check();
          answers[st.name] = high.id;
        }
        await checkSection(tab, data, answers, mixed, 'audit: pattern 3 top + 1 lowest');
      }
      // Every level in turn, one statement left out: the mean is over answered ones only.
      for (const [i, st] of sts.entries()) {
        if (i === sts.length - 1 && sts.length > 1) break;
        const lv = scale[(i + 1) % scale.length];
        await radio(tab, st, lv).check();
        answers[st.name] = lv.id;
      }
      await checkSection(tab, data, answers, mixed, 'audit: pattern each level in turn');
      // A second section, every statement at the level below the top.
      const next = others[1];
      if (next && scale.length > 2) {
        for (const st of next.statements) {
          await radio(tab, st, scale[scale.length - 2]).check();
          answers[st.name] = scale[scale.length - 2].id;
        }
        await checkSection(tab, data, answers, next, 'audit: pattern one below the top');
      }
      // Intent, implementation and impact across sections.
      const focusRows = await scoreRows(tab, /intent, implementation and impact/i);
      const all = sections.flatMap((s) => s.statements);
      for (const f of data.focuses) {
        const list = all.filter((st) => st.focus && st.focus.id === f.id);
        if (list.length === 0) continue;
        const exp = expected(list, answers, scale);
        check(`audit: ${f.label} scores ${exp.pct === null ? 'not answered yet' : exp.pct + '%'}`, shownPct(focusRows[f.label]) === exp.pct, focusRows[f.label]);
      }
    });

    await step('audit: axe-core after answering', async () => {
      const v = await axeViolations(tab, axeSource);
      check('audit: axe-core finds no violation after answering', v.length === 0, v);
    });

    await step('audit: phone width', async () => {
      await tab.setViewportSize({ width: 320, height: 568 });
      const w = await tab.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      check('audit: with results shown, the page does not scroll sideways at 320 px', w[0] <= w[1], w);
      await tab.setViewportSize({ width: 1280, height: 900 });
    });

    await step('audit: reload', async () => {
      await tab.reload({ waitUntil: 'load' });
      await tab.locator('#audit-results').waitFor({ state: 'visible', timeout: WAIT_MS });
      const shown = await checkedAnswers(tab);
      check('audit: after a reload every answer is still checked', sameAnswers(shown, answers), { shown, answers });
      const rows = await scoreRows(tab, 'Score for each section');
      check('audit: after a reload the scores are shown again', shownPct(rows[weak.title]) === 0, rows[weak.title]);
    });

    let exported = null;
    await step('audit: export', async () => {
      const [download] = await Promise.all([tab.waitForEvent('download', { timeout: WAIT_MS }), tab.getByRole('button', { name: 'Export answers' }).click()]);
      const file = path.join(opts.tmp, download.suggestedFilename() || 'answers.json');
      await download.saveAs(file);
      const json = JSON.parse(await fsp.readFile(file, 'utf8'));
      check('audit: the exported file is a stave-audit export with a date', json.tool === 'stave-audit' && !Number.isNaN(Date.parse(json.exported)) && json.title === data.title, json);
      check('audit: the exported file has every answer', sameAnswers(json.answers || {}, answers), json.answers);
      check(`audit: the export is named like a JSON file (${download.suggestedFilename()})`, /\.json$/.test(download.suggestedFilename()));
      exported = file;
    });

    await step('audit: clear', async () => {
      tab.once('dialog', (d) => d.dismiss());
      await tab.getByRole('button', { name: 'Clear my answers' }).click();
      check('audit: cancelling "Clear my answers" keeps the answers', sameAnswers(await checkedAnswers(tab), answers));
      tab.once('dialog', (d) => d.accept());
      await tab.getByRole('button', { name: 'Clear my answers' }).click();
      check('audit: "Clear my answers" unchecks every radio', Object.keys(await checkedAnswers(tab)).length === 0);
      const stored = await tab.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('stave-audit:') && localStorage.getItem(k)));
      check('audit: "Clear my answers" empties the browser storage', stored.length === 0, stored);
      await tab.reload({ waitUntil: 'load' });
      check('audit: after clearing and reloading nothing is checked', Object.keys(await checkedAnswers(tab)).length === 0);
    });

    await step('audit: import', async () => {
      const input = tab.getByLabel('Load answers from a file');
      await input.setInputFiles({ name: 'not-mine.json', mimeType: 'application/json', buffer: Buffer.from('{"tool": "something-else", "answers": {}}') });
      await waitForText(tab.locator('#audit-summary'), /could not load/i, 'audit: a file of another tool is refused');
      check('audit: a refused file changes no answer', Object.keys(await checkedAnswers(tab)).length === 0);
      await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{not json') });
      await waitForText(tab.locator('#audit-summary'), /broken\.json.*not a JSON file/i, 'audit: a file that is not JSON is refused');
      if (!exported) return check('audit: import needs the exported file', false);
      await input.setInputFiles(exported);
      await waitForText(tab.locator('#audit-summary'), /Loaded \d+ answers?/, 'audit: loading the exported file says how many answers');
      check('audit: loading the exported file brings every answer back', sameAnswers(await checkedAnswers(tab), answers), await checkedAnswers(tab));
      const rows = await scoreRows(tab, 'Score for each section');
      check('audit: after loading, the scores are back', shownPct(rows[weak.title]) === 0, rows[weak.title]);
      // A file with one answer naming a level that does not exist: the rest load, it is named.
      const odd = { tool: 'stave-audit', title: data.title, exported: new Date().toISOString(), answers: { ...answers, [weak.statements[0].name]: 'no-such-level' } };
      await input.setInputFiles({ name: 'odd.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(odd)) });
      await waitForText(tab.locator('#audit-summary'), /Skipped 1/, 'audit: an answer with an unknown level is reported');
    });

    await step('audit: print', async () => {
      await tab.evaluate(() => {
        window.__printed = 0;
        window.print = () => {
          window.__printed++;
        };
      });
      await tab.getByRole('button', { name: 'Print my report' }).click();
      check('audit: "Print my report" opens the print dialogue', (await tab.evaluate(() => window.__printed)) === 1);
      await tab.emulateMedia({ media: 'print' });
      const names = ['Print my report', 'Export answers', 'Clear my answers'];
      for (const name of names) check(`audit: print style hides "${name}"`, !(await tab.getByRole('button', { name }).isVisible()));
      check('audit: print style hides the file input', !(await tab.getByLabel('Load answers from a file').isVisible()));
      check('audit: print style hides the site header and footer', !(await tab.locator('.site-header').isVisible()) && !(await tab.locator('.site-footer').isVisible()));
      check('audit: print style keeps the results', await tab.locator('#audit-report').isVisible());
      const breaks = await tab.evaluate(() => [...document.querySelectorAll('#audit-form section')].map((s) => getComputedStyle(s).breakBefore));
      check('audit: print style starts each section after the first on a new page', breaks.slice(1).every((b) => b === 'page'), breaks);
      await tab.emulateMedia({ media: 'screen' });
    });

    check('audit: no script error', errors.length === 0, errors);
    const cookies = await context.cookies();
    check('audit: no cookie is set', cookies.length === 0, cookies);
  } finally {
    await context.close().catch(() => {});
  }
  check('audit: no request leaves 127.0.0.1', outside.length === 0, outside);

  // Without JavaScript: every statement is still a radio group, and no results show.
  const noJs = await newContext(browser, origin, outside, { javaScriptEnabled: false });
  try {
    const tab = await openTab(noJs, errors, PAGE_TIMEOUT_MS);
    await tab.goto(url, { waitUntil: 'load' });
    const data = await auditData(tab);
    let groups = 0;
    let bad = [];
    for (const s of data.sections) {
      for (const st of s.statements) {
        const g = group(tab, st);
        const radios = (await g.count()) === 1 ? await g.getByRole('radio').count() : 0;
        if (radios === data.scale.length) groups++;
        else bad.push(st.text);
      }
    }
    check(`audit: without JavaScript every statement is a radio group (${groups})`, bad.length === 0 && groups > 0, bad);
    check('audit: without JavaScript no buttons are shown', (await tab.locator('#audit').getByRole('button').count()) === 0);
    check('audit: without JavaScript the empty results are hidden', !(await tab.locator('#audit-results').isVisible()));
  } finally {
    await noJs.close().catch(() => {});
  }
}

// ------------------------------------------------------------------- plan ---

async function planChecks(browser, axeSource, origin, opts) {
  const url = `${origin}${opts.prefix}toolkit/plan/`;
  const auditUrl = `${origin}${opts.prefix}toolkit/audit/`;
  const outside = [];
  const errors = [];
  const context = await newContext(browser, origin, outside);
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    const tab = await openTab(context, errors, PAGE_TIMEOUT_MS);
    const resp = await tab.goto(url, { waitUntil: 'load' });
    if (!check(`plan: ${url} loads`, resp && resp.status() === 200, resp && resp.status())) return;

    const hub = (await tab.locator('.site-footer h2').first().textContent()).trim();
    const hubField = tab.getByLabel('Name of local music hub');
    check(`plan: the hub's name is filled in (${hub})`, (await hubField.inputValue()) === hub, await hubField.inputValue());

    await step('plan: axe-core before filling in', async () => {
      const v = await axeViolations(tab, axeSource);
      check('plan: axe-core finds no violation before filling in', v.length === 0, v);
    });

    const filled = {
      'School name': 'Brookside Primary School',
      'Academic year that this summary covers': '2026-27',
      'Name of the school music lead': 'Sam Okafor',
      'Curriculum music: time each week, what is taught and how it is assessed': 'Every class has an hour of music each week.\n\n- Year 4 learn the ukulele\n- Singing in every lesson',
      'Co-curricular music: lessons, choirs, ensembles and where pupils rehearse': 'Choir meets on Tuesdays in the hall.',
      'Musical experiences: performances, concerts and trips': 'A summer concert and a trip to the hub festival.',
      'In the future: what you plan to change or improve, and when': 'Start a school band in spring 2027.',
    };
    const features = tab.getByRole('group', { name: /key features/i }).getByRole('checkbox');
    let ticked = [];
    await step('plan: fill in', async () => {
      for (const [label, text] of Object.entries(filled)) await tab.getByLabel(label, { exact: true }).fill(text);
      await tab.getByLabel('Date this summary was published').fill('2026-09-01');
      const n = await features.count();
      check('plan: the NPME key features are checkboxes (7)', n === 7, n);
      for (const i of [0, 2]) {
        await features.nth(i).check();
        ticked.push(((await features.nth(i).locator('xpath=..').textContent()) || '').trim());
      }
    });

    const preview = tab.locator('#plan-preview');
    await step('plan: preview', async () => {
      check('plan: the summary is shown', await tab.locator('#plan-output').isVisible());
      const heading = preview.getByRole('heading', { name: /Music development plan summary/ });
      const h = (await heading.count()) ? await heading.first().textContent() : '';
      check('plan: the preview is headed with the school name and "Music development plan summary"', h.includes('Brookside Primary School'), h);
      const text = await preview.textContent();
      for (const want of ['Sam Okafor', '2026-27', '1 September 2026', hub, 'Every class has an hour of music each week.', 'Year 4 learn the ukulele', 'Choir meets on Tuesdays', 'trip to the hub festival', 'Start a school band']) {
        check(`plan: the preview shows "${want}"`, text.includes(want), text);
      }
      for (const name of ['Part A: Curriculum music', 'Part B: Co-curricular music', 'Part C: Musical experiences', 'In the future', 'National Plan key features']) {
        check(`plan: the preview has the heading "${name}"`, (await preview.getByRole('heading', { name, exact: true }).count()) === 1);
      }
      for (const t of ticked) check(`plan: the ticked feature "${clip(t, 50)}" is listed`, text.includes(t));
      check('plan: "Further information" is left out until it is filled in', (await preview.getByRole('heading', { name: /Further information/ }).count()) === 0);
    });

    async function copied(buttonName) {
      const kind = buttonName.replace('Copy as ', '');
      // The status still holds the last copy's message: empty it, so the wait below is for this one.
      await tab.evaluate(() => { document.getElementById('plan-status').textContent = ''; });
      await tab.getByRole('button', { name: buttonName }).click();
      await waitForText(tab.locator('#plan-status'), new RegExp(kind), `plan: "${buttonName}" reports in the status`);
      const statusText = await tab.locator('#plan-status').textContent();
      // Headless Chromium sometimes refuses the clipboard; the page then selects the text and says so.
      check(`plan: "${buttonName}" announces the copy`, /Copied|press Ctrl\+C/.test(statusText), statusText);
      let text = await tab.evaluate(() => navigator.clipboard.readText()).catch(() => '');
      const fallback = tab.locator('#plan-copy-text');
      if ((!text || !text.trim()) && (await fallback.count())) text = await fallback.inputValue();
      return text;
    }
    await step('plan: copy as Markdown', async () => {
      const md = await copied('Copy as Markdown');
      for (const want of ['# Music development plan summary: Brookside Primary School', '## Part A: Curriculum music', '## Part B: Co-curricular music', '## Part C: Musical experiences', '## In the future', '## National Plan key features', 'Every class has an hour of music each week.', '- Year 4 learn the ukulele', `Name of local music hub:** ${hub}`]) {
        check(`plan: the Markdown has "${want}"`, md.includes(want), md);
      }
    });
    await step('plan: copy as HTML', async () => {
      const html = await copied('Copy as HTML');
      for (const want of ['<h1>Music development plan summary: Brookside Primary School</h1>', '<h2>Part A: Curriculum music</h2>', '<li>Year 4 learn the ukulele</li>', '<h2>In the future</h2>']) {
        check(`plan: the HTML has "${want}"`, html.includes(want), html);
      }
    });

    await step('plan: reload', async () => {
      await tab.reload({ waitUntil: 'load' });
      for (const [label, text] of Object.entries(filled)) {
        const v = await tab.getByLabel(label, { exact: true }).inputValue();
        check(`plan: after a reload "${clip(label, 40)}" is kept`, v === text, v);
      }
      check('plan: after a reload the date is kept', (await tab.getByLabel('Date this summary was published').inputValue()) === '2026-09-01');
      check('plan: after a reload the ticked features are kept', (await features.nth(0).isChecked()) && (await features.nth(2).isChecked()) && !(await features.nth(1).isChecked()));
      check('plan: after a reload the preview is back', (await preview.textContent()).includes('Brookside Primary School'));
    });

    await step('plan: axe-core after filling in', async () => {
      const v = await axeViolations(tab, axeSource);
      check('plan: axe-core finds no violation after filling in', v.length === 0, v);
    });

    await step('plan: print', async () => {
      await tab.emulateMedia({ media: 'print' });
      check('plan: print style hides the buttons', !(await tab.getByRole('button', { name: 'Copy as Markdown' }).isVisible()));
      check('plan: print style shows the summary, not the form', (await preview.isVisible()) && !(await tab.getByLabel('School name').isVisible()));
      await tab.emulateMedia({ media: 'screen' });
    });

    // The self-review's areas to develop become "In the future" prompts.
    await step('plan: from the self-review', async () => {
      const hasAudit = (await tab.locator('#audit-data').count()) === 1;
      if (!check('plan: the page carries the self-review data', hasAudit)) return;
      const button = tab.getByRole('button', { name: "Add my self-review's areas to develop" });
      check('plan: no carry-over button before the self-review has answers', (await button.count()) === 0);
      const audit = await context.newPage();
      await audit.goto(auditUrl, { waitUntil: 'load' });
      const data = await auditData(audit);
      const weak = data.sections[0];
      for (const st of weak.statements) await radio(audit, st, data.scale[0]).check();
      await audit.close();
      await tab.reload({ waitUntil: 'load' });
      if (!check('plan: the carry-over button is offered', (await button.count()) === 1)) return;
      await button.click();
      const future = tab.getByLabel('In the future: what you plan to change or improve, and when');
      const v = await future.inputValue();
      const re = new RegExp('^- ' + escapeRe(weak.title) + '\\b', 'm');
      check(`plan: "In the future" gains a line for ${weak.title}`, re.test(v) && v.startsWith('Start a school band'), v);
      await button.click();
      const again = await future.inputValue();
      check('plan: adding twice does not duplicate the line', again.split('\n').filter((l) => re.test(l)).length === 1, again);
      check('plan: the preview shows the new line', (await preview.textContent()).includes(weak.title));
    });

    await step('plan: clear', async () => {
      tab.once('dialog', (d) => d.accept());
      await tab.getByRole('button', { name: 'Clear', exact: true }).click();
      check('plan: "Clear" empties the school name', (await tab.getByLabel('School name').inputValue()) === '');
      check("plan: after \"Clear\" the hub's name is filled in again", (await hubField.inputValue()) === hub);
      await tab.reload({ waitUntil: 'load' });
      check('plan: after "Clear" and a reload the fields stay empty', (await tab.getByLabel('School name').inputValue()) === '');
    });

    check('plan: no script error', errors.length === 0, errors);
    const cookies = await context.cookies();
    check('plan: no cookie is set', cookies.length === 0, cookies);
  } finally {
    await context.close().catch(() => {});
  }
  check('plan: no request leaves 127.0.0.1', outside.length === 0, outside);
}

// ------------------------------------------------------------------ main ---

const opts = scriptOptions('tools', process.argv.slice(2));
runChecks(
  'tools',
  opts,
  path.join('toolkit', 'audit', 'index.html'),
  'the site has no content/toolkit/audit.yaml',
  "the toolkit's tools",
  async (browser, axeSource, origin) => {
    opts.tmp = await fsp.mkdtemp(path.join((await import('node:os')).tmpdir(), 'stave-tools-'));
    try {
      await auditChecks(browser, axeSource, origin, opts);
      await planChecks(browser, axeSource, origin, opts);
    } finally {
      await fsp.rm(opts.tmp, { recursive: true, force: true }).catch(() => {});
    }
  },
);

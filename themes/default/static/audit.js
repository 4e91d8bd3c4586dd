/* Stave default theme: the school music self-review (/toolkit/audit/).
 *
 * The page is a complete form without this script. The script adds, as the person answers:
 * each section's score, the intent / implementation / impact scores, strengths, areas to
 * develop with the hub's resources and upcoming CPD for each, and saving in this browser
 * (localStorage), printing, exporting the answers as a JSON file and loading them back.
 *
 * Score rule (DESIGN.md): a section's score is the mean, over its answered statements, of
 * level index / (levels - 1), shown as a whole percentage; under 50% is an area to develop,
 * 75% and over a strength. Focus scores are the same over the statements with that focus.
 *
 * Nothing is sent anywhere: no network requests, no cookies. The data comes from the page's
 * <script type="application/json" id="audit-data">.
 */
(function () {
  'use strict';

  const byId = (id) => document.getElementById(id);
  const dataEl = byId('audit-data');
  const form = byId('audit-form');
  const results = byId('audit-results');
  const summary = byId('audit-summary');
  const report = byId('audit-report');
  const actions = byId('audit-actions');
  if (!dataEl || !form || !results || !summary || !report) return;

  let data;
  try {
    data = JSON.parse(dataEl.textContent);
  } catch (e) {
    return;
  }
  if (!data || !Array.isArray(data.scale) || data.scale.length < 2 || !Array.isArray(data.sections)) return;

  const KEY = 'stave-audit:' + location.pathname;
  const TOOL = 'stave-audit';
  const levels = data.scale.map((l) => String(l.id));
  const top = levels.length - 1;
  const levelIndex = new Map(levels.map((id, i) => [id, i]));
  const sections = data.sections.filter((s) => s && Array.isArray(s.statements));
  const statementByName = new Map();
  for (const s of sections) for (const st of s.statements) statementByName.set(String(st.name), { section: s, statement: st });
  const focuses = Array.isArray(data.focuses) ? data.focuses : [];
  const total = statementByName.size;

  // ------------------------------------------------------------ storage ---

  function load() {
    try {
      const raw = localStorage.getItem(KEY);
      if (!raw) return {};
      const saved = JSON.parse(raw);
      return saved && typeof saved.answers === 'object' && saved.answers ? saved.answers : {};
    } catch (e) {
      return {};
    }
  }

  function save(answers) {
    try {
      if (Object.keys(answers).length === 0) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, JSON.stringify({ tool: TOOL, saved: new Date().toISOString(), answers }));
      return true;
    } catch (e) {
      return false;
    }
  }

  // -------------------------------------------------------------- form ----

  // The answers in the form: {name: levelId}, for statements of this self-review only.
  function readAnswers() {
    const answers = {};
    for (const input of form.querySelectorAll('input[type="radio"]:checked')) {
      if (statementByName.has(input.name) && levelIndex.has(input.value)) answers[input.name] = input.value;
    }
    return answers;
  }

  // Sets the form to exactly `answers` (others unchecked).
  function writeAnswers(answers) {
    for (const input of form.querySelectorAll('input[type="radio"]')) {
      input.checked = Object.prototype.hasOwnProperty.call(answers, input.name) && answers[input.name] === input.value;
    }
  }

  // Only answers naming a statement and a level of this self-review.
  function validAnswers(answers) {
    const ok = {};
    for (const [name, level] of Object.entries(answers || {})) {
      if (statementByName.has(name) && typeof level === 'string' && levelIndex.has(level)) ok[name] = level;
    }
    return ok;
  }

  // ------------------------------------------------------------- scores ---

  // {answered, count, sum, pct, band} over the statements `list`. Bands are decided on whole
  // numbers (sum of level indexes against answered × top), so no rounding error moves one.
  function score(list, answers) {
    let answered = 0;
    let sum = 0;
    for (const st of list) {
      const level = answers[st.name];
      if (level !== undefined && levelIndex.has(level)) {
        answered++;
        sum += levelIndex.get(level);
      }
    }
    if (answered === 0) return { answered, count: list.length, pct: null, band: 'none' };
    const max = answered * top;
    const pct = Math.round((100 * sum) / max);
    let band = 'middle';
    if (2 * sum < max) band = 'develop';
    else if (4 * sum >= 3 * max) band = 'strength';
    return { answered, count: list.length, pct, band };
  }

  function scoreAll(answers) {
    const bySection = sections.map((s) => ({ section: s, ...score(s.statements, answers) }));
    const all = sections.flatMap((s) => s.statements);
    const byFocus = focuses
      .map((f) => ({ focus: f, ...score(all.filter((st) => st.focus && st.focus.id === f.id), answers) }))
      .filter((f) => f.count > 0);
    return { bySection, byFocus };
  }

  const BAND_LABEL = { strength: 'Strength', develop: 'Area to develop', middle: 'In between', none: '' };

  // ----------------------------------------------------------- building ---

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  function scoreText(s) {
    return s.pct === null ? 'not answered yet' : s.pct + '%';
  }

  function answeredText(s) {
    return `${s.answered} of ${s.count} answered`;
  }

  let tableCount = 0;
  function scoreTable(caption, firstHeading, rows) {
    const id = 'audit-table-' + ++tableCount;
    return el(
      'div',
      { class: 'table-wrap audit__table', role: 'region', 'aria-labelledby': id, tabindex: '0' },
      el(
        'table',
        { class: 'audit__scores' },
        el('caption', { id, text: caption }),
        el('thead', null, el('tr', null, el('th', { scope: 'col', text: firstHeading }), el('th', { scope: 'col', text: 'Score and result' }))),
        el(
          'tbody',
          null,
          rows.map((r) =>
            el(
              'tr',
              { class: 'audit__row audit__row--' + r.band, 'data-band': r.band },
              el('th', { scope: 'row', text: r.name }),
              el(
                'td',
                null,
                el('strong', { class: 'audit__pct', text: scoreText(r) }),
                BAND_LABEL[r.band] ? [' ', el('span', { class: 'audit__band', text: BAND_LABEL[r.band] })] : null,
                r.pct === null ? null : el('span', { class: 'audit__answered', text: ' (' + answeredText(r) + ')' }),
              ),
            ),
          ),
        ),
      ),
    );
  }

  // A list of signposts (resources or events) as links with their meta, or null when none.
  function signposts(heading, items) {
    if (!Array.isArray(items) || items.length === 0) return null;
    return [
      el('h5', { text: heading }),
      el(
        'ul',
        { class: 'audit__signposts' },
        items.map((item) =>
          el('li', null, el('a', { href: item.href, text: item.title }), item.meta ? el('span', { class: 'audit__meta', text: ' (' + item.meta + ')' }) : null),
        ),
      ),
    ];
  }

  // Where to ask for help when the hub has tagged nothing: the hub's email in the footer, and
  // the resources list if the navigation links to one.
  function contactLinks() {
    const links = [];
    const mail = document.querySelector('.site-footer a[href^="mailto:"]');
    if (mail) links.push(el('a', { href: mail.getAttribute('href'), text: 'email the hub' }));
    const nav = [...document.querySelectorAll('.site-nav a[href], .site-menu__nav a[href]')].find((a) => /\/resources\/$/.test(a.getAttribute('href')));
    if (nav) links.push(el('a', { href: nav.getAttribute('href'), text: 'browse all resources' }));
    return links;
  }

  function nothingTagged(section) {
    const topics = Array.isArray(section.topics) && section.topics.length ? ' on ' + listWords(section.topics) : '';
    const p = el('p', { class: 'audit__none', text: `The hub has no resources or upcoming training tagged${topics} yet.` });
    const links = contactLinks();
    if (links.length) {
      p.append(' You can ');
      links.forEach((a, i) => {
        if (i) p.append(' or ');
        p.append(a);
      });
      p.append(' to ask what is available.');
    }
    return p;
  }

  function listWords(words) {
    if (words.length <= 1) return words.join('');
    return words.slice(0, -1).join(', ') + ' and ' + words[words.length - 1];
  }

  function areaCard(r, answers) {
    const s = r.section;
    const low = s.statements.filter((st) => answers[st.name] !== undefined && 2 * levelIndex.get(answers[st.name]) < top);
    const lowList = low.length
      ? [el('h5', { text: 'Statements you rated lowest' }), el('ul', { class: 'audit__low' }, low.map((st) => el('li', { text: st.text })))]
      : null;
    const found = [signposts('Resources from the hub', s.resources), signposts('Upcoming training and events', s.events)].filter(Boolean);
    return el(
      'section',
      { class: 'audit__area card', 'aria-labelledby': 'area-' + s.id },
      el('h4', { id: 'area-' + s.id, text: `${s.title}: ${r.pct}%` }),
      lowList,
      found.length ? found : nothingTagged(s),
    );
  }

  function render(answers, message) {
    const { bySection, byFocus } = scoreAll(answers);
    const answered = Object.keys(answers).length;
    const strengths = bySection.filter((r) => r.band === 'strength');
    const develop = bySection.filter((r) => r.band === 'develop');

    // Summary, read out politely as it changes.
    let text = answered === 0 ? 'No statements answered yet. Your results appear here as you answer.' : `${answered} of ${total} statements answered.`;
    if (answered > 0) {
      text += strengths.length ? ' Strengths: ' + strengths.map((r) => r.section.title).join(', ') + '.' : ' No strengths yet.';
      text += develop.length ? ' Areas to develop: ' + develop.map((r) => r.section.title).join(', ') + '.' : ' No areas to develop.';
    }
    summary.replaceChildren(...(message ? [el('p', { class: 'audit__message', text: message })] : []), el('p', { text }));

    tableCount = 0;
    const parts = [];
    parts.push(el('h3', { text: 'Scores by section' }));
    parts.push(
      el('p', { class: 'audit__rule', text: 'Each score is the average of your answers in that section, from 0% (all "' + data.scale[0].label + '") to 100% (all "' + data.scale[top].label + '"). Under 50% is an area to develop; 75% and over is a strength.' }),
    );
    parts.push(scoreTable('Score for each section', 'Section', bySection.map((r) => ({ ...r, name: r.section.title }))));
    if (byFocus.length) {
      parts.push(el('h3', { text: 'Intent, implementation and impact' }));
      parts.push(scoreTable('Score for intent, implementation and impact, across all sections', 'Focus', byFocus.map((r) => ({ ...r, name: r.focus.label }))));
    }

    parts.push(el('h3', { id: 'audit-strengths', text: 'Strengths' }));
    parts.push(
      strengths.length
        ? el('ul', { class: 'audit__strengths', 'aria-labelledby': 'audit-strengths' }, strengths.map((r) => el('li', { text: `${r.section.title}: ${r.pct}%` })))
        : el('p', { text: answered ? 'None yet: a section scoring 75% or more shows here.' : 'Answer some statements to see your strengths.' }),
    );

    parts.push(el('h3', { id: 'audit-develop', text: 'Areas to develop' }));
    if (develop.length) {
      parts.push(el('p', { text: 'Sections scoring under 50%, with support from the hub for each.' }));
      parts.push(el('div', { class: 'audit__areas' }, develop.map((r) => areaCard(r, answers))));
    } else {
      parts.push(el('p', { text: answered ? 'None: no section scores under 50%.' : 'Answer some statements to see your areas to develop.' }));
    }

    const unanswered = bySection.filter((r) => r.band === 'none');
    if (answered > 0 && unanswered.length) {
      parts.push(el('p', { class: 'audit__unanswered', text: 'Not answered yet: ' + unanswered.map((r) => r.section.title).join(', ') + '.' }));
    }
    report.replaceChildren(...parts);
    results.hidden = false;
  }

  // Current answers: saved, scored and shown.
  function update(message) {
    const answers = readAnswers();
    const stored = save(answers);
    render(answers, message || (stored ? '' : 'Your browser is not keeping answers, so they will be lost when you close this page. Export them to keep them.'));
  }

  // ------------------------------------------------------------ actions ---

  function button(label, onClick) {
    const b = el('button', { type: 'button', class: 'audit__button', text: label });
    b.addEventListener('click', onClick);
    return b;
  }

  function slug(s) {
    return String(s || 'self-review').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'self-review';
  }

  function exportAnswers() {
    const answers = readAnswers();
    const today = new Date().toISOString();
    const body = JSON.stringify({ tool: TOOL, title: data.title || '', exported: today, answers }, null, 2);
    const blob = new Blob([body + '\n'], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: `${slug(data.title)}-${today.slice(0, 10)}.json`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    const n = Object.keys(answers).length;
    render(answers, `Exported ${n} ${n === 1 ? 'answer' : 'answers'} as a file. Load it here, on this or another computer, to carry on.`);
  }

  function clearAnswers() {
    // eslint-disable-next-line no-alert
    if (!window.confirm('Clear all your answers from this device? This cannot be undone, unless you have exported them.')) return;
    try {
      localStorage.removeItem(KEY);
    } catch (e) {
      /* nothing stored */
    }
    writeAnswers({});
    update('Your answers have been cleared.');
  }

  // Reads an exported file back: replaces the answers with its valid ones, and says what was
  // skipped. A file that is not an export of this tool changes nothing.
  async function importFile(input) {
    const file = input.files && input.files[0];
    if (!file) return;
    const name = file.name || 'the file';
    const fail = (why) => render(readAnswers(), `Could not load ${name}: ${why} Your answers have not changed.`);
    try {
      if (file.size > 1024 * 1024) return fail('it is too large to be an export of this self-review.');
      let parsed;
      try {
        parsed = JSON.parse(await file.text());
      } catch (e) {
        return fail('it is not a JSON file.');
      }
      if (!parsed || typeof parsed !== 'object' || parsed.tool !== TOOL) return fail('it is not an export of this self-review (it should say "tool": "' + TOOL + '").');
      if (!parsed.answers || typeof parsed.answers !== 'object' || Array.isArray(parsed.answers)) return fail('it has no answers in it.');
      const entries = Object.entries(parsed.answers);
      const ok = validAnswers(parsed.answers);
      const good = Object.keys(ok).length;
      const skipped = entries.filter(([k]) => !Object.prototype.hasOwnProperty.call(ok, k));
      if (good === 0 && entries.length > 0) return fail('none of its answers match the statements and levels of this self-review.');
      writeAnswers(ok);
      let message = `Loaded ${good} ${good === 1 ? 'answer' : 'answers'} from ${name}.`;
      if (skipped.length) {
        const what = skipped.slice(0, 5).map(([k, v]) => (statementByName.has(k) ? `"${String(v)}" for ${k} (no such level)` : `${k} (no such statement)`));
        message += ` Skipped ${skipped.length} that do not match this self-review: ${what.join('; ')}${skipped.length > 5 ? '; …' : ''}.`;
      }
      update(message);
    } finally {
      input.value = '';
    }
  }

  function setUpActions() {
    if (!actions) return;
    const fileId = 'audit-import';
    const file = el('input', { type: 'file', id: fileId, accept: 'application/json,.json', class: 'audit__file' });
    file.addEventListener('change', () => importFile(file));
    actions.replaceChildren(
      el('h2', { class: 'visually-hidden', text: 'Save, print or share your answers' }),
      el(
        'div',
        { class: 'audit__buttons' },
        button('Print my report', () => window.print()),
        button('Export answers', exportAnswers),
        button('Clear my answers', clearAnswers),
      ),
      el('div', { class: 'audit__load' }, el('label', { for: fileId, text: 'Load answers from a file' }), file),
    );
    actions.hidden = false;
  }

  // --------------------------------------------------------------- start --

  for (const node of document.querySelectorAll('.audit__needs-script')) node.hidden = true;
  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type === 'radio') update();
  });
  // Another tab of the same page changed the saved answers: follow it.
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY) return;
    writeAnswers(validAnswers(load()));
    render(readAnswers());
  });
  setUpActions();
  const restored = validAnswers(load());
  writeAnswers(restored);
  const n = Object.keys(restored).length;
  render(restored, n ? `Your ${n} saved ${n === 1 ? 'answer has' : 'answers have'} been restored from this device.` : '');
})();

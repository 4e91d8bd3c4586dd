/* Stave default theme: the music development plan summary builder (/toolkit/plan/).
 *
 * The page is a complete form without this script. The script keeps what is written in this
 * browser (localStorage), shows the summary as it will be published, copies it as Markdown or
 * HTML, prints it, and can start "In the future" from the self-review's areas to develop
 * (the answers the audit page saved in this browser, scored by the same rule as audit.js).
 *
 * Nothing is sent anywhere: no network requests, no cookies.
 */
(function () {
  'use strict';

  const byId = (id) => document.getElementById(id);
  const article = byId('plan');
  const form = byId('plan-form');
  const output = byId('plan-output');
  const status = byId('plan-status');
  const actions = byId('plan-actions');
  const preview = byId('plan-preview');
  if (!form || !output || !status || !actions || !preview) return;

  const KEY = 'stave-plan:' + location.pathname;
  const TOOL = 'stave-plan';
  const OVERVIEW = ['year', 'published', 'review', 'lead', 'slt', 'hub', 'partners'];
  const DATES = new Set(['published', 'review']);
  const PARTS = [
    ['curriculum', 'part-a', 'Part A: Curriculum music'],
    ['cocurricular', 'part-b', 'Part B: Co-curricular music'],
    ['experiences', 'part-c', 'Part C: Musical experiences'],
  ];
  const FUTURE = ['future', 'in-the-future', 'In the future'];
  const FURTHER = ['further', 'further-information', 'Further information'];
  const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

  // ------------------------------------------------------------- fields ---

  // The form's text fields (inputs and textareas with a name), by name.
  const fields = new Map();
  for (const f of form.querySelectorAll('input[name], textarea[name]')) {
    if (f.type !== 'checkbox' && f.type !== 'radio' && f.type !== 'file') fields.set(f.name, f);
  }
  const features = [...form.querySelectorAll('input[type="checkbox"][name="feature"]')];

  const value = (name) => (fields.has(name) ? fields.get(name).value.trim() : '');

  function labelText(name) {
    const f = fields.get(name);
    const label = f && f.id ? form.querySelector(`label[for="${CSS.escape(f.id)}"]`) : null;
    return label ? label.textContent.replace(/\s+/g, ' ').trim() : name;
  }

  function headingText(id, fallback) {
    const h = byId(id);
    const t = h ? h.textContent.replace(/\s+/g, ' ').replace(/\s*\(optional\)\s*$/i, '').trim() : '';
    return t || fallback;
  }

  function featureLabel(box) {
    const label = box.closest('label');
    return (label ? label.textContent : box.value).replace(/\s+/g, ' ').trim();
  }

  // ------------------------------------------------------------ storage ---

  function readForm() {
    const saved = { tool: TOOL, saved: new Date().toISOString(), fields: {}, features: [] };
    for (const [name, f] of fields) saved.fields[name] = f.value;
    saved.features = features.filter((b) => b.checked).map((b) => b.value);
    return saved;
  }

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(readForm()));
      return true;
    } catch (e) {
      return false;
    }
  }

  function restore() {
    let saved;
    try {
      saved = JSON.parse(localStorage.getItem(KEY) || 'null');
    } catch (e) {
      saved = null;
    }
    if (!saved || typeof saved !== 'object' || !saved.fields) return false;
    for (const [name, f] of fields) {
      if (typeof saved.fields[name] === 'string') f.value = saved.fields[name];
    }
    const ticked = new Set(Array.isArray(saved.features) ? saved.features : []);
    for (const b of features) b.checked = ticked.has(b.value);
    return true;
  }

  // -------------------------------------------------------------- model ---

  function longDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m || +m[2] < 1 || +m[2] > 12) return iso;
    return `${+m[3]} ${MONTHS[+m[2] - 1]} ${m[1]}`;
  }

  // Text as blocks: paragraphs (lines kept) and lists (lines starting "-", "*" or "•").
  function blocks(text) {
    const out = [];
    for (const para of text.split(/\n[ \t]*\n/)) {
      let current = null;
      for (const raw of para.split('\n')) {
        const line = raw.trim();
        if (!line) continue;
        const item = /^[-*•]\s+(.*)$/.exec(line);
        const kind = item ? 'list' : 'para';
        if (!current || current.kind !== kind) {
          current = { kind, lines: [] };
          out.push(current);
        }
        current.lines.push(item ? item[1] : line);
      }
    }
    return out;
  }

  // The summary: its title, overview rows and parts, from the form as it is now.
  function model() {
    const school = value('school');
    const overview = OVERVIEW.map((n) => [labelText(n), DATES.has(n) ? longDate(value(n)) : value(n)]).filter(([, v]) => v);
    const parts = PARTS.map(([name, id, fallback]) => ({ heading: headingText(id, fallback), text: value(name), always: true }));
    const ticked = features.filter((b) => b.checked).map(featureLabel);
    if (ticked.length) parts.push({ heading: 'National Plan key features', list: ticked });
    parts.push({ heading: headingText(FUTURE[1], FUTURE[2]), text: value(FUTURE[0]), always: true });
    if (value(FURTHER[0])) parts.push({ heading: headingText(FURTHER[1], FURTHER[2]), text: value(FURTHER[0]) });
    return { title: 'Music development plan summary' + (school ? ': ' + school : ''), school, overview, parts };
  }

  // ----------------------------------------------------------- Markdown ---

  function mdEscape(line) {
    return line.replace(/([\\`*_[\]<>])/g, '\\$1').replace(/^(#|>|\+|-|=|\d+[.)]\s)/, '\\$1');
  }

  function markdown(m) {
    const out = [`# ${mdEscape(m.title)}`, '', '## Overview', ''];
    if (m.overview.length) for (const [k, v] of m.overview) out.push(`- **${mdEscape(k)}:** ${mdEscape(v)}`);
    else out.push('Not filled in yet.');
    for (const p of m.parts) {
      out.push('', `## ${mdEscape(p.heading)}`, '');
      if (p.list) for (const item of p.list) out.push(`- ${mdEscape(item)}`);
      else {
        const bs = blocks(p.text);
        bs.forEach((b, i) => {
          if (i) out.push('');
          if (b.kind === 'list') for (const l of b.lines) out.push(`- ${mdEscape(l)}`);
          else out.push(b.lines.map(mdEscape).join('  \n'));
        });
      }
    }
    return out.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
  }

  // --------------------------------------------------------------- HTML ---

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }

  // Escaped text with its web addresses as links.
  function linked(s) {
    const re = /https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'"]/g;
    let out = '';
    let last = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      out += esc(s.slice(last, m.index)) + `<a href="${esc(m[0])}">${esc(m[0])}</a>`;
      last = m.index + m[0].length;
    }
    return out + esc(s.slice(last));
  }

  // The summary as HTML, its title at heading level `h` and its parts one level below.
  function html(m, h, forPreview) {
    const h2 = h + 1;
    const out = [`<h${h}>${esc(m.title)}</h${h}>`, `<h${h2}>Overview</h${h2}>`];
    if (m.overview.length) out.push('<ul>\n' + m.overview.map(([k, v]) => `<li><strong>${esc(k)}:</strong> ${linked(v)}</li>`).join('\n') + '\n</ul>');
    else if (forPreview) out.push('<p class="plan__empty">Not filled in yet.</p>');
    for (const p of m.parts) {
      out.push(`<h${h2}>${esc(p.heading)}</h${h2}>`);
      if (p.list) out.push('<ul>\n' + p.list.map((l) => `<li>${esc(l)}</li>`).join('\n') + '\n</ul>');
      else {
        const bs = blocks(p.text);
        if (bs.length === 0 && forPreview) out.push('<p class="plan__empty">Not written yet.</p>');
        for (const b of bs) {
          if (b.kind === 'list') out.push('<ul>\n' + b.lines.map((l) => `<li>${linked(l)}</li>`).join('\n') + '\n</ul>');
          else out.push(`<p>${b.lines.map(linked).join('<br>\n')}</p>`);
        }
      }
    }
    return out.join('\n') + '\n';
  }

  // ------------------------------------------------------------ display ---

  function say(message) {
    status.textContent = '';
    // A fresh text node, so the same message said twice is read out twice.
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  let warned = false;
  function update() {
    if (!save() && !warned) {
      warned = true;
      say('Your browser is not keeping what you write, so it will be lost when you close this page. Copy it somewhere safe.');
    }
    preview.innerHTML = html(model(), 3, true);
  }

  // ---------------------------------------------------------------- copy ---

  let fallback = null;
  function showFallback(kind, text) {
    if (!fallback) {
      const id = 'plan-copy-text';
      fallback = document.createElement('div');
      fallback.className = 'plan__copy';
      fallback.innerHTML = `<label for="${id}"></label><textarea id="${id}" readonly rows="10"></textarea>`;
      actions.after(fallback);
    }
    const area = fallback.querySelector('textarea');
    fallback.querySelector('label').textContent = `The summary as ${kind}, to copy`;
    area.value = text;
    fallback.hidden = false;
    area.focus();
    area.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (e) {
      copied = false;
    }
    return copied;
  }

  async function copy(kind) {
    const m = model();
    const text = kind === 'Markdown' ? markdown(m) : html(m, 1, false);
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        if (fallback) fallback.hidden = true;
        say(`Copied: the summary is on your clipboard as ${kind}, ready to paste into your school's website.`);
        return;
      } catch (e) {
        /* fall back to selecting the text */
      }
    }
    if (showFallback(kind, text)) say(`Copied: the summary is on your clipboard as ${kind}. It is also shown below.`);
    else say(`Your browser did not let this page copy. The ${kind} is selected below: press Ctrl+C (or Command+C) to copy it.`);
  }

  function clearAll() {
    // eslint-disable-next-line no-alert
    if (!window.confirm('Clear everything you have written in this summary on this device? This cannot be undone.')) return;
    try {
      localStorage.removeItem(KEY);
    } catch (e) {
      /* nothing stored */
    }
    form.reset();
    if (fallback) fallback.hidden = true;
    preview.innerHTML = html(model(), 3, true);
    refreshAuditButton();
    say('Cleared: the summary has been emptied on this device.');
  }

  function button(label, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'plan__button';
    b.textContent = label;
    b.addEventListener('click', onClick);
    return b;
  }

  // ------------------------------------------------- from the self-review --

  const auditEl = byId('audit-data');
  let audit = null;
  if (auditEl) {
    try {
      audit = JSON.parse(auditEl.textContent);
    } catch (e) {
      audit = null;
    }
    if (!audit || !Array.isArray(audit.scale) || audit.scale.length < 2 || !Array.isArray(audit.sections)) audit = null;
  }

  function auditKey() {
    const link = document.querySelector('#plan-from-audit-help a[href]');
    let path = null;
    if (link) {
      try {
        path = new URL(link.getAttribute('href'), location.href).pathname;
      } catch (e) {
        path = null;
      }
    }
    return 'stave-audit:' + (path || location.pathname.replace(/plan\/$/, 'audit/'));
  }

  // The self-review's areas to develop from its saved answers: [{title, pct}].
  function auditAreas() {
    if (!audit) return [];
    let answers;
    try {
      const saved = JSON.parse(localStorage.getItem(auditKey()) || 'null');
      answers = saved && saved.answers && typeof saved.answers === 'object' ? saved.answers : null;
    } catch (e) {
      answers = null;
    }
    if (!answers) return [];
    const index = new Map(audit.scale.map((l, i) => [String(l.id), i]));
    const top = audit.scale.length - 1;
    const areas = [];
    for (const s of audit.sections) {
      let n = 0;
      let sum = 0;
      for (const st of s.statements || []) {
        const level = answers[st.name];
        if (typeof level === 'string' && index.has(level)) {
          n++;
          sum += index.get(level);
        }
      }
      if (n > 0 && 2 * sum < n * top) areas.push({ title: String(s.title), pct: Math.round((100 * sum) / (n * top)) });
    }
    return areas;
  }

  const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  function addAreas() {
    const future = fields.get(FUTURE[0]);
    if (!future) return;
    const areas = auditAreas();
    const have = future.value;
    const fresh = areas.filter((a) => !new RegExp('^[ \\t]*[-*•][ \\t]*' + escapeRe(a.title) + '[ \\t]*[:(]', 'mi').test(have));
    if (fresh.length === 0) {
      say(areas.length ? 'Your areas to develop are already in "In the future".' : 'Your self-review has no areas to develop.');
      return;
    }
    const lines = fresh.map((a) => `- ${a.title} (self-review: ${a.pct}%): what we will do to improve this, and by when.`);
    let text = have.replace(/\s+$/, '');
    if (text) {
      const last = text.split('\n').pop().trim();
      text += /^[-*•]\s/.test(last) ? '\n' : '\n\n';
    }
    future.value = text + lines.join('\n') + '\n';
    update();
    say(`Added ${fresh.length} ${fresh.length === 1 ? 'area' : 'areas'} to develop to "In the future": ${fresh.map((a) => a.title).join(', ')}. Replace each prompt with your plan.`);
  }

  let auditButton = null;
  function refreshAuditButton() {
    if (!audit) return;
    const areas = auditAreas();
    if (areas.length && !auditButton) {
      auditButton = button("Add my self-review's areas to develop", addAreas);
      const wrap = document.createElement('p');
      wrap.className = 'plan__from-audit-action';
      wrap.append(auditButton);
      const help = byId('plan-from-audit-help');
      const anchor = help || (fields.get(FUTURE[0]) && fields.get(FUTURE[0]).closest('.field'));
      if (anchor) anchor.after(wrap);
      else return;
    }
    if (auditButton) auditButton.parentElement.hidden = areas.length === 0;
  }

  // --------------------------------------------------------------- start --

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) {
      restore();
      preview.innerHTML = html(model(), 3, true);
    } else if (e.key === auditKey()) refreshAuditButton();
  });

  actions.append(
    button('Copy as Markdown', () => copy('Markdown')),
    button('Copy as HTML', () => copy('HTML')),
    button('Print summary', () => window.print()),
    button('Clear', clearAll),
  );
  restore();
  preview.innerHTML = html(model(), 3, true);
  output.hidden = false;
  if (article) article.classList.add('plan--enhanced');
  refreshAuditButton();
})();

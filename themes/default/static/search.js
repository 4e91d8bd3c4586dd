// The search page: searches the index Stave wrote into search/ (see src/search/files.rs),
// in this browser, fetching only the pieces a query needs. No framework, no cookies, nothing
// sent anywhere; the query and the chosen filters live in the address.
//
// A query's words are split by the rules of src/search/words.rs. Each word is looked up in
// the list of the site's words that start with its letter: exactly, as another form of a
// listed word ("sings"), as the start of a longer word (the last word, which may be half typed), or,
// when none of those is listed, with a typo ("singng"). Those words' stems lead to postings;
// a page must match every word, and ranks by its weights times how rare each stem is. A result
// shows the page's title, type, date and summary, with the words found marked.
//
// What it needs of the page (templates/search.html): #search with data-index (the index's
// folder), the form #search-form with the box #search-q, #search-status (role=status),
// #search-results (an <ol>), the button #search-more, the <details> #search-filters holding
// one fieldset[data-key] per filter group with an element [data-value] per value (a checkbox
// and a [data-count]), #search-nojs (hidden here) and #search-body (shown here).
(() => {
  'use strict';
  const root = document.getElementById('search');
  if (!root || !window.fetch || !window.URLSearchParams) return;

  const PER_PAGE = 10;
  const MAX_PREFIX_WORDS = 10;
  const MAX_WORD = 40;
  const STATUS_DELAY_MS = 400;
  const TYPING_DELAY_MS = 150;

  const base = root.dataset.index;
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const filtersBox = document.getElementById('search-filters');
  const groups = [...root.querySelectorAll('fieldset[data-key]')].map((fieldset) => ({
    key: fieldset.dataset.key,
    fieldset,
    options: [...fieldset.querySelectorAll('[data-value]')].map((el) => ({
      id: el.dataset.value,
      el,
      box: el.querySelector('input'),
      count: el.querySelector('[data-count]'),
    })),
  }));
  const titleSuffix = document.title;

  document.getElementById('search-nojs').hidden = true;
  document.getElementById('search-body').hidden = false;
  const wide = window.matchMedia('(min-width: 48rem)');
  filtersBox.open = wide.matches;

  // --- fetching the index ---------------------------------------------------------------
  const files = new Map();
  const load = (path) => {
    if (!files.has(path)) {
      // `no-cache`: the browser asks the server whether its copy is current, so a rebuilt
      // site's index is never mixed with an old one.
      files.set(path, fetch(base + path, { cache: 'no-cache' }).then((r) => {
        if (!r.ok) throw new Error(`${base}${path}: ${r.status}`);
        return r.json();
      }));
    }
    return files.get(path);
  };
  let metaPromise = null;
  const meta = () => {
    metaPromise = metaPromise || load('meta.json').then((m) => {
      m.stop = new Set(m.stop_words);
      m.lists = new Set(m.word_lists);
      m.bits = {};
      for (const [key, values] of Object.entries(m.filters)) {
        m.bits[key] = {};
        for (const [id, b64] of Object.entries(values)) m.bits[key][id] = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      }
      return m;
    });
    return metaPromise;
  };

  // --- words: the rules of src/search/words.rs ------------------------------------------
  const WORD = /[\p{Alphabetic}\p{N}]+(?:['\u2019][\p{Alphabetic}\p{N}]+)?/gu;
  const normal = (raw) => {
    const apostrophe = raw.search(/['\u2019]/);
    const w = (apostrophe >= 0 ? raw.slice(0, apostrophe) : raw).toLowerCase();
    const n = [...w].length;
    if (n > MAX_WORD || (n === 1 && !/\p{N}/u.test(w))) return null;
    return w;
  };
  const words = (text, stop) => {
    const out = [];
    for (const m of text.matchAll(WORD)) {
      const w = normal(m[0]);
      if (w && !stop.has(w) && !out.includes(w)) out.push(w);
    }
    return out;
  };

  // First index in sorted `a` not below `x`.
  const lowerBound = (a, x) => {
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Edit distance with adjacent swaps counted once, or max + 1 when it is over `max`.
  const distance = (a, b, max) => {
    const m = a.length;
    const n = b.length;
    if (Math.abs(m - n) > max) return max + 1;
    let prev2 = null;
    let prev = Array.from({ length: n + 1 }, (_, j) => j);
    for (let i = 1; i <= m; i++) {
      const cur = [i];
      let best = i;
      for (let j = 1; j <= n; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
        cur.push(d);
        best = Math.min(best, d);
      }
      if (best > max) return max + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[n];
  };

  // Other forms of a word to look for when it is not listed itself: "sings" → "sing".
  const SUFFIXES = [['ies', 'y'], ['ing', ''], ['ers', 'er'], ['ed', ''], ['es', ''], ['er', ''], ['ly', ''], ['s', '']];
  const otherForms = (w) => SUFFIXES.filter(([s]) => w.length > s.length + 2 && w.endsWith(s)).map(([s, r]) => w.slice(0, -s.length) + r);

  // The stems a query word matches, each with how well (1 exact ... 0.4 two typos), and the
  // site's words that count as found for it (to highlight).
  const match = async (m, word, isLast) => {
    const found = new Map();
    const key = word.codePointAt(0).toString(16);
    if (!m.lists.has(key)) return { found, marks: new Set() };
    const list = await load(`words/${key}.json`);
    const ws = list.words;
    const add = (i, quality) => {
      const s = list.stems[i];
      if ((found.get(s) || 0) < quality) found.set(s, quality);
    };
    const at = (w) => {
      const i = lowerBound(ws, w);
      return ws[i] === w ? i : -1;
    };
    const exact = at(word);
    if (exact >= 0) add(exact, 1);
    for (const form of otherForms(word)) {
      const i = at(form);
      if (i >= 0) add(i, 0.9);
    }
    // The last word may be half typed: the words it starts (unless it is a word itself).
    if (isLast && exact < 0 && [...word].length >= 3) {
      for (let i = lowerBound(ws, word), n = 0; i < ws.length && ws[i].startsWith(word) && n < MAX_PREFIX_WORDS; i++, n++) {
        if (i !== exact) add(i, 0.6);
      }
    }
    if (found.size === 0) {
      const len = [...word].length;
      const max = len >= 8 ? 2 : len >= 4 ? 1 : 0;
      for (let i = 0; max && i < ws.length; i++) {
        const d = distance(word, ws[i], max);
        if (d <= max) add(i, d === 1 ? 0.5 : 0.4);
      }
    }
    const marks = new Set();
    ws.forEach((w, i) => { if (found.has(list.stems[i])) marks.add(w); });
    return { found, marks };
  };

  // A stem's postings as written: [doc, weight, doc, weight, ...], each doc a difference.
  const postings = async (m, stem) => {
    const piece = Math.max(0, lowerBound(m.pieces, stem + 1) - 1);
    const all = await load(`postings/${piece}.json`);
    return all[stem - m.pieces[piece]] || [];
  };

  // Records matching every word, best first, and the words to highlight. Scores are kept in
  // arrays of one number per record: a common word matches most of a large site.
  const rank = async (m, query) => {
    const ws = words(query, m.stop);
    if (ws.length === 0) return null;
    const matches = await Promise.all(ws.map((w, i) => match(m, w, i === ws.length - 1)));
    const marks = new Set();
    matches.forEach((x) => x.marks.forEach((w) => marks.add(w)));
    if (matches.some((x) => x.found.size === 0)) return { docs: [], marks };
    // Every stem's postings at once: the pieces they are in are fetched side by side.
    const stems = [...new Set(matches.flatMap((x) => [...x.found.keys()]))];
    const lists = new Map(await Promise.all(stems.map(async (s) => [s, await postings(m, s)])));
    const n = m.records;
    const total = new Float64Array(n);
    const word = new Float64Array(n);
    matches.forEach(({ found }, w) => {
      word.fill(0);
      for (const [stem, quality] of found) {
        const flat = lists.get(stem);
        const df = flat.length / 2;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (let i = 0, doc = 0; i < flat.length; i += 2) {
          doc += flat[i];
          const score = quality * idf * flat[i + 1];
          if (score > word[doc]) word[doc] = score;
        }
      }
      // A record stays only while it has every word so far.
      for (let d = 0; d < n; d++) total[d] = (w === 0 || total[d] > 0) && word[d] > 0 ? total[d] + word[d] : 0;
    });
    const docs = [];
    for (let d = 0; d < n; d++) if (total[d] > 0) docs.push(d);
    docs.sort((a, b) => total[b] - total[a] || a - b);
    return { docs, marks };
  };

  // --- filters ------------------------------------------------------------------------------
  const has = (m, key, id, doc) => {
    const bits = m.bits[key] && m.bits[key][id];
    return !!bits && (bits[doc >> 3] & (1 << (doc & 7))) !== 0;
  };
  const chosen = () => Object.fromEntries(groups.map((g) => [g.key, g.options.filter((o) => o.box.checked).map((o) => o.id)]));
  // Whether `doc` passes every group's choice but `except`'s: one value of a group is enough.
  const passes = (m, choice, doc, except) =>
    groups.every((g) => g.key === except || choice[g.key].length === 0 || choice[g.key].some((id) => has(m, g.key, id, doc)));

  const showCounts = (m, docs, choice) => {
    for (const g of groups) {
      const others = docs.filter((d) => passes(m, choice, d, g.key));
      let shown = 0;
      for (const o of g.options) {
        const bits = m.bits[g.key] && m.bits[g.key][o.id];
        let n = 0;
        if (bits) for (const d of others) if (bits[d >> 3] & (1 << (d & 7))) n++;
        o.count.textContent = String(n);
        o.el.hidden = n === 0 && !o.box.checked;
        if (!o.el.hidden) shown++;
      }
      g.fieldset.hidden = shown === 0;
    }
    const n = Object.values(choice).reduce((k, ids) => k + ids.length, 0);
    filtersBox.querySelector('summary').textContent = n ? `Filters (${n} chosen)` : 'Filters';
  };

  // --- showing results ----------------------------------------------------------------------
  const highlight = (el, text, marks) => {
    let at = 0;
    for (const m of text.matchAll(WORD)) {
      const w = normal(m[0]);
      if (!w || !marks.has(w)) continue;
      el.append(text.slice(at, m.index));
      const mark = document.createElement('mark');
      mark.textContent = m[0];
      el.append(mark);
      at = m.index + m[0].length;
    }
    el.append(text.slice(at));
  };
  const labelOf = (key, id) => {
    const g = groups.find((x) => x.key === key);
    const o = g && g.options.find((x) => x.id === id);
    return o ? o.el.querySelector('label').firstChild.textContent.trim() : id;
  };
  const resultItem = (page, marks) => {
    const li = document.createElement('li');
    li.className = 'search-result';
    const h = document.createElement('h2');
    h.className = 'search-result__title';
    const a = document.createElement('a');
    a.href = page.href;
    highlight(a, page.title, marks);
    h.append(a);
    const meta = document.createElement('p');
    meta.className = 'search-result__meta';
    meta.textContent = [labelOf('collection', page.collection), page.when].filter(Boolean).join(' · ');
    const summary = document.createElement('p');
    summary.className = 'search-result__summary';
    highlight(summary, page.summary, marks);
    li.append(h, meta, summary);
    return li;
  };

  // --- the state: the address, the form and what is shown -------------------------------
  let run = 0;
  let current = { docs: [], marks: new Set(), shown: 0 };
  let statusTimer = 0;

  const announce = (text) => {
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { status.textContent = text; }, STATUS_DELAY_MS);
  };
  const quoted = (q) => `\u201c${q}\u201d`;

  // The next results: their cards are fetched side by side and each is shown, in order, as
  // soon as it and those before it have come.
  const showMore = async (focusFirst) => {
    const mine = run;
    const from = current.shown;
    const slice = current.docs.slice(from, from + PER_PAGE);
    const per = (await meta()).cards_per_file;
    const cards = slice.map(async (d) => (await load(`cards/${Math.floor(d / per)}.json`))[d % per]);
    current.shown = from + slice.length;
    more.hidden = true;
    for (const [i, card] of cards.entries()) {
      const page = await card;
      if (mine !== run) return;
      const item = resultItem(page, current.marks);
      list.append(item);
      if (focusFirst && i === 0) item.querySelector('a').focus();
    }
    more.hidden = current.shown >= current.docs.length;
  };

  const search = async () => {
    const mine = ++run;
    const query = input.value.trim();
    const choice = chosen();
    const anyChoice = Object.values(choice).some((ids) => ids.length);
    let m;
    try {
      m = await meta();
    } catch (e) {
      status.textContent = 'Search is not available just now: its index could not be loaded. Try again later.';
      return;
    }
    const ranked = await rank(m, query);
    if (mine !== run) return;
    const all = ranked ? ranked.docs : Array.from({ length: m.records }, (_, d) => d);
    const docs = all.filter((d) => passes(m, choice, d, null));
    showCounts(m, all, choice);
    list.replaceChildren();
    current = { docs: ranked || anyChoice ? docs : [], marks: ranked ? ranked.marks : new Set(), shown: 0 };
    more.hidden = true;
    document.title = query ? `${quoted(query)}: ${titleSuffix}` : titleSuffix;
    if (!ranked && !anyChoice) {
      announce('');
      return;
    }
    const n = current.docs.length;
    const what = query ? ` for ${quoted(query)}` : '';
    if (n === 0) announce(`No results${what}. Check the spelling, try other words${anyChoice ? ' or remove a filter' : ''}.`);
    else announce(`${n} result${n === 1 ? '' : 's'}${what}`);
    await showMore(false);
  };

  const fromAddress = () => {
    const params = new URLSearchParams(window.location.search);
    input.value = params.get('q') || '';
    for (const g of groups) {
      const ids = params.getAll(g.key);
      for (const o of g.options) o.box.checked = ids.includes(o.id);
    }
  };
  const toAddress = (push) => {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set('q', input.value.trim());
    for (const [key, ids] of Object.entries(chosen())) ids.forEach((id) => params.append(key, id));
    const search = params.toString();
    const url = window.location.pathname + (search ? `?${search}` : '');
    if (url === window.location.pathname + window.location.search) return;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  };

  let typingTimer = 0;
  // While the visitor types, the word lists their words need are fetched at once, so the
  // search after the pause has one round trip less to wait for.
  const prefetch = () => meta().then((m) => {
    for (const w of words(input.value, m.stop)) {
      const key = w.codePointAt(0).toString(16);
      if (m.lists.has(key)) load(`words/${key}.json`).catch(() => {});
    }
  }).catch(() => {});
  input.addEventListener('input', () => {
    prefetch();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      toAddress(false);
      search();
    }, TYPING_DELAY_MS);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(typingTimer);
    toAddress(true);
    search();
  });
  for (const g of groups) {
    for (const o of g.options) {
      o.box.addEventListener('change', () => {
        toAddress(true);
        search();
      });
    }
  }
  more.addEventListener('click', () => showMore(true));
  window.addEventListener('popstate', () => {
    fromAddress();
    search();
  });

  fromAddress();
  if (input.value || Object.values(chosen()).some((ids) => ids.length)) search();
  else {
    // Nothing is fetched until the visitor means to search: then the filters show what the
    // whole site has, to browse by them without words.
    const browse = () => meta().then((m) => {
      if (!input.value.trim() && run === 0) showCounts(m, Array.from({ length: m.records }, (_, d) => d), chosen());
    }).catch(() => {});
    input.addEventListener('focus', browse, { once: true });
  }
})();

// Stave's live preview, added to every page `stave serve` sends (never to a built site):
// reloads the page when a rebuild changed it, keeping the scroll position, and shows the
// errors of the last rebuild over the page, which stays the last version that built.
(function () {
  'use strict';
  var key = 'stave-scroll:' + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved) || 0;
    window.scrollTo(0, y);
    // Images and fonts may still change the page's height: once more when all are in.
    window.addEventListener('load', function () { window.scrollTo(0, y); });
  }

  var events = new EventSource('/__stave/events?page=' + encodeURIComponent(location.pathname));
  events.onmessage = function (e) {
    if (e.data !== 'reload') return;
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  };

  fetch('/__stave/errors.json', { cache: 'no-store' })
    .then(function (r) { return r.json(); })
    .then(function (report) { if (report.errors && report.errors.length) show(report.errors); })
    .catch(function () {});

  function el(name, attrs, text) {
    var e = document.createElement(name);
    Object.keys(attrs).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    if (text) e.textContent = text;
    return e;
  }

  function show(errors) {
    var style = el('style', {});
    style.textContent =
      '#stave-problems{position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;' +
      'box-sizing:border-box;margin:0;padding:1rem 1.25rem;background:#fff;color:#1a1a1a;' +
      'border-top:.375rem solid #b00020;box-shadow:0 -.25rem 1rem rgba(0,0,0,.25);' +
      'font:1rem/1.45 system-ui,sans-serif;text-align:left;overflow-wrap:anywhere}' +
      '#stave-problems h2{margin:0 0 .5rem;font-size:1.15rem;color:#1a1a1a}' +
      '#stave-problems ol{margin:0 0 .75rem;padding-left:1.5rem}' +
      '#stave-problems li{margin:.35rem 0}' +
      '#stave-problems code{font-family:ui-monospace,monospace;font-weight:700;color:#8a0018;background:none}' +
      '#stave-problems button{font:inherit;padding:.4rem .9rem;border:2px solid #1a1a1a;border-radius:.25rem;' +
      'background:#fff;color:#1a1a1a;cursor:pointer;min-height:2.75rem}' +
      '#stave-problems button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}';
    var box = el('aside', { id: 'stave-problems', 'aria-labelledby': 'stave-problems-title' });
    var alert = el('div', { role: 'alert' });
    var n = errors.length;
    alert.appendChild(el('h2', { id: 'stave-problems-title' },
      'Stave found ' + n + (n === 1 ? ' problem' : ' problems') +
      ': this page is the last version that built. Fix ' + (n === 1 ? 'it' : 'them') + ' and save.'));
    box.appendChild(alert);
    var list = el('ol', {});
    errors.forEach(function (p) {
      var item = el('li', {});
      item.appendChild(el('code', {}, p.location));
      item.appendChild(document.createTextNode(' ' + p.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    var hide = el('button', { type: 'button' }, 'Hide these problems');
    hide.addEventListener('click', function () { box.hidden = true; });
    box.appendChild(hide);
    document.head.appendChild(style);
    document.body.appendChild(box);
  }
})();

#!/usr/bin/env python3
"""Title-edit-to-list latency of a live-preview server: start it, wait until LIST answers and
shows FILE's title, then N times give FILE a new unique title (its front matter's `title:`
line) and poll LIST (every 2 ms) until the new title is served there. Only the list page is
polled, never the item's own page: this measures how soon a change reaches the pages that
show the item, not the item's page itself (scripts/bench_serve.sh measures that with
shared/bench/serve_latency.py).

    title_latency.py --dir SITE --file content/cpd/x.md --url http://127.0.0.1:PORT/cpd/ [-n 10] -- CMD...

Each new title is the original one plus a unique word of fixed length ("... zqxtitle003x12345"),
so the item keeps its place among items sorted by title (a list page of many items sorted by
date and then title still shows it on the same page).

Prints 'startup: ...' as soon as the server answers, each latency, then
'title latency: median M ms, max X ms over N edits (startup S s; list page URL)'.
Exit 1 when the server never answered or a new title was not shown within --timeout seconds,
2 when the file has no title or the list page does not show it before any edit. FILE is
restored on every way out, including Ctrl-C and SIGTERM.
"""
import argparse, html, os, re, signal, statistics, subprocess, sys, time, urllib.request

TITLE_LINE = re.compile(r'^title:[ \t]*(.*?)[ \t]*$', re.M)


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001
        return None


def front_matter_title(text):
    """The span of the `title:` line's value inside the leading `---` front matter, and the
    title itself (without YAML quotes); None when there is none."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    if end < 0:
        return None
    m = TITLE_LINE.search(text, 4, end)
    if not m:
        return None
    value = m.group(1)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return m.span(1), value


def shows(body, title):
    """Whether a served page shows this title, as written or HTML-escaped."""
    return body is not None and (title in body or html.escape(title) in body or html.escape(title, quote=False) in body)


def rewrite(path, text):
    """Overwrite FILE in place without ever leaving it empty: write over the old bytes, then cut
    what is left beyond the new end (opening with "w" truncates first, and a watcher reading in
    between would see an empty page)."""
    with open(path, "r+", encoding="utf-8") as f:
        f.write(text)
        f.truncate()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--url", required=True, help="the list page that shows FILE's item")
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--startup", type=float, default=300, help="seconds to wait for the server")
    ap.add_argument("--timeout", type=float, default=20, help="seconds to wait for each new title")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    path = os.path.join(a.dir, a.file)
    with open(path, encoding="utf-8") as f:
        original = f.read()
    found = front_matter_title(original)
    if not found:
        print(f"title latency: {path} has no title: line in its front matter")
        return 2
    (start, end), old = found

    # SIGTERM and SIGHUP end the script through the finally below, as Ctrl-C does.
    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    p = None
    lat = []
    try:
        t0 = time.monotonic()
        # Its own session, so that it and its children can be ended as a group.
        p = subprocess.Popen(cmd, cwd=a.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        while (body := get(a.url)) is None:
            if time.monotonic() - t0 > a.startup or p.poll() is not None:
                print(f"title latency: server never answered {a.url}")
                return 1
            time.sleep(0.05)
        startup = time.monotonic() - t0
        print(f"startup: server answered {a.url} after {startup:.1f} s", flush=True)
        if not shows(body, old):
            print(f"title latency: the list page {a.url} does not show {a.file}'s title {old!r} before any edit; "
                  "choose an item that is on that page")
            return 2
        time.sleep(1.0)  # as serve_latency.py: let the server settle (its watcher start) first
        for i in range(a.n):
            new = f"{old} zqxtitle{i:03d}x{int(time.time() * 1000) % 100000:05d}"
            rewrite(path, original[:start] + f'"{new}"' + original[end:])
            t = time.monotonic()
            while True:
                body = get(a.url)
                if shows(body, new):
                    break
                if time.monotonic() - t > a.timeout:
                    print(f"edit {i}: new title not shown on {a.url} within {a.timeout:.0f} s")
                    print(f"title latency: timeout (startup {startup:.1f} s; list page {a.url})")
                    return 1
                time.sleep(0.002)
            lat.append((time.monotonic() - t) * 1000)
            print(f"edit {i}: {lat[-1]:.0f} ms", flush=True)
            time.sleep(0.7)
        print(f"title latency: median {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms over {len(lat)} edits "
              f"(startup {startup:.1f} s; list page {a.url})")
        return 0
    finally:
        # Restore first: it matters most and takes no time.
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        if p is not None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(timeout=10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Synthetic engagement records for benchmarks, in the format of docs/ENGAGEMENT.md.

    scripts/gen_records.py OUT_DIR [--schools 20000] [--activities 10] [--seed 1]
                           [--now 2026-11-22] [--site-yaml SITE/site.yaml]
    scripts/gen_records.py --site-yaml SITE/site.yaml      only declare the areas

Writes OUT_DIR/schools-<area>.yaml (one file per area, as the demo's content/engagement/) and
OUT_DIR/targets.yaml. Each school has a unique 6-digit URN, a name, a phase, an area, a type,
most an `smdp:` (about half published, with a url and a reviewed date), exactly --activities
activities, dated from 1 September three academic years before --now's up to the day before
--now (four academic years, the current one to date), and most a `private:` block (RAG rating
and contact). About a fifth of the schools go quiet before --now (their activities stop
earlier) and some never have a visit, so the staff report's lists are not empty. Independent
schools (left out of every figure) are a few per cent, and type `other` so rare that each
area's few are suppressed on the dashboard (with the groups that would give them away). The same arguments and seed write the
same bytes.

--site-yaml FILE declares the records' areas in a site's site.yaml (which must list them):
it appends an `areas:` list, or checks that an existing one has every area, and sets
`min_group_size: 5` in its `engagement:` block (added, or merged into one that is there), so
the benchmark's suppression does not follow a change of the default.

Python 3.11, standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys

AREAS = [
    ("north", "North (Ashbridge and Kelby)"),
    ("south", "South (Brackenford and Wyle)"),
    ("east", "East (Saltmarsh and Holme Bay)"),
    ("west", "West (Carrick Moor and Upper Dene)"),
    ("central", "Central (Northvale town)"),
    ("coast", "Coast (Fenmouth and Curlew Sands)"),
    ("uplands", "Uplands (Pellowby and the Dales)"),
    ("valley", "Valley (Tidewell and Rookham)"),
]

# Phase: share of schools, its name's ending, and its types with their weights.
PHASES = [
    ("early-years", 5, ["Nursery School", "Early Years Centre"],
     [("maintained", 75), ("academy", 15), ("independent", 10)]),
    ("primary", 60, ["Primary School", "Infant School", "Junior School", "Primary Academy", "CE Primary School"],
     [("maintained", 46), ("academy", 45), ("free-school", 4), ("independent", 5)]),
    ("secondary", 15, ["Academy", "High School", "School", "Community College"],
     [("academy", 70), ("maintained", 15), ("free-school", 8), ("independent", 7)]),
    ("post-16", 5, ["Sixth Form College", "Sixth Form Centre"],
     [("academy", 55), ("maintained", 25), ("free-school", 10), ("independent", 10)]),
    ("send", 8, ["Special School", "School", "Academy"],
     [("special", 80), ("academy", 15), ("independent", 5)]),
    ("alternative-provision", 7, ["Pupil Referral Unit", "Learning Centre", "Academy"],
     [("alternative-provision", 85), ("academy", 15)]),
]

# Activity kinds (docs/ENGAGEMENT.md's fixed list) with how often each is logged.
KINDS = [("visit", 14), ("meeting", 14), ("cpd", 22), ("first-access", 10), ("tuition", 10),
         ("ensemble", 10), ("instrument-hire", 6), ("project", 8), ("survey", 6)]

NOTES = [
    "Met the music lead", "Two staff attended", "Composing project with a partner orchestra",
    "New head teacher: follow up in the spring", "Discussed the SMDP summary", "Whole-class ukulele, Year 4",
    "Booked the spring concert", "Asked about instrument loans for Year 6", "Survey returned late",
    "Music lead on maternity leave until Easter", "Joined the county choir", "Agreed a visit next term",
]

PLACES = [
    "Ashbridge", "Kelby", "Brackenford", "Wyle", "Saltmarsh", "Holme Bay", "Carrick Moor", "Upper Dene",
    "Fenmouth", "Curlew Sands", "Pellowby", "Tidewell", "Rookham", "Marlstone", "Oakhurst", "Thornby",
    "Hallow End", "Greywater", "Linton Cross", "Eastfold", "Westmere", "Birchley", "Cold Ashton", "Dunmore",
    "Elmstead", "Farleigh", "Gorsey Bank", "Hartwell", "Ivybridge Green", "Juniper Hill", "Kingsmead",
    "Larkrise", "Millbrook", "Netherby", "Orchard Vale", "Pennington", "Quarry Bank", "Redhill", "Sandling",
    "Tanners Lane", "Underwood", "Vicarage Fields", "Wheatcroft", "Yarrow", "Abbotsford", "Beacon Hill",
]
FEATURES = ["", "", "", "St Mary's", "St John's", "Holy Trinity", "Park", "Meadow", "Church", "Riverside",
            "Hillside", "Green Lane", "Brook", "Castle", "Manor", "Forest", "Bridge", "Oak Tree", "Willow", "Moorland"]
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr"]
SURNAMES = ["Duckworth", "Whitlock", "Hussain", "Okafor", "Patel", "Nowak", "Evans", "Campbell", "O'Brien",
            "Fletcher", "Kaur", "Lindqvist", "Mensah", "Ramsden", "Sato", "Thorne", "Varga", "Yilmaz", "Achebe",
            "Brennan", "Chowdhury", "Dimitriou", "Ellison", "Forsyth", "Gallagher", "Hargreaves", "Iqbal"]
ROLES = ["music subject leader", "head teacher", "deputy head", "trust music lead", "SENCo",
         "school business manager", "curriculum lead for the arts"]


def academic_year_start(d):
    return dt.date(d.year if d.month >= 9 else d.year - 1, 9, 1)


def q(s):
    """A YAML double-quoted scalar (JSON's escaping is valid YAML for these strings)."""
    return json.dumps(s, ensure_ascii=False)


def pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def school(rng, urn, area, phase_row, first, last, activities):
    phase, _, endings, types = phase_row
    feature = rng.choice(FEATURES)
    name = " ".join(x for x in (rng.choice(PLACES), feature, rng.choice(endings)) if x)
    # `other` is rare (about 4 schools an area at 20,000 schools), so that each area's group of
    # them is too small to publish and the dashboard's suppression has work to do.
    kind_of_school = "other" if rng.random() < 0.0015 else pick(rng, types)
    span = (last - first).days
    # Going quiet: about a fifth of schools stop somewhere in the range, the rest run to the end.
    end = first + dt.timedelta(days=rng.randint(span // 4, span * 4 // 5)) if rng.random() < 0.2 else last
    never_visited = rng.random() < 0.08
    kinds = [k for k in KINDS if not (never_visited and k[0] == "visit")]
    days = sorted(rng.randint(0, (end - first).days) for _ in range(activities))
    lines = [
        f"- urn: {urn}",
        f"  name: {q(name)}",
        f"  phase: {phase}",
        f"  area: {area}",
        f"  type: {kind_of_school}",
    ]
    r = rng.random()
    if r < 0.55:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        reviewed = last - dt.timedelta(days=rng.randint(0, 700))
        lines += ["  smdp:", "    published: true", f"    url: {q(f'https://www.{slug}.example/music/')}",
                  f"    reviewed: {reviewed.isoformat()}"]
    elif r < 0.60:
        lines.append("  smdp: {published: true}")
    elif r < 0.90:
        lines.append("  smdp: {published: false}")
    if days:
        lines.append("  activity:")
        for d in days:
            date = (first + dt.timedelta(days=d)).isoformat()
            kind = pick(rng, kinds)
            if rng.random() < 0.15:
                lines.append(f"    - {{date: {date}, kind: {kind}, note: {q(rng.choice(NOTES))}}}")
            else:
                lines.append(f"    - {{date: {date}, kind: {kind}}}")
    if rng.random() < 0.9:
        rag = pick(rng, [("red", 15), ("amber", 35), ("green", 50)])
        contact = f"{rng.choice(TITLES)} {chr(65 + rng.randrange(26))}. {rng.choice(SURNAMES)} ({rng.choice(ROLES)})"
        lines += ["  private:", f"    rag: {rag}", f"    contact: {q(contact)}"]
        if rng.random() < 0.1:
            lines.append(f"    phone: \"01632 {rng.randint(960000, 960999)}\"")
    return "\n".join(lines) + "\n"


TARGETS = """\
# Synthetic engagement targets by phase (scripts/gen_records.py). No targets for early years
# or post-16, as in the demo.

- phase: primary
  target: 97
  by: 2028-07-31
  baseline: {value: 91, date: 2025-07-31}

- phase: secondary
  target: 94
  by: 2028-07-31
  baseline: {value: 84, date: 2025-07-31}

- phase: send
  target: 88
  by: 2028-07-31
  baseline: {value: 76, date: 2025-07-31}

- phase: alternative-provision
  target: 88
  by: 2028-07-31
  baseline: {value: 76, date: 2025-07-31}
"""


def write_records(out, n, activities, seed, now):
    rng = random.Random(seed)
    first = dt.date(academic_year_start(now).year - 3, 9, 1)
    last = now - dt.timedelta(days=1)
    if n > 900000:
        sys.exit("gen_records.py: at most 900,000 schools (6-digit URNs)")
    urns = rng.sample(range(100000, 1000000), n)
    by_area = {a: [] for a, _ in AREAS}
    weights = [w for _, w, _, _ in PHASES]
    for urn in urns:
        area = rng.choice(AREAS)[0]
        phase_row = rng.choices(PHASES, weights)[0]
        by_area[area].append((PHASES.index(phase_row), school(rng, urn, area, phase_row, first, last, activities)))
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith((".yaml", ".yml")):
            os.remove(os.path.join(out, name))
    for area, label in AREAS:
        rows = sorted(by_area[area], key=lambda r: r[0])  # by phase, as the demo's files are
        with open(os.path.join(out, f"schools-{area}.yaml"), "w", encoding="utf-8") as f:
            f.write(f"# Synthetic engagement records for the {label} area (scripts/gen_records.py, seed {seed}).\n"
                    f"# {len(rows)} schools, {activities} activities each, dated {first} to {last}.\n\n")
            phase = None
            for p, text in rows:
                if p != phase:
                    phase = p
                    f.write(f"\n# ---- {PHASES[p][0]} ----\n\n")
                f.write(text)
                f.write("\n")
    with open(os.path.join(out, "targets.yaml"), "w", encoding="utf-8") as f:
        f.write(TARGETS)


TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:(.*)$")


def declare_areas(path):
    """Adds the areas and `engagement: min_group_size: 5` to the site.yaml at `path`."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    keys = {}
    for i, line in enumerate(lines):
        m = TOP_KEY.match(line)
        if m:
            keys[m.group(1)] = i

    def block(key):
        """The lines of a top-level key's block: from its line to the next top-level line."""
        start = keys[key]
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
            end += 1
        return start, end

    if "areas" in keys:
        start, end = block("areas")
        text = "\n".join(lines[start:end])
        missing = [a for a, _ in AREAS if not re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", text)]
        if missing:
            sys.exit(f"gen_records.py: {path} lists areas without {', '.join(missing)}: add them by hand")
    else:
        lines += ["", "# Added by scripts/gen_records.py: the areas of the synthetic engagement records.", "areas:"]
        lines += [f"  - {{id: {a}, label: {q(label)}}}" for a, label in AREAS]
    keys = {m.group(1): i for i, line in enumerate(lines) if (m := TOP_KEY.match(line))}
    if "engagement" not in keys:
        lines += ["engagement:", "  min_group_size: 5   # the default, stated so the benchmark keeps it"]
    else:
        start, end = block("engagement")
        rest = TOP_KEY.match(lines[start]).group(2).strip()
        if rest.startswith("{"):
            if "min_group_size" not in rest:
                inner = rest[1:].rstrip("}").strip()
                lines[start] = "engagement: {" + (inner + ", " if inner else "") + "min_group_size: 5}"
        elif rest and not rest.startswith("#"):
            sys.exit(f"gen_records.py: cannot read {path}'s `engagement: {rest}`: merge it by hand")
        elif not any(re.match(r"^\s+min_group_size\s*:", l) for l in lines[start + 1:end]):
            indent = next((re.match(r"^(\s+)", l).group(1) for l in lines[start + 1:end]
                           if l.strip() and not l.lstrip().startswith("#")), "  ")
            lines.insert(start + 1, f"{indent}min_group_size: 5")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", nargs="?", help="the records folder to write (its .yaml files are replaced); may be left out with --site-yaml")
    p.add_argument("--schools", type=int, default=20000)
    p.add_argument("--activities", type=int, default=10, help="activities per school")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--now", type=dt.date.fromisoformat, default=dt.date(2026, 11, 22),
                   help="every activity is dated before this day (default 2026-11-22, as scripts/bench.sh builds)")
    p.add_argument("--site-yaml", help="also declare the records' areas in this site.yaml")
    args = p.parse_args()
    if args.schools < 1 or args.activities < 0:
        p.error("--schools must be at least 1 and --activities at least 0")
    if not args.out and not args.site_yaml:
        p.error("name OUT_DIR, --site-yaml or both")
    if args.out:
        write_records(args.out, args.schools, args.activities, args.seed, args.now)
    if args.site_yaml:
        declare_areas(args.site_yaml)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Synthetic engagement records for benchmarks, in the format of docs/ENGAGEMENT.md.

    scripts/gen_records.py OUT_DIR [--schools 20000] [--activities 10] [--seed 1]
                           [--now 2026-11-22] [--families] [--site-yaml SITE/site.yaml]
                           [--map SITE/boundaries.geojson]
    scripts/gen_records.py --site-yaml SITE/site.yaml      only declare the areas
    scripts/gen_records.py --site-yaml SITE/site.yaml --map SITE/boundaries.geojson
                                                           the areas with their codes, and the map

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

--families also gives each school the fields `stave import gias` fills: `trust:` ({id, name,
kind}) for most academies and free schools, from a pool of invented multi-academy trusts of
varied sizes (a few large, many with fewer schools than `min_group_size`, which the dashboard
pools as "Other trusts"; most trusts work in one area) or a single-academy trust of its own,
and `kind: federation` for a few maintained and special schools, in federations of two to
four schools of one area; `pupils:` (by phase) and `fsm:` (a percentage with one decimal,
skewed as real schools' are, mostly 5 to 40, higher in special schools and alternative
provision, and leaning by area; a few schools have neither, and independent schools no
`fsm:`); and `location: {easting, northing}` inside its area's cell of the map (below), most
near one of the area's three towns. These are drawn from a random generator of their own,
seeded from --seed, so every other field, and the output without --families, is as before.

--map FILE writes the areas' boundaries as GeoJSON in British National Grid metres (the `crs`
member of an ONS download, EPSG:27700; properties `LAD24CD` and `LAD24NM`, codes E06000981
to E06000988 in the order of AREAS): a 4-by-2 grid of 10 km cells, easting 400000 to 440000
and northing 560000 to 580000 (the first four areas the northern row, west to east), whose
edges wander gently up to 450 m from the straight line (a point every 20 m; both sides of a
shared edge have the same points; seeded by --seed). Locations keep 600 m inside their
straight cell, so they fall inside the drawn area.

--site-yaml FILE declares the records' areas in a site's site.yaml (which must list them):
it appends an `areas:` list, or checks that an existing one has every area, and sets
`min_group_size: 5` in its `engagement:` block (added, or merged into one that is there), so
the benchmark's suppression does not follow a change of the default. With --map (a file
inside the site's folder) the areas get their `code:` and the `engagement:` block
`map: {file: FILE relative to the site's folder, match: LAD24CD}`.

Python 3.11, standard library only.
"""

import argparse
import datetime as dt
import json
import math
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


def school(rng, urn, area, phase_row, first, last, activities, families=None):
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
    if families:
        lines += families.fields(name, area, phase, kind_of_school)
    return "\n".join(lines) + "\n"


# The map: the areas on a grid of square cells of the British National Grid (metres), the
# first COLUMNS areas the northern row, west to east.
GRID_WEST, GRID_SOUTH, CELL, COLUMNS, ROWS = 400000, 560000, 10000, 4, 2
WANDER = 450  # the most an edge strays from its cell's straight side
STEP = 20  # metres between an edge's points
MARGIN = 600  # how far inside its straight cell a location keeps, so inside the drawn area
CODES = {a: f"E06000{981 + i}" for i, (a, _) in enumerate(AREAS)}
CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def cell(area):
    """The south-west corner of an area's cell."""
    i = [a for a, _ in AREAS].index(area)
    return GRID_WEST + (i % COLUMNS) * CELL, GRID_SOUTH + (ROWS - 1 - i // COLUMNS) * CELL


def wander(rng, n):
    """n + 1 offsets along an edge: 0 at both ends, and within WANDER * sin(pi t) of the line,
    so edges that meet at a corner stay in cones about their own sides and never cross."""
    amps = [rng.uniform(0.3, 1.0) for _ in range(3)]
    waves = [(a * 0.85 / sum(amps), rng.uniform(0.5, 4.5), rng.uniform(0, 2 * math.pi)) for a in amps]
    out, noise = [], 0.0
    for k in range(n + 1):
        t = k / n
        noise = max(-0.15, min(0.15, noise * 0.97 + rng.gauss(0, 0.02)))
        wave = sum(a * math.sin(2 * math.pi * f * t + ph) for a, f, ph in waves)
        out.append(WANDER * math.sin(math.pi * t) * (wave + noise))
    return out


def write_map(path, seed):
    """The areas' boundaries as GeoJSON in British National Grid metres (see the docstring)."""
    rng = random.Random(f"gen_records map {seed}")
    n = CELL // STEP
    # Each edge once, from its west or south end: along[(r, c)] the south side of row r's cell
    # c (r counted from the south; r = ROWS the north edge), up[(r, c)] the west side.
    along, up = {}, {}
    for r in range(ROWS + 1):
        for c in range(COLUMNS):
            x0, y = GRID_WEST + c * CELL, GRID_SOUTH + r * CELL
            along[r, c] = [(round(x0 + k * STEP, 1), round(y + o, 1)) for k, o in enumerate(wander(rng, n))]
    for c in range(COLUMNS + 1):
        for r in range(ROWS):
            x, y0 = GRID_WEST + c * CELL, GRID_SOUTH + r * CELL
            up[r, c] = [(round(x + o, 1), round(y0 + k * STEP, 1)) for k, o in enumerate(wander(rng, n))]
    features = []
    for i, (area, label) in enumerate(AREAS):
        r, c = ROWS - 1 - i // COLUMNS, i % COLUMNS
        # Anticlockwise (RFC 7946): south side eastwards, east side north, north west, west south.
        ring = along[r, c] + up[r, c + 1][1:] + along[r + 1, c][::-1][1:] + up[r, c][::-1][1:]
        assert ring[0] == ring[-1]
        coords = ",".join(f"[{x},{y}]" for x, y in ring)
        props = json.dumps({"LAD24CD": CODES[area], "LAD24NM": label}, ensure_ascii=False)
        features.append(f'{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}')
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","name":"gen_records_areas","crs":' + json.dumps(CRS, separators=(",", ":"))
                + ',"features":[\n' + ",\n".join(features) + "\n]}\n")


# Families: pupils on roll by phase (median, spread of the logarithm, least, most) and the
# share eligible for free school meals (the shape and scale of a gamma distribution, whose
# scale each area's lean multiplies).
PUPILS = {"early-years": (80, 0.35, 20, 250), "primary": (260, 0.45, 25, 900), "secondary": (1000, 0.35, 250, 2400),
          "post-16": (700, 0.6, 80, 3500), "send": (110, 0.45, 15, 400), "alternative-provision": (45, 0.6, 5, 200)}
FSM = {"early-years": (2.6, 6.5), "primary": (2.6, 7.5), "secondary": (2.8, 7.0), "post-16": (2.6, 6.0),
       "send": (4.5, 7.5), "alternative-provision": (5.0, 8.5)}
TRUST_NOUNS = ["Learning Trust", "Academy Trust", "Education Trust", "Learning Partnership", "Schools Trust",
               "Multi-Academy Trust", "Academies", "Learning Alliance", "Community Schools Trust", "Education Partnership"]
TRUST_NAMES = ["Three Rivers", "Northern Lights", "Heartwood", "Skylark", "Compass", "Keystone", "Lighthouse",
               "Evergreen", "Horizon", "Pathfinder", "Kingfisher", "Beacon", "Harmony", "Unity", "Summit", "Greenway",
               "Endeavour", "Meridian", "Oak Leaf", "Whitethorn", "Cathedral Schools", "St Aidan's Catholic",
               "St Cuthbert's Catholic", "Diocese of Northvale", "Coast and Vale", "Dales and Moor"]


class Families:
    """Trusts, federations, pupils, free school meals and locations, drawn from `rng` alone."""

    def __init__(self, rng, schools):
        self.rng = rng
        self.ids, self.names = set(), set()
        areas = [a for a, _ in AREAS]
        # About 0.4 of schools are in a multi-academy trust: some 8 each on average, as in
        # England, but a few large and most small (a Pareto tail).
        mats = []
        for _ in range(max(6, round(schools / 20))):
            home = None if rng.random() < 0.1 else rng.choice(areas)  # None: works across the hub
            weight = min(25.0, rng.paretovariate(1.1)) * (0.4 if home is None else 1.0)
            mats.append((self.trust(self.mat_name(), "multi-academy"), home, weight))
        self.mats = {}
        for area in areas:
            pool = [(t, w) for t, home, w in mats if home in (area, None)] or [(t, w) for t, _, w in mats]
            self.mats[area] = ([t for t, _ in pool], [w for _, w in pool])
        self.all_mats = ([t for t, _, _ in mats], [w for _, _, w in mats])
        self.federations = {a: [] for a in areas}  # per area, [trust, places left]
        self.towns = {a: [self.inside(a, 1500) for _ in range(3)] for a in areas}
        self.lean = {a: rng.uniform(0.75, 1.35) for a in areas}

    def unique_id(self):
        while True:
            i = str(self.rng.randint(10000, 29999))
            if i not in self.ids:
                self.ids.add(i)
                return i

    def trust(self, name, kind):
        return (self.unique_id(), name, kind)

    def unique_name(self, make):
        for _ in range(20):
            name = make()
            if name not in self.names:
                break
        n = 2
        while name in self.names:
            name, n = f"{name.rsplit(' (', 1)[0]} ({n})", n + 1
        self.names.add(name)
        return name

    def mat_name(self):
        rng = self.rng
        return self.unique_name(lambda: f"{rng.choice(PLACES)} {rng.choice(TRUST_NOUNS)}" if rng.random() < 0.6
                                else f"{rng.choice(['', 'The '])}{rng.choice(TRUST_NAMES)} {rng.choice(TRUST_NOUNS)}")

    def inside(self, area, margin):
        west, south = cell(area)
        return (self.rng.randint(west + margin, west + CELL - margin), self.rng.randint(south + margin, south + CELL - margin))

    def school_trust(self, name, area, phase, kind):
        rng = self.rng
        if kind in ("academy", "free-school"):
            if rng.random() >= (0.93 if kind == "academy" else 0.97):
                return None
            single = 0.25 if phase in ("secondary", "post-16") else 0.1
            if kind == "free-school":
                single = 0.08
            if rng.random() < single:
                trust_name = f"{name} Trust" if name.endswith("Academy") else f"{name} Academy Trust"
                return self.trust(self.unique_name(lambda: trust_name), "single-academy")
            pool = self.mats[area] if rng.random() < 0.8 else self.all_mats
            return rng.choices(pool[0], pool[1])[0]
        if kind in ("maintained", "special") and rng.random() < (0.08 if kind == "maintained" else 0.05):
            open_ = self.federations[area]
            if open_ and rng.random() < 0.85:
                fed = rng.choice(open_)
                fed[1] -= 1
                if fed[1] == 0:
                    open_.remove(fed)
                return fed[0]
            t = self.trust(self.unique_name(lambda: f"The {rng.choice(PLACES)} Federation" if rng.random() < 0.5
                                            else f"{rng.choice(PLACES)} and {rng.choice(PLACES)} Federation"), "federation")
            open_.append([t, rng.randint(1, 3)])
            return t
        return None

    def fields(self, name, area, phase, kind):
        """The record's lines for its trust, pupils, free school meals and location."""
        rng = self.rng
        lines = []
        t = self.school_trust(name, area, phase, kind)
        if t:
            lines += ["  trust:", f"    id: {q(t[0])}", f"    name: {q(t[1])}", f"    kind: {t[2]}"]
        if rng.random() >= 0.015:
            median, spread, least, most = PUPILS[phase]
            lines.append(f"  pupils: {max(least, min(most, round(rng.lognormvariate(math.log(median), spread))))}")
        if kind != "independent" and rng.random() >= 0.02:
            shape, scale = FSM[phase]
            fsm = rng.gammavariate(shape, scale * self.lean[area])
            while fsm > 95:
                fsm = rng.gammavariate(shape, scale * self.lean[area])
            lines.append(f"  fsm: {fsm:.1f}")
        west, south = cell(area)
        lo_x, hi_x, lo_y, hi_y = west + MARGIN, west + CELL - MARGIN, south + MARGIN, south + CELL - MARGIN
        x, y = self.inside(area, MARGIN)
        if rng.random() < 0.7:  # most near a town
            tx, ty = rng.choice(self.towns[area])
            for _ in range(10):
                px, py = round(rng.gauss(tx, 900)), round(rng.gauss(ty, 900))
                if lo_x <= px <= hi_x and lo_y <= py <= hi_y:
                    x, y = px, py
                    break
        lines.append(f"  location: {{easting: {x}, northing: {y}}}")
        return lines


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


def write_records(out, n, activities, seed, now, families=False):
    rng = random.Random(seed)
    # The families' generator of their own, so that every other field is drawn as without them.
    fam = Families(random.Random(f"gen_records families {seed}"), n) if families else None
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
        by_area[area].append((PHASES.index(phase_row), school(rng, urn, area, phase_row, first, last, activities, fam)))
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        if name.endswith((".yaml", ".yml")):
            os.remove(os.path.join(out, name))
    for area, label in AREAS:
        rows = sorted(by_area[area], key=lambda r: r[0])  # by phase, as the demo's files are
        with open(os.path.join(out, f"schools-{area}.yaml"), "w", encoding="utf-8") as f:
            f.write(f"# Synthetic engagement records for the {label} area (scripts/gen_records.py, seed {seed}).\n"
                    f"# {len(rows)} schools, {activities} activities each, dated {first} to {last}.\n"
                    + ("# With trusts, pupils, free school meals and locations (--families).\n" if families else "")
                    + "\n")
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


def declare_areas(path, map_file=None):
    """Adds the areas and `engagement: min_group_size: 5` to the site.yaml at `path`; with
    `map_file` (relative to the site's folder), the areas' codes and `engagement: map:`."""
    map_line = None
    if map_file:
        shown = map_file if re.fullmatch(r"[\w./-]+", map_file) else q(map_file)
        map_line = f"map: {{file: {shown}, match: LAD24CD}}"
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
        if map_line:
            for a, _ in AREAS:
                # An area written `- {id: north, ...}` on one line gets its code; any other, by hand.
                at = [i for i in range(start + 1, end) if re.search(rf"\bid:\s*{re.escape(a)}\s*[,}}]", lines[i])]
                if len(at) != 1 or not lines[at[0]].rstrip().endswith("}"):
                    sys.exit(f"gen_records.py: cannot give area {a} in {path} its `code: {CODES[a]}`: add it by hand")
                line = lines[at[0]].rstrip()
                if m := re.search(r"\bcode:\s*([\w\"']+)", line):
                    if m.group(1).strip("\"'") != CODES[a]:
                        sys.exit(f"gen_records.py: area {a} in {path} has another code than the map's {CODES[a]}")
                else:
                    lines[at[0]] = line[:-1].rstrip() + f", code: {CODES[a]}}}"
    else:
        lines += ["", "# Added by scripts/gen_records.py: the areas of the synthetic engagement records.", "areas:"]
        code = (lambda a: f", code: {CODES[a]}") if map_line else (lambda a: "")
        lines += [f"  - {{id: {a}, label: {q(label)}{code(a)}}}" for a, label in AREAS]
    keys = {m.group(1): i for i, line in enumerate(lines) if (m := TOP_KEY.match(line))}
    if "engagement" not in keys:
        lines += ["engagement:", "  min_group_size: 5   # the default, stated so the benchmark keeps it"]
        if map_line:
            lines.append(f"  {map_line}")
    else:
        start, end = block("engagement")
        rest = TOP_KEY.match(lines[start]).group(2).strip()
        if rest.startswith("{"):
            inner = rest[1:].rstrip("}").strip()
            if "min_group_size" not in rest:
                inner = (inner + ", " if inner else "") + "min_group_size: 5"
            if map_line and not re.search(r"\bmap\s*:", inner):
                inner += ", " + map_line
            lines[start] = "engagement: {" + inner + "}"
        elif rest and not rest.startswith("#"):
            sys.exit(f"gen_records.py: cannot read {path}'s `engagement: {rest}`: merge it by hand")
        else:
            indent = next((re.match(r"^(\s+)", l).group(1) for l in lines[start + 1:end]
                           if l.strip() and not l.lstrip().startswith("#")), "  ")
            had = [l.strip() for l in lines[start + 1:end] if re.match(r"^\s+map\s*:", l)]
            if map_line and had and had != [map_line]:
                sys.exit(f"gen_records.py: {path}'s `engagement:` has another `map:`: merge it by hand")
            if map_line and not had:
                lines.insert(start + 1, f"{indent}{map_line}")
            if not any(re.match(r"^\s+min_group_size\s*:", l) for l in lines[start + 1:end]):
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
    p.add_argument("--families", action="store_true",
                   help="also give each school trust:, pupils:, fsm: and location: (drawn apart: other fields stay as without)")
    p.add_argument("--site-yaml", help="also declare the records' areas in this site.yaml")
    p.add_argument("--map", metavar="FILE",
                   help="write the areas' boundaries (GeoJSON, British National Grid); with --site-yaml, also declare it "
                        "and the areas' codes (FILE must then be inside the site's folder)")
    args = p.parse_args()
    if args.schools < 1 or args.activities < 0:
        p.error("--schools must be at least 1 and --activities at least 0")
    if not args.out and not args.site_yaml and not args.map:
        p.error("name OUT_DIR, --site-yaml, --map or several")
    map_file = None
    if args.map and args.site_yaml:
        site = os.path.dirname(os.path.abspath(args.site_yaml))
        map_file = os.path.relpath(os.path.abspath(args.map), site)
        if map_file == os.curdir or map_file.split(os.sep)[0] == os.pardir:
            p.error(f"--map {args.map} must be inside the site's folder {site}")
        map_file = map_file.replace(os.sep, "/")
    if args.out:
        write_records(args.out, args.schools, args.activities, args.seed, args.now, args.families)
    if args.map:
        write_map(args.map, args.seed)
    if args.site_yaml:
        declare_areas(args.site_yaml, map_file)


if __name__ == "__main__":
    main()

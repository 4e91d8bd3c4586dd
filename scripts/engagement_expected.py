#!/usr/bin/env python3
"""Independent reference implementation of the engagement figures in docs/ENGAGEMENT.md.

Usage:
    scripts/engagement_expected.py SITE_DIR [--now YYYY-MM-DD] > SITE_DIR/expected.json

Reads SITE_DIR/site.yaml and SITE_DIR/content/engagement/*.yaml|*.yml straight from the raw
YAML (with PyYAML) and prints the JSON that the builder should publish at
/engagement/engagement.json. It shares no code with the Rust builder on purpose: the test
suite compares the two, so a mistake has to be made twice to go unnoticed.

Arithmetic is exact (fractions.Fraction); every percentage is rounded to one decimal place,
half away from zero, once, from its exact value, just before output (the gap is the
difference of two such published figures, see 4).

Where docs/ENGAGEMENT.md leaves room for more than one reading, this script chooses:

 1. Vocabularies. Phases, areas and school types come from site.yaml in its order; when
    site.yaml has no list the built-in defaults are used: the school types listed in
    ENGAGEMENT.md, and for phases the built-in list of src/config/vocab.rs (early-years
    "Early years", primary "Primary", secondary "Secondary", post-16 "Post-16", send "SEND",
    alternative-provision "Alternative provision"). An entry without a label is labelled by
    turning hyphens into spaces and capitalising the first letter (as the builder does).
 2. Years reported: the current year, plus every earlier academic year holding at least one
    activity of a *counted* school (an independent school's activity alone does not add a
    year: independent schools are left out of every figure).
 3. Gap in past years: every year's groups carry a gap = target - that year's percent
    (for the current year that is exactly the documented gap, year to date). Cold spots use
    the current year only.
 4. Gap is the difference of the *published* figures: round(target) - round(percent),
    both rounded to one decimal place first (so the difference is exact and a reader's
    check of target - percent = gap always holds). Example: target 1965/21 = 93.571... is
    published as 93.6, percent 17/24 = 70.833... as 70.8, gap 22.8 (not round(22.738) = 22.7).
 5. Group fields. Every group of a year has the same keys whatever it holds:
      all, area, type, trust, fsm_band:
                        dimension, id, label, schools, engaged, percent, target, gap, suppressed
      phase:            dimension, id, label, schools, engaged, percent, target, target_by,
                        baseline, baseline_date, gap, suppressed
    A group without a target (or a phase target without a baseline) has null in those keys.
 6. Suppressed groups publish only dimension, id, label and "suppressed": true; every other
    key is present and null, including target, target_by, baseline, baseline_date and gap
    (the target of an area, type, trust group or band is derived from its schools' phases,
    so it is school data).
 6a. Only small groups are suppressed here (primary suppression). The groups the builder
    hides as well, so that a small one cannot be worked out by subtraction (complementary
    suppression), and each area page's figures ("areas" in the JSON) are not computed: the
    test hides the same groups in this output before comparing, and
    tests/engagement_privacy.rs attacks the builder's choice as an outsider would.
 7. Quarters and uptake are whole-hub figures (the "all" group). They carry no
    "suppressed" key; if the whole hub itself were below min_group_size their counts and
    percentages would be null.
 8. Uptake lists all nine kinds in the fixed order, with zeros for kinds unused that year.
    Only activities of counted schools are counted. Labels: visit "Visits", meeting
    "Meetings", cpd "CPD", first-access "First Access (whole-class teaching)", tuition "Tuition",
    ensemble "Ensembles", instrument-hire "Instrument hire", project "Projects",
    survey "Surveys".
 9. Cold spots: one list holding areas, school types and trust groups together (all four
    kinds of trust group: named families, other-trusts, single-academy-trusts and no-trust;
    bands of free school meals are not cold spots), taken from the current
    year's groups that are not suppressed and have a target, whose published gap is
    greater than 0.0, ordered by that gap, largest first, then by label (plain code-point
    order). Keys: dimension, id, label, percent, target, gap.
10. Visit cycle: from = (now minus 3 calendar years) + 1 day, to = now; when now is 29
    February the date three years before is 28 February.
11. "now": --now, else SOURCE_DATE_EPOCH read as a date in the site's time zone (default
    Europe/London), else today's date in that zone.
12. Percentages are JSON numbers with one decimal place (97 is written 97.0). The output is
    indented by two spaces, keys in the order of ENGAGEMENT.md's example.
13. Trust groups (dimension `trust`) follow the types, and exist only when some counted
    school has a `trust`. A family is keyed by its `id` (a number written for an id is read
    as its digits). Each counted school's own record decides its `kind`: a school of a
    family below min_group_size goes to single-academy-trusts when its record says
    `kind: single-academy`, else to other-trusts (a missing kind included). A family with
    min_group_size or more counted schools is a group of its own whatever its kind, so the
    size test comes first. Named families are ordered by label (code points), then id.
    Independent schools are ignored throughout: they neither add to a family's size nor
    give its label.
14. Bands of free school meals (dimension `fsm_band`) follow the trust groups, and exist
    only when some counted school has `fsm`; `fsm-unknown` comes last. Fixed bands
    (`engagement: fsm_bands`) have ids and labels with the cut points as written in
    site.yaml, without a trailing ".0" (10, 10.0 -> "10"; 12.5 -> "12.5"), e.g. "Over 10%
    up to 12.5%" (`10-12.5`); only the fifths' labels write their cut points with one
    decimal, rounded half away from zero ("Middle fifth: over 12.5% up to 20.0%"). Cut
    points of fixed bands may be 0 or 100 and must rise strictly; an empty list is an
    error. Comparisons with cut points are exact (the YAML numbers read as decimals).
15. `pupils` and `location` are checked (a whole number of pupils, 0 or more; easting and
    northing whole metres within the British National Grid, 0-700000 and 0-1300000) and
    then play no part in any figure.

The input is validated as ENGAGEMENT.md says (unknown keys, vocabulary ids, duplicate URNs,
dates after now, target range and duplicates, missing required fields); any problem is
printed to stderr and the script exits with status 1.
"""

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("PyYAML is needed: pip install pyyaml")

DEFAULT_PHASES = [
    ("early-years", "Early years"),
    ("primary", "Primary"),
    ("secondary", "Secondary"),
    ("post-16", "Post-16"),
    ("send", "SEND"),
    ("alternative-provision", "Alternative provision"),
]
DEFAULT_TYPES = [
    ("maintained", "Maintained school"),
    ("academy", "Academy"),
    ("free-school", "Free school"),
    ("special", "Special school"),
    ("alternative-provision", "Alternative provision"),
    ("independent", "Independent school"),
    ("other", "Other"),
]
KINDS = [
    ("visit", "Visits"),
    ("meeting", "Meetings"),
    ("cpd", "CPD"),
    ("first-access", "First Access (whole-class teaching)"),
    ("tuition", "Tuition"),
    ("ensemble", "Ensembles"),
    ("instrument-hire", "Instrument hire"),
    ("project", "Projects"),
    ("survey", "Surveys"),
]
KIND_IDS = [k for k, _ in KINDS]

SCHOOL_KEYS = {
    "urn", "name", "phase", "area", "type", "smdp", "activity", "private",
    "trust", "pupils", "fsm", "location",
}
SCHOOL_REQUIRED = ["urn", "name", "phase", "area", "type"]
SMDP_KEYS = {"published", "url", "reviewed"}
ACTIVITY_KEYS = {"date", "kind", "note"}
TARGET_KEYS = {"phase", "target", "by", "baseline"}
BASELINE_KEYS = {"value", "date"}
TRUST_KEYS = {"id", "name", "kind"}
TRUST_KINDS = ["multi-academy", "single-academy", "foundation", "federation"]
LOCATION_KEYS = {"easting": 700000, "northing": 1300000}  # key: largest value in metres

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


# ---------------------------------------------------------------- helpers


def humanise(ident):
    s = ident.replace("-", " ")
    return s[:1].upper() + s[1:]


def vocabulary(raw, default):
    if raw is None:
        return list(default)
    out = []
    for entry in raw:
        if isinstance(entry, dict):
            ident = str(entry["id"])
            out.append((ident, entry.get("label") or humanise(ident)))
        else:
            out.append((str(entry), humanise(str(entry))))
    return out


def as_date(value, where):
    """A date from PyYAML (already a date) or a YYYY-MM-DD string."""
    if isinstance(value, dt.datetime):
        err(where, f"'{value}' is not a plain date (YYYY-MM-DD)")
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    err(where, f"malformed date '{value}' (use YYYY-MM-DD)")
    return None


def as_fraction(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        err(where, f"'{value}' is not a number")
        return None
    return Fraction(str(value))  # 96.5 -> 193/2 exactly, not the binary float


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def written(value):
    """A YAML number as site.yaml writes it, without a trailing ".0": 10.0 -> "10"."""
    if isinstance(value, int):
        return str(value)
    s = format(Decimal(repr(value)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def one_decimal(frac):
    return f"{round1(frac):.1f}"


def round1(frac):
    """One decimal place, half away from zero, from an exact Fraction."""
    if frac is None:
        return None
    tenths = abs(frac) * 10
    n = int(tenths + Fraction(1, 2))  # floor(x + 1/2) for x >= 0
    if n == 0:
        return 0.0
    d = Decimal(n) / Decimal(10)
    return float(-d if frac < 0 else d)


def gap_of(target, percent):
    if target is None:
        return None
    d = Decimal(str(target)) - Decimal(str(percent))
    return 0.0 if d == 0 else float(d)


def pct(part, whole):
    return Fraction(part * 100, whole)


def academic_year_start(d):
    return d.year if d.month >= 9 else d.year - 1


def year_label(start):
    return f"{start}-{(start + 1) % 100:02d}"


def end_of_february(year):
    return dt.date(year, 3, 1) - dt.timedelta(days=1)


def three_years_before(d):
    try:
        return d.replace(year=d.year - 3)
    except ValueError:  # 29 February
        return dt.date(d.year - 3, 2, 28)


# ---------------------------------------------------------------- loading


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def resolve_now(arg, site):
    if arg:
        return dt.date.fromisoformat(arg)
    tzname = site.get("timezone") or "Europe/London"
    try:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(tzname)
    except Exception:  # pragma: no cover
        tz = dt.timezone.utc
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz).date()
    return dt.datetime.now(tz).date()


def load_schools(eng_dir, phases, areas, types, now):
    schools = []
    seen = {}
    files = sorted(
        p for p in eng_dir.iterdir()
        if p.is_file() and p.suffix in (".yaml", ".yml") and p.name != "targets.yaml"
    )
    for path in files:
        data = load_yaml(path)
        if data is None:
            continue
        if isinstance(data, dict):
            if set(data) != {"schools"}:
                err(path.name, "a schools file is a list, or a mapping with the one key `schools:`")
                continue
            data = data["schools"] or []
        if not isinstance(data, list):
            err(path.name, "expected a list of schools")
            continue
        for i, rec in enumerate(data):
            where = f"{path.name} school #{i + 1}"
            if not isinstance(rec, dict):
                err(where, "a school is a mapping")
                continue
            for k in rec:
                if k not in SCHOOL_KEYS:
                    err(where, f"unknown key '{k}'")
            missing = [k for k in SCHOOL_REQUIRED if rec.get(k) in (None, "")]
            if missing:
                err(where, f"missing {', '.join(missing)}")
                continue
            urn = rec["urn"]
            if isinstance(urn, str) and urn.isdigit():
                urn = int(urn)
            if isinstance(urn, bool) or not isinstance(urn, int) or not 100000 <= urn <= 999999:
                err(where, f"URN '{rec['urn']}' is not 6 digits")
                continue
            where = f"{path.name} URN {urn}"
            if urn in seen:
                err(where, f"duplicate URN, also in {seen[urn]}")
            seen[urn] = path.name
            if rec["phase"] not in phases:
                err(where, f"unknown phase '{rec['phase']}'")
            if rec["area"] not in areas:
                err(where, f"unknown area '{rec['area']}'")
            if rec["type"] not in types:
                err(where, f"unknown type '{rec['type']}'")
            smdp = rec.get("smdp") or {}
            for k in smdp:
                if k not in SMDP_KEYS:
                    err(where, f"unknown key 'smdp.{k}'")
            if "reviewed" in smdp:
                as_date(smdp["reviewed"], where + " smdp.reviewed")
            trust = check_trust(rec.get("trust"), where) if "trust" in rec else None
            pupils = rec.get("pupils")
            if "pupils" in rec and (isinstance(pupils, bool) or not isinstance(pupils, int) or pupils < 0):
                err(where, f"`pupils` '{pupils}' is not a whole number of pupils")
            fsm = None
            if "fsm" in rec:
                if is_number(rec["fsm"]) and 0 <= Fraction(str(rec["fsm"])) <= 100:
                    fsm = Fraction(str(rec["fsm"]))
                else:
                    err(where, f"`fsm` '{rec['fsm']}' is not a percentage from 0 to 100")
            if "location" in rec:
                check_location(rec["location"], where)
            activities = []
            for j, a in enumerate(rec.get("activity") or []):
                aw = f"{where} activity #{j + 1}"
                if not isinstance(a, dict):
                    err(aw, "an activity is a mapping")
                    continue
                for k in a:
                    if k not in ACTIVITY_KEYS:
                        err(aw, f"unknown key '{k}'")
                if "date" not in a or "kind" not in a:
                    err(aw, "needs date and kind")
                    continue
                d = as_date(a["date"], aw)
                if a["kind"] not in KIND_IDS:
                    err(aw, f"unknown activity kind '{a['kind']}'")
                if d is None:
                    continue
                if d > now:
                    err(aw, f"dated {d}, after now ({now})")
                activities.append((d, a["kind"]))
            schools.append(
                {
                    "urn": urn,
                    "phase": rec["phase"],
                    "area": rec["area"],
                    "type": rec["type"],
                    "smdp": smdp.get("published") is True,
                    "activity": activities,
                    "trust": trust,
                    "fsm": fsm,
                }
            )
    return schools


def check_trust(t, where):
    """A school's `trust` as (id, name, kind), kind None when not given; None if invalid."""
    if not isinstance(t, dict):
        err(where, "`trust` is a mapping {id, name, kind}")
        return None
    ok = True
    for k in t:
        if k not in TRUST_KEYS:
            err(where, f"unknown key 'trust.{k}'")
            ok = False
    ident, name, kind = t.get("id"), t.get("name"), t.get("kind")
    if isinstance(ident, int) and not isinstance(ident, bool):
        ident = str(ident)
    if not isinstance(ident, str) or not ident.strip():
        err(where, "`trust` needs an `id`")
        ok = False
    if not isinstance(name, str) or not name.strip():
        err(where, "`trust` needs a `name`")
        ok = False
    if kind is not None and kind not in TRUST_KINDS:
        err(where, f"trust kind '{kind}' is not one of {', '.join(TRUST_KINDS)}")
        ok = False
    return (ident, name, kind) if ok else None


def check_location(loc, where):
    # The values are private: the message never repeats them.
    good = isinstance(loc, dict) and set(loc) == set(LOCATION_KEYS) and all(
        isinstance(loc[k], int) and not isinstance(loc[k], bool) and 0 <= loc[k] <= top
        for k, top in LOCATION_KEYS.items()
    )
    if not good:
        err(where, "`location` is {easting, northing}, whole metres on the British National Grid")


def fsm_cuts(raw):
    """site.yaml's `fsm_bands` as a list of (exact value, written form), or None."""
    if raw is None:
        return None
    where = "site.yaml engagement.fsm_bands"
    if not isinstance(raw, list) or not raw:
        err(where, "a list of percentages, e.g. [10, 20, 35]")
        return None
    cuts = []
    for v in raw:
        if not is_number(v) or not 0 <= Fraction(str(v)) <= 100:
            err(where, f"'{v}' is not a percentage from 0 to 100")
            return None
        f = Fraction(str(v))
        if cuts and f <= cuts[-1][0]:
            err(where, f"'{v}' is not above the cut point before it")
            return None
        cuts.append((f, written(v)))
    return cuts


def load_targets(path, phases):
    targets = {}
    if not path.is_file():
        return targets
    data = load_yaml(path) or []
    for i, t in enumerate(data):
        where = f"targets.yaml #{i + 1}"
        for k in t:
            if k not in TARGET_KEYS:
                err(where, f"unknown key '{k}'")
        if any(k not in t for k in ("phase", "target", "by")):
            err(where, "needs phase, target and by")
            continue
        phase = t["phase"]
        if phase not in phases:
            err(where, f"unknown phase '{phase}'")
        if phase in targets:
            err(where, f"a second target for '{phase}'")
        value = as_fraction(t["target"], where)
        if value is not None and not 0 <= value <= 100:
            err(where, f"target {t['target']} is outside 0-100")
        by = as_date(t["by"], where + " by")
        base = None
        if t.get("baseline") is not None:
            b = t["baseline"]
            for k in b:
                if k not in BASELINE_KEYS:
                    err(where, f"unknown key 'baseline.{k}'")
            if "value" not in b or "date" not in b:
                err(where, "a baseline needs value and date")
            else:
                bv = as_fraction(b["value"], where + " baseline")
                if bv is not None and not 0 <= bv <= 100:
                    err(where, f"baseline {b['value']} is outside 0-100")
                base = (bv, as_date(b["date"], where + " baseline date"))
        targets[phase] = {"target": value, "by": by, "baseline": base}
    return targets


# ---------------------------------------------------------------- figures


def trust_groups(counted, min_size):
    """The `trust` groups: big families by label, then the three pooled groups."""
    if not any(s["trust"] for s in counted):
        return []
    families = {}  # id -> (label, members), in the order the records were read
    for s in counted:
        if s["trust"]:
            ident, name, _ = s["trust"]
            families.setdefault(ident, (name, []))[1].append(s)
    big = sorted(
        ((label, ident, members) for ident, (label, members) in families.items() if len(members) >= min_size),
        key=lambda f: (f[0], f[1]),
    )
    out = [("trust", ident, label, members) for label, ident, members in big]
    named = {ident for _, ident, _ in big}
    rest = [s for s in counted if not (s["trust"] and s["trust"][0] in named)]
    pooled = [
        ("other-trusts", "Other trusts", lambda s: s["trust"] and s["trust"][2] != "single-academy"),
        ("single-academy-trusts", "Single-academy trusts", lambda s: s["trust"] and s["trust"][2] == "single-academy"),
        ("no-trust", "Not in a trust", lambda s: not s["trust"]),
    ]
    for ident, label, test in pooled:
        members = [s for s in rest if test(s)]
        if members:
            out.append(("trust", ident, label, members))
    return out


def fsm_groups(counted, fixed_cuts):
    """The `fsm_band` groups: the bands that have schools, then fsm-unknown."""
    known = [s for s in counted if s["fsm"] is not None]
    if not known:
        return []
    if fixed_cuts is not None:
        cuts = [c for c, _ in fixed_cuts]
        names = [w for _, w in fixed_cuts]
        bands = [(f"0-{names[0]}", f"Up to {names[0]}%")]
        bands += [(f"{a}-{b}", f"Over {a}% up to {b}%") for a, b in zip(names, names[1:])]
        bands.append((f"{names[-1]}-100", f"Over {names[-1]}%"))
    else:
        values = sorted(s["fsm"] for s in known)
        n = len(values)
        cuts = [values[-(-k * n // 5) - 1] for k in range(1, 5)]  # place ceil(k*n/5), from 1
        c = [one_decimal(x) for x in cuts]
        bands = [
            ("q1", f"Fewest eligible fifth: up to {c[0]}%"),
            ("q2", f"Second fifth: over {c[0]}% up to {c[1]}%"),
            ("q3", f"Middle fifth: over {c[1]}% up to {c[2]}%"),
            ("q4", f"Fourth fifth: over {c[2]}% up to {c[3]}%"),
            ("q5", f"Most eligible fifth: over {c[3]}%"),
        ]

    def band_of(v):
        return next((i for i, cut in enumerate(cuts) if v <= cut), len(cuts))

    out = []
    for i, (ident, label) in enumerate(bands):
        members = [s for s in known if band_of(s["fsm"]) == i]
        if members:
            out.append(("fsm_band", ident, label, members))
    unknown = [s for s in counted if s["fsm"] is None]
    if unknown:
        out.append(("fsm_band", "fsm-unknown", "Free school meals not known", unknown))
    return out


def build(site_dir, now_arg):
    site = load_yaml(site_dir / "site.yaml") or {}
    now = resolve_now(now_arg, site)
    phases = vocabulary(site.get("phases"), DEFAULT_PHASES)
    areas = vocabulary(site.get("areas"), [])
    types = vocabulary(site.get("school_types"), DEFAULT_TYPES)
    min_size = int((site.get("engagement") or {}).get("min_group_size", 5))
    fixed_cuts = fsm_cuts((site.get("engagement") or {}).get("fsm_bands"))
    eng_dir = site_dir / "content" / "engagement"

    all_schools = load_schools(eng_dir, dict(phases), dict(areas), dict(types), now)
    targets = load_targets(eng_dir / "targets.yaml", dict(phases))
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)

    counted = [s for s in all_schools if s["type"] != "independent"]

    # The groups, in publication order; groups without counted schools are left out.
    groups = [("all", "all", "All schools", counted)]
    for dim, key, vocab in (("phase", "phase", phases), ("area", "area", areas), ("type", "type", types)):
        for ident, label in vocab:
            members = [s for s in counted if s[key] == ident]
            if members:
                groups.append((dim, ident, label, members))
    groups += trust_groups(counted, min_size)
    groups += fsm_groups(counted, fixed_cuts)

    def suppressed(members):
        return len(members) < min_size

    def target_of(dim, ident, members):
        if dim == "phase":
            t = targets.get(ident)
            return t["target"] if t else None
        ts = [targets[s["phase"]]["target"] for s in members if s["phase"] in targets]
        return sum(ts, Fraction(0)) / len(ts) if ts else None

    def engaged(members, start, end):
        return sum(1 for s in members if any(start <= d <= end for d, _ in s["activity"]))

    # Years: the current one and every earlier one with an activity of a counted school.
    current = academic_year_start(now)
    starts = {current} | {academic_year_start(d) for s in counted for d, _ in s["activity"]}
    years = []
    for y in sorted(starts, reverse=True):
        start = dt.date(y, 9, 1)
        end = min(dt.date(y + 1, 8, 31), now)
        is_current = y == current

        year_groups = []
        for dim, ident, label, members in groups:
            g = {"dimension": dim, "id": ident, "label": label}
            keys = ["schools", "engaged", "percent", "target"]
            if dim == "phase":
                keys += ["target_by", "baseline", "baseline_date"]
            keys += ["gap"]
            if suppressed(members):
                g.update({k: None for k in keys})
                g["suppressed"] = True
            else:
                n = len(members)
                e = engaged(members, start, end)
                p = pct(e, n)
                t = target_of(dim, ident, members)
                g["schools"] = n
                g["engaged"] = e
                g["percent"] = round1(p)
                g["target"] = round1(t)
                if dim == "phase":
                    tt = targets.get(ident)
                    base = tt["baseline"] if tt else None
                    g["target_by"] = tt["by"].isoformat() if tt else None
                    g["baseline"] = round1(base[0]) if base else None
                    g["baseline_date"] = base[1].isoformat() if base else None
                # gap from the published (rounded) figures; a difference of two one-decimal
                # numbers is exact, so no further rounding happens
                g["gap"] = gap_of(g["target"], g["percent"])
                g["suppressed"] = False
            year_groups.append(g)

        hub_suppressed = suppressed(counted)
        quarters = []
        q_bounds = [
            ("Q1", dt.date(y, 9, 1), dt.date(y, 11, 30)),
            ("Q2", dt.date(y, 12, 1), end_of_february(y + 1)),
            ("Q3", dt.date(y + 1, 3, 1), dt.date(y + 1, 5, 31)),
            ("Q4", dt.date(y + 1, 6, 1), dt.date(y + 1, 8, 31)),
        ]
        for q, qs, qe in q_bounds:
            if qs > now:
                continue
            qe = min(qe, now)
            n = len(counted)
            e = engaged(counted, qs, qe)
            ytd = engaged(counted, start, qe)
            quarters.append(
                {
                    "quarter": q,
                    "from": qs.isoformat(),
                    "to": qe.isoformat(),
                    "engaged": None if hub_suppressed else e,
                    "percent": None if hub_suppressed else round1(pct(e, n)),
                    "year_to_date_engaged": None if hub_suppressed else ytd,
                    "year_to_date_percent": None if hub_suppressed else round1(pct(ytd, n)),
                }
            )

        uptake = []
        for kind, label in KINDS:
            per_school = [
                sum(1 for d, k in s["activity"] if k == kind and start <= d <= end) for s in counted
            ]
            uptake.append(
                {
                    "kind": kind,
                    "label": label,
                    "schools": None if hub_suppressed else sum(1 for c in per_school if c),
                    "activities": None if hub_suppressed else sum(per_school),
                }
            )

        years.append(
            {
                "year": year_label(y),
                "from": start.isoformat(),
                "to": end.isoformat(),
                "current": is_current,
                "groups": year_groups,
                "quarters": quarters,
                "uptake": uptake,
            }
        )

    def simple_groups(count_key, test):
        out = []
        for dim, ident, label, members in groups:
            g = {"dimension": dim, "id": ident, "label": label}
            if suppressed(members):
                g.update({"schools": None, count_key: None, "percent": None, "suppressed": True})
            else:
                c = sum(1 for s in members if test(s))
                g.update({"schools": len(members), count_key: c, "percent": round1(pct(c, len(members))), "suppressed": False})
            out.append(g)
        return out

    smdp = simple_groups("published", lambda s: s["smdp"])

    cycle_from = three_years_before(now) + dt.timedelta(days=1)
    visit_cycle = {
        "from": cycle_from.isoformat(),
        "to": now.isoformat(),
        "groups": simple_groups(
            "visited", lambda s: any(k == "visit" and cycle_from <= d <= now for d, k in s["activity"])
        ),
    }

    cur = years[0]
    cold = [
        {k: g[k] for k in ("dimension", "id", "label", "percent", "target", "gap")}
        for g in cur["groups"]
        if g["dimension"] in ("area", "type", "trust") and not g["suppressed"] and g["target"] is not None and g["gap"] > 0
    ]
    cold.sort(key=lambda g: (-Decimal(str(g["gap"])), g["label"]))

    return {
        "generated": now.isoformat(),
        "min_group_size": min_size,
        "years": years,
        "smdp": smdp,
        "visit_cycle": visit_cycle,
        "cold_spots": cold,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site_dir", type=Path)
    ap.add_argument("--now", help="build date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)")
    args = ap.parse_args()
    out = build(args.site_dir, args.now)
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build gazetteer/places.tsv and gazetteer/organizations.tsv.

Inputs:
  <data>/countries.tsv, <data>/cities.tsv, <data>/organizations.tsv
      reference data (default <repo>/../shared/data, override with --data DIR)
  gazetteer/build/countries_overrides.tsv  hand corrections per ISO2 code
  gazetteer/build/cities_notable.tsv       hand list of newsworthy cities
  gazetteer/build/city_stoplist.txt        city names never shipped from the rule
  gazetteer/build/places_extra.tsv         hand-written places (regions, venues,
                                           historical states, US states ...)
  gazetteer/build/organizations_cia_map.tsv   news names for Factbook organizations
  gazetteer/build/organizations_extra.tsv  hand-written organizations

Python 3 standard library only. Output is sorted by id and deterministic.
Run from anywhere:  python3 gazetteer/build/build_places_orgs.py [--data DIR]
"""
import argparse
import csv
import os
import re
import sys
import unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
GAZ = os.path.dirname(HERE)
REPO = os.path.dirname(GAZ)
HEADER = ["id", "name", "kind", "aliases", "attributes"]

csv.field_size_limit(10 ** 7)


# ----------------------------------------------------------------- helpers
def fold(s):
    """Strip diacritics and normalise typographic apostrophes."""
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'").replace("\u02bb", "'")
    s = s.replace("\u0131", "i").replace("\u0130", "I").replace("\u0142", "l").replace("\u0141", "L")
    s = s.replace("\u00f8", "o").replace("\u00d8", "O").replace("\u0111", "d").replace("\u0110", "D")
    s = s.replace("\u00df", "ss").replace("\u00e6", "ae").replace("\u00c6", "AE")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def slug(s):
    s = fold(s).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


# letters that only mark a transliteration: news writes the plain form
TRANSLIT = set("\u0101\u012b\u016b\u0113\u014d\u1e29\u1e28\u0163\u0162\u1e0d\u1e0c\u1e93\u1e92\u02bb\u02bc\u2018\u2019\u0100\u012a\u016a\u014c\u1e25\u1e24\u1e63\u1e62\u1e6d\u1e6c")


def news_form(name):
    return fold(name) if any(c in TRANSLIT for c in name) else name


def match_key(a):
    """The string as the matcher sees it (specs/gazetteer_format.md): aliases of
    <= 4 characters or without lowercase letters match case-sensitively, the
    others case-insensitively."""
    if len(a) <= 4 or not any(c.islower() for c in a):
        return a
    return a.lower()


def read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def split_list(v):
    return [x.strip() for x in v.split("|") if x.strip()] if v else []


class Entity:
    def __init__(self, id, name, kind, aliases=(), attrs=None, prio=0, origin=""):
        self.id, self.name, self.kind = id, name, kind
        self.aliases = []
        self.attrs = dict(attrs or {})
        self.prio = prio          # higher wins a name/alias conflict
        self.origin = origin
        self.add_aliases(aliases)

    def add_aliases(self, al):
        keys = {match_key(self.name)} | {match_key(x) for x in self.aliases}
        for a in al:
            a = a.strip()
            if not a:
                continue
            # a leading "the" is handled by the matcher
            if re.match(r"^[Tt]he ", a) and match_key(a[4:]) in keys:
                continue
            if match_key(a) in keys:
                continue
            keys.add(match_key(a))
            self.aliases.append(a)

    def row(self):
        order = ["type", "iso2", "iso3", "adj", "capital", "country", "in", "acronym", "wikidata"]
        keys = [k for k in order if self.attrs.get(k)] + sorted(k for k in self.attrs if k not in order and self.attrs[k])
        attrs = ";".join("%s=%s" % (k, self.attrs[k]) for k in keys)
        return [self.id, self.name, self.kind, "|".join(self.aliases), attrs]


def parse_attrs(s):
    d = {}
    for part in s.split(";"):
        part = part.strip()
        if not part:
            continue
        k, _, v = part.partition("=")
        d[k.strip()] = v.strip()
    return d


# ----------------------------------------------------------------- countries
def parse_adjectives(raw):
    """Split Factbook wording such as 'Saudi or Saudi Arabian', 'Aruban; Dutch'."""
    if not raw:
        return []
    raw = re.sub(r";?\s*note\s*-.*$", "", raw)
    raw = re.sub(r"\([^)]*\)", "", raw)
    out = []
    for p in re.split(r",|;|/|\bor\b", raw):
        p = p.strip()
        if p and p.lower() not in ("none", "na"):
            out.append(p)
    return out


def clean_formal(v):
    if not v:
        return ""
    v = v.split(";")[0].strip()
    v = re.sub(r"^[Tt]he ", "", v)
    v = re.sub(r" \(the\)$", "", v)
    v = re.sub(r"\s*\*+$", "", v)
    if "(" in v or len(v) > 70:
        return ""
    return v


def build_countries(data, ents, log):
    rows = read_tsv(os.path.join(data, "countries.tsv"))
    ov = {r["iso2"]: r for r in read_tsv(os.path.join(HERE, "countries_overrides.tsv"))}
    skip = {k for k, r in ov.items() if r.get("name") == "-"}
    capitals = []  # (iso2, capital names)
    for r in rows:
        iso2 = r["iso2"]
        if iso2 in skip:
            continue
        o = ov.get(iso2, {})
        name = o.get("name") or r["fb_short"] or r["name"]
        indep = r["is_independent"].startswith("Yes")
        typ = o.get("type") or ("country" if indep else "territory")
        cands = [r["name"], clean_formal(r["name_un_short"]), clean_formal(r["name_un_formal"]),
                 clean_formal(r["name_iso_official"]), clean_formal(r["fb_short"]), clean_formal(r["fb_long"])]
        abbr = re.sub(r"\([^)]*\)", " ", r["fb_abbreviation"])
        for ab in re.split(r"\bor\b|/", abbr):
            ab = ab.strip()
            # two-letter codes (AS, PR, VI, CH ...) are English words or ambiguous:
            # only the hand-written aliases (US, UK) ship them
            if ab and " " not in ab and len(ab) >= 3:
                cands.append(ab)
        cands = [re.sub(r" \(the\)$", "", c).replace(" & ", " and ") for c in cands if c]
        cands = [c for c in cands if " - " not in c and not re.search(r"\(|;|,|\bnote\b", c)]
        cands = [c for c in cands if len(c) > 2]
        drop = set(split_list(o.get("drop_aliases", "")))
        aliases = [c for c in cands if c not in drop]
        aliases += split_list(o.get("aliases", ""))
        # ASCII variants of names with diacritics
        aliases += [fold(a) for a in [name] + aliases if fold(a) != a]
        aliases = [a for a in aliases if a not in drop]
        adj = split_list(o["adj"]) if o.get("adj") else parse_adjectives(r["nationality_adjective"])
        if o.get("adj") == "-":
            adj = []
        attrs = {"type": typ, "iso2": iso2, "iso3": r["iso3"], "adj": "|".join(adj),
                 "wikidata": o.get("wikidata") or r["wikidata_id"]}
        if typ == "territory":
            sov = o.get("country") or (re.findall(r"\b([A-Z]{2})$", r["is_independent"]) or [""])[0]
            if sov:
                attrs["country"] = sov
        ent = Entity("place:" + (o.get("id") or slug(name)), name, "place", aliases, attrs, prio=100, origin="country")
        ents.append(ent)
        cap = o.get("capital")
        if cap == "-":
            continue
        caps = split_list(cap) if cap else ([r["capital_cc"]] if r["capital_cc"] else [])
        capitals.append((ent, caps, typ))
    return capitals


# ----------------------------------------------------------------- cities
def build_cities(data, ents, capitals, log):
    rows = read_tsv(os.path.join(data, "cities.tsv"))
    stop = set()
    with open(os.path.join(HERE, "city_stoplist.txt"), encoding="utf-8") as f:
        for l in f:
            l = l.split("#")[0].strip()
            if l:
                stop.add(fold(l).lower())
    notable = read_tsv(os.path.join(HERE, "cities_notable.tsv"))
    byname = defaultdict(list)
    for r in rows:
        byname[fold(r["name"]).lower()].append(r)
    cities = {}   # id -> Entity

    def add_city(name, cc, aliases=(), cid=None, prio=10, extra=None, origin="city"):
        name = news_form(name)
        cid = cid or "place:" + slug(name)
        al = list(aliases)
        if fold(name) != name:
            al.append(fold(name))
        if cid in cities:
            e = cities[cid]
            if e.attrs.get("country") != cc:
                log.append("city id clash %s (%s vs %s): kept the first" % (cid, e.attrs.get("country"), cc))
                return None
            e.add_aliases(al)
            e.prio = max(e.prio, prio)
            return e
        attrs = {"type": "city", "country": cc}
        attrs.update(extra or {})
        e = Entity(cid, name, "place", al, attrs, prio=prio, origin=origin)
        cities[cid] = e
        return e

    # 1. hand list first (it fixes spellings, ids and aliases of capitals too)
    notable_by_key = {}
    for r in notable:
        key = (fold(r["name"]).lower(), r["country"])
        notable_by_key[key] = r
        for a in split_list(r.get("aliases", "")):
            notable_by_key[(fold(a).lower(), r["country"])] = r
    # 2. capitals
    for ent, caps, typ in capitals:
        ids = []
        cc = ent.attrs["iso2"]
        for i, cap in enumerate(caps):
            if typ == "territory" and fold(cap).lower() in stop:
                continue
            r = notable_by_key.get((fold(cap).lower(), cc))
            if r:
                e = add_city(r["name"], cc, split_list(r.get("aliases", "")),
                             ("place:" + r["id"]) if r.get("id") else None, prio=60 if typ == "country" else 30,
                             origin="capital")
            else:
                e = add_city(cap, cc, (), None, prio=60 if typ == "country" else 30, origin="capital")
            if e:
                ids.append(e.id)
        if ids:
            ent.attrs["capital"] = "|".join(ids)
    # 3. the rest of the hand list
    for r in notable:
        attrs = parse_attrs(r.get("attributes", ""))
        add_city(r["name"], r["country"], split_list(r.get("aliases", "")),
                 ("place:" + r["id"]) if r.get("id") else None, prio=40, extra=attrs, origin="hand")
        if not byname.get(fold(r["name"]).lower()) and not any(byname.get(fold(a).lower()) for a in split_list(r.get("aliases", ""))):
            log.append("info: notable city not in GeoNames list: %s (%s)" % (r["name"], r["country"]))
    # 4. rule: a GeoNames city whose name equals its first-level division
    #    (in practice the division capital), unique worldwide, not stop-listed,
    #    and not already a name or alias of a country or of a city above
    taken = set()
    for e in list(ents) + list(cities.values()):
        for n in [e.name] + e.aliases:
            taken.add(fold(n).lower())
    for key, rs in sorted(byname.items()):
        if len(rs) != 1 or key in stop or len(key) < 4 or key in taken:
            continue
        r = rs[0]
        if fold(r["subcountry"]).lower() != key:
            continue
        if "place:" + slug(news_form(r["name"])) in {e.id for e in ents}:
            continue
        add_city(r["name"], r["country_iso2"], (), None, prio=5, origin="rule")
    ents.extend(cities[k] for k in sorted(cities))


# ----------------------------------------------------------------- hand rows
def read_entity_file(path, kind, prio):
    out = []
    for r in read_tsv(path):
        if r["kind"] != kind:
            raise SystemExit("%s: %s has kind %s" % (path, r["id"], r["kind"]))
        out.append(Entity(r["id"], r["name"], kind, split_list(r["aliases"]), parse_attrs(r["attributes"]),
                          prio=prio, origin="hand"))
    return out


def merge(ents, extra, log):
    """Hand rows replace generated rows with the same id."""
    byid = {e.id: i for i, e in enumerate(ents)}
    for e in extra:
        if e.id in byid:
            old = ents[byid[e.id]]
            if e.attrs.get("merge") == "1":
                old.add_aliases(e.aliases)
                for k, v in e.attrs.items():
                    if k != "merge":
                        old.attrs[k] = v
                old.prio = max(old.prio, e.prio)
                continue
            ents[byid[e.id]] = e
        else:
            byid[e.id] = len(ents)
            ents.append(e)
    for e in ents:
        e.attrs.pop("merge", None)


# ----------------------------------------------------------------- orgs
def build_cia_orgs(data, log):
    rows = read_tsv(os.path.join(data, "organizations.tsv"))
    mp = {r["cia_name"]: r for r in read_tsv(os.path.join(HERE, "organizations_cia_map.tsv"))}
    out = []
    for r in rows:
        if r["kind"] != "organization":
            continue
        key = r["name"]
        m = mp.get(key)
        if m is None:
            log.append("info: Factbook organization without a mapping row: %s" % key)
            m = {}
        if m.get("id") == "-":
            continue
        name = m.get("name") or key
        aliases = []
        ac = r["acronym"].strip()
        if ac and m.get("acronym") != "-" and re.fullmatch(r"[A-Za-z][A-Za-z0-9-]+", ac):
            aliases.append(ac)
        aliases += split_list(m.get("aliases", ""))
        drop = set(split_list(m.get("drop_aliases", "")))
        aliases = [a for a in aliases if a not in drop]
        attrs = {"type": m.get("type") or "igo"}
        if m.get("acronym") and m.get("acronym") != "-":
            attrs["acronym"] = m["acronym"]
        elif ac in aliases and ac.upper() == ac:
            attrs["acronym"] = ac
        attrs.update(parse_attrs(m.get("attributes", "")))
        out.append(Entity("organization:" + (m.get("id") or slug(name)), name, "organization", aliases, attrs,
                          prio=50, origin="factbook"))
    return out


# ----------------------------------------------------------------- checks
def resolve_conflicts(ents, log):
    """A name or alias may identify only one entity of a kind. The entity with
    the higher priority keeps the string; a conflicting alias is removed from
    the other; an entity whose *name* is taken is dropped (reported)."""
    ents.sort(key=lambda e: (-e.prio, e.id))
    owner = {}
    kept = []
    for e in ents:
        k = match_key(e.name)
        if k in owner:
            log.append("DROP %s: name %r already used by %s" % (e.id, e.name, owner[k]))
            continue
        owner[k] = e.id
        kept.append(e)
    for e in kept:
        keep = []
        for a in e.aliases:
            k = match_key(a)
            if k in owner and owner[k] != e.id:
                log.append("alias %r of %s removed: belongs to %s" % (a, e.id, owner[k]))
                continue
            owner[k] = e.id
            keep.append(a)
        e.aliases = keep
    return kept


ID_RE = re.compile(r"^(person|organization|place):[a-z0-9]+(-[a-z0-9]+)*$")


def validate(path, kind, log):
    errors = []
    ids = set()
    seen = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[0].split("\t") != HEADER:
        errors.append("%s: bad header" % path)
    for n, line in enumerate(lines[1:], 2):
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) != 5:
            errors.append("%s:%d: %d fields" % (path, n, len(f)))
            continue
        id, name, k, al, at = f
        if not ID_RE.match(id) or not id.startswith(kind + ":"):
            errors.append("%s:%d: bad id %s" % (path, n, id))
        if id in ids:
            errors.append("%s:%d: duplicate id %s" % (path, n, id))
        ids.add(id)
        if k != kind:
            errors.append("%s:%d: kind %s" % (path, n, k))
        if not name.strip() or name != name.strip():
            errors.append("%s:%d: bad name" % (path, n))
        for a in [name] + (al.split("|") if al else []):
            if not a or a != a.strip():
                errors.append("%s:%d: empty/padded alias in %s" % (path, n, id))
            k = match_key(a)
            if k in seen and seen[k] != id:
                errors.append("%s:%d: %r maps to %s and %s" % (path, n, a, seen[k], id))
            seen[k] = id
        for part in at.split(";") if at else []:
            if "=" not in part or not part.split("=")[0] or not part.split("=", 1)[1]:
                errors.append("%s:%d: bad attribute %r" % (path, n, part))
    return errors, ids


def check_refs(ents, all_ids, log):
    for e in ents:
        for key in ("capital", "in"):
            for ref in split_list(e.attrs.get(key, "")):
                if ref not in all_ids:
                    log.append("ERROR %s: %s=%s unknown" % (e.id, key, ref))


def adjective_conflicts(ents, log):
    seen = {}
    for e in sorted(ents, key=lambda e: (-e.prio, e.id)):
        keep = []
        for a in split_list(e.attrs.get("adj", "")):
            if a in seen:
                log.append("adj %r of %s removed: belongs to %s" % (a, e.id, seen[a]))
                continue
            seen[a] = e.id
            keep.append(a)
        if "adj" in e.attrs:
            e.attrs["adj"] = "|".join(keep)


def write(path, ents):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(HEADER) + "\n")
        for e in sorted(ents, key=lambda e: e.id):
            row = e.row()
            for x in row:
                if "\t" in x or "\n" in x:
                    raise SystemExit("tab/newline in %s" % e.id)
            f.write("\t".join(row) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("data_pos", nargs="?", help="same as --data")
    ap.add_argument("--out", default=GAZ)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    data = a.data_pos or a.data
    log = []

    places = []
    capitals = build_countries(data, places, log)
    build_cities(data, places, capitals, log)
    merge(places, read_entity_file(os.path.join(HERE, "places_extra.tsv"), "place", 90), log)
    places = resolve_conflicts(places, log)
    adjective_conflicts(places, log)

    orgs = build_cia_orgs(data, log)
    merge(orgs, read_entity_file(os.path.join(HERE, "organizations_extra.tsv"), "organization", 80), log)
    orgs = resolve_conflicts(orgs, log)

    all_ids = {e.id for e in places} | {e.id for e in orgs}
    if len(all_ids) != len(places) + len(orgs):
        log.append("ERROR: an id is used in both files")
    check_refs(places + orgs, all_ids, log)
    for e in orgs:
        c = e.attrs.get("country")
        if c and not any(p.attrs.get("iso2") == c for p in places):
            log.append("ERROR %s: country=%s unknown" % (e.id, c))

    pp = os.path.join(a.out, "places.tsv")
    op = os.path.join(a.out, "organizations.tsv")
    write(pp, places)
    write(op, orgs)
    errors = []
    for path, kind in ((pp, "place"), (op, "organization")):
        errs, _ = validate(path, kind, log)
        errors += errs
    errors += [l for l in log if l.startswith("ERROR")]
    for l in log:
        if a.verbose or not l.startswith("info"):
            print(l, file=sys.stderr)
    counts = defaultdict(int)
    for e in places:
        counts[e.attrs.get("type", "?")] += 1
    print("places.tsv: %d rows (%s)" % (len(places), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    oc = defaultdict(int)
    for e in places:
        if e.attrs.get("type") == "city":
            oc[e.origin] += 1
    print("  cities by source: %s" % ", ".join("%s %d" % kv for kv in sorted(oc.items())))
    counts = defaultdict(int)
    for e in orgs:
        counts[e.attrs.get("type", "?")] += 1
    print("organizations.tsv: %d rows (%s)" % (len(orgs), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

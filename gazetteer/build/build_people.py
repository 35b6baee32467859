#!/usr/bin/env python3
"""Build gazetteer/people.tsv, offices.tsv and office_holders.tsv.

Inputs (Python 3 stdlib only, deterministic):
  - ../shared/data/offices.tsv and countries.tsv (reference data, see its README)
  - gazetteer/build/people_extra.tsv   (hand-written people, same format as people.tsv)
  - gazetteer/build/holders_extra.tsv  (hand-written tenures, same format as office_holders.tsv)
  - gazetteer/build/offices_extra.tsv  (hand-written office definitions, same format as offices.tsv)
  - gazetteer/build/gender_extra.tsv   (person id -> gender for people taken from the data)

Usage: python3 gazetteer/build/build_people.py [--data DIR] [--out DIR]
"""
import argparse
import csv
import os
import re
import sys
import unicodedata
from collections import defaultdict, OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
GAZ = os.path.dirname(HERE)
REPO = os.path.dirname(GAZ)

ENTITY_HEADER = ["id", "name", "kind", "aliases", "attributes"]
OFFICE_HEADER = ["id", "jurisdiction", "role", "titles", "attributes"]
HOLDER_HEADER = ["office", "person", "start", "end", "confirmed_until", "source"]
ROLES = {"head_of_state", "head_of_government", "foreign_minister", "defense_minister",
         "national_security_adviser", "vice_president", "secretary_general",
         "commission_president", "council_president", "high_representative",
         "deputy_foreign_minister", "other"}
SOURCES = {"pocom", "congress-legislators", "factbook", "wikidata", "knowledge"}
# precedence: lower is stronger
PREC = {"pocom": 0, "congress-legislators": 0, "wikidata": 1, "factbook": 2, "knowledge": 3}

# Bare surnames / tokens that are ambiguous: never allowed as aliases (only in short=)
AMBIGUOUS = {s.lower() for s in """May Lee Kim Wang Li Bush Clinton Johnson Brown Rice Powell Abe Castro
Gandhi Khan Ali Sharif Assad Aliyev Kirchner Fernandez Fernández Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu
Zhu Gao Lin He Guo Ma Park Choi Jung Kang Cho Yoon Jang Lim Han Shin Moon Nguyen Tran Le Pham Singh Kumar Sharma
Mohammed Mohammad Muhammad Ahmed Ahmad Hassan Hussein Abdullah Salman Khalid Hamad Zayed Rashid Mahmoud Abbas
Smith Jones Williams Davis Miller Wilson Moore Taylor Thomas Jackson White Harris Martin Thompson Garcia
Robinson Clark Lewis Walker Hall Allen Young King Wright Scott Green Baker Adams Nelson Hill Campbell
Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan
Cooper Bell Kelly Howard Ward Cox Wood Watson Gray James Price Ross Long Rose Hunt Black Hope Grant Major Gates
Fox Cohen Perry Austin Christopher Bhutto Marcos Duterte Kabila Kenyatta Trudeau Hariri Gemayel Jumblatt Aoun
Bongo Deby Déby Rajapaksa Papandreou Fukuda Hatoyama Koizumi Rao Cheney Santos Ramos Lopez López Perez Pérez
Gonzalez González Sanchez Sánchez Rahman Zia Saleh Hadi Salam Karami Aquino Arroyo Macapagal Nazarbayev
Sullivan Waltz Costa Michel Jonathan Kirby Moreno Silva Sheikh Prince Crown Queen Pope
Philippe Francis Petro Hague Deng Guillaume Henri Harald Beatrix Akihito Naruhito Hirohito Suharto Sugiono""".split()}
EPITHETS = {}  # office id -> extra titles; populated from offices_extra.tsv


def slug(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("ß", "ss")
    s = s.replace("ı", "i").replace("æ", "ae").replace("œ", "oe").replace("'", "").replace("’", "")
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s


def read_tsv(path, header=None):
    rows = []
    with open(path, encoding="utf-8") as f:
        first = None
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if first is None:
                first = parts
                if header is not None and parts != header:
                    die(f"{path}:{ln}: bad header {parts!r}, expected {header!r}")
                continue
            if len(parts) != len(first):
                die(f"{path}:{ln}: {len(parts)} fields, expected {len(first)}: {line!r}")
            rows.append((ln, dict(zip(first, parts))))
    return rows


def die(msg):
    print("ERROR: " + msg, file=sys.stderr)
    sys.exit(1)


def warn(msg):
    print("warning: " + msg, file=sys.stderr)


def parse_attrs(s):
    d = OrderedDict()
    if not s:
        return d
    for kv in s.split(";"):
        if not kv:
            continue
        if "=" not in kv:
            die(f"bad attribute {kv!r}")
        k, v = kv.split("=", 1)
        d[k.strip()] = v.strip()
    return d


def fmt_attrs(d):
    return ";".join(f"{k}={v}" for k, v in d.items() if v != "")


DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def dkey(d, end=False):
    """Comparable key for partial dates: a start 'YYYY-MM' sorts as the first day, an end as well
    (a tenure ending 'YYYY-MM' is treated as ending at the start of that month for overlap checks)."""
    if not d:
        return "9999-99-99" if end else "0000-00-00"
    if len(d) == 4:
        return d + "-01-01"
    if len(d) == 7:
        return d + "-01"
    return d


# ---------------------------------------------------------------------------------------------
# Countries and place ids
PLACE_OVERRIDE = {
    "US": "united-states", "GB": "united-kingdom", "CD": "democratic-republic-of-the-congo",
    "CG": "republic-of-the-congo", "BA": "bosnia-and-herzegovina", "TR": "turkey", "CI": "ivory-coast",
    "VA": "vatican-city", "MM": "myanmar", "KR": "south-korea", "KP": "north-korea", "PS": "palestine",
    "CZ": "czech-republic", "CV": "cape-verde", "FM": "micronesia", "MO": "macau", "SZ": "eswatini",
    "TL": "east-timor", "UM": "us-minor-outlying-islands", "VI": "us-virgin-islands",
    "BL": "saint-barthelemy", "KN": "saint-kitts-and-nevis", "LC": "saint-lucia", "MF": "saint-martin",
    "PM": "saint-pierre-and-miquelon", "SH": "saint-helena", "VC": "saint-vincent-and-the-grenadines",
    "PN": "pitcairn-islands", "CC": "cocos-islands", "XK": "kosovo", "HK": "hong-kong", "TW": "taiwan",
    "ST": "sao-tome-and-principe", "GS": "south-georgia-and-the-south-sandwich-islands",
}


def load_countries(path):
    c = {}
    for _, r in read_tsv(path):
        iso = r["iso2"]
        name = r["name"].replace("&", "and")
        if iso in PLACE_OVERRIDE:
            pid = "place:" + PLACE_OVERRIDE[iso]
        else:
            pid = "place:" + slug(name)
        nice = r["fb_short"] or r["name"]
        if iso == "US":
            nice = "United States"
        c[iso] = {"place": pid, "name": nice}
    c["XK"] = {"place": "place:kosovo", "name": "Kosovo"}
    # The places gazetteer is the authority on place ids: use its id for each ISO code.
    places = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "places.tsv")
    if os.path.exists(places):
        for line in open(places, encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if len(f) < 5 or line.startswith("#") or f[0] == "id":
                continue
            attrs = dict(a.split("=", 1) for a in f[4].split(";") if "=" in a)
            iso = attrs.get("iso2")
            if iso and iso in c and attrs.get("type") in ("country", "territory"):
                c[iso]["place"] = f[0]
    return c


# ---------------------------------------------------------------------------------------------
# Office naming for data rows: (iso2, data office) -> office id; defaults derived from the title.
HOS_TITLE_SLUG = [
    (r"supreme leader", "supreme-leader"), (r"\bemir\b|\bamir\b", "emir"), (r"sultan", "sultan"),
    (r"\bking\b|\bqueen\b|monarch", "monarch"), (r"emperor", "emperor"), (r"grand duke", "grand-duke"),
    (r"\bpope\b", "pope"), (r"co-?prince", "co-prince"), (r"\bprince\b", "monarch"),
    (r"governor", "governor"), (r"\bpresident\b", "president"),
]
HOG_TITLE_SLUG = [
    (r"prime minister|premier ministre", "prime-minister"), (r"\bpremier\b", "premier"),
    (r"chancellor", "chancellor"), (r"taoiseach", "prime-minister"), (r"president of the government", "prime-minister"),
    (r"chief minister", "chief-minister"), (r"chief executive", "chief-executive"),
]
TITLE_WORD = {"president": "President", "monarch": "King|Queen", "emir": "Emir|Amir", "sultan": "Sultan",
              "emperor": "Emperor", "grand-duke": "Grand Duke", "pope": "Pope", "co-prince": "Co-Prince",
              "supreme-leader": "Supreme Leader", "governor": "Governor", "prime-minister": "Prime Minister",
              "premier": "Premier", "chancellor": "Chancellor", "chief-minister": "Chief Minister",
              "chief-executive": "Chief Executive", "head-of-state": "", "head-of-government": "",
              "foreign-minister": "Foreign Minister"}
OTHER_OFFICE = {
    "other:us_vice_president": ("office:us-vice-president", "vice_president"),
    "other:us_deputy_secretary_of_state": ("office:us-deputy-secretary-of-state", "deputy_foreign_minister"),
    "other:us_secretary_of_state_ad_interim": ("office:us-acting-secretary-of-state", "other"),
    "other:un_secretary_general": ("office:un-secretary-general", "secretary_general"),
    "other:un_deputy_secretary_general": ("office:un-deputy-secretary-general", "other"),
    "other:un_general_assembly_president": ("office:un-general-assembly-president", "other"),
}
# Fixed mapping for some (iso2, role) pairs whose Factbook titles vary or mislead.
FIXED_OFFICE = {
    ("US", "head_of_state"): "office:us-president", ("US", "head_of_government"): "office:us-president",
    ("US", "foreign_minister"): "office:us-secretary-of-state",
    ("GB", "foreign_minister"): "office:gb-foreign-secretary",
    ("IR", "head_of_state"): "office:ir-supreme-leader", ("IR", "head_of_government"): "office:ir-president",
    ("CH", "head_of_state"): "office:ch-president", ("CH", "head_of_government"): "office:ch-president",
    ("BA", "head_of_state"): "office:ba-presidency-chair", ("VA", "head_of_state"): "office:va-pope",
    ("AD", "head_of_state"): None,  # co-princes: not modelled
    ("KP", "head_of_state"): None, ("KP", "head_of_government"): None,  # Factbook swaps; hand-written instead
    ("AF", "head_of_state"): "office:af-president", ("AF", "head_of_government"): "office:af-prime-minister",
    ("TW", "head_of_government"): "office:tw-premier", ("CN", "head_of_government"): "office:cn-premier",
    ("VN", "head_of_state"): "office:vn-president", ("SA", "head_of_state"): "office:sa-king",
    ("SA", "head_of_government"): "office:sa-prime-minister", ("JO", "head_of_state"): "office:jo-king",
    ("QA", "head_of_state"): "office:qa-emir", ("KW", "head_of_state"): "office:kw-emir",
    ("OM", "head_of_state"): "office:om-sultan", ("BN", "head_of_state"): "office:bn-sultan",
    ("MA", "head_of_state"): "office:ma-king", ("BH", "head_of_state"): "office:bh-king",
    ("AE", "head_of_state"): "office:ae-president", ("JP", "head_of_state"): "office:jp-emperor",
    ("DE", "head_of_government"): "office:de-chancellor", ("AT", "head_of_government"): "office:at-chancellor",
    ("ES", "head_of_government"): "office:es-prime-minister", ("IE", "head_of_government"): "office:ie-prime-minister",
    ("KR", "head_of_state"): "office:kr-president", ("KR", "head_of_government"): "office:kr-prime-minister",
}
# Names garbled or irregular in the data -> canonical names (match keys, never written as aliases)
NAME_FIX = {
    "Mohammad Mokher": "Mohammad Mokhber",
    "Ali Hoseini-Khamenei": "Ali Khamenei",
    "Hasan Fereidun Rohani": "Hassan Rouhani",
    "Binyamin Netanyahu": "Benjamin Netanyahu", "Benyamin Netanyahu": "Benjamin Netanyahu",
    "Vladimir Vladimirovich Putin": "Vladimir Putin", "Mary Elizabeth Truss": "Liz Truss",
    "Francois Hollande": "François Hollande", "Gabriel Mugabe": "Robert Mugabe",
}
# Hand corrections of data rows: (iso2, office, name) -> fields to change
ROW_FIX = [
    (("IR", "head_of_government", "Ebrahim Raisi"), {"start_date": "2021-08-03"}),
    (("IR", "head_of_government", "Hasan Fereidun Rohani"), {"end_date": "2021-08-03", "end_confidence": "source"}),
    (("IR", "head_of_government", "Mohammad Mokher"), {"start_date": "2024-05-20", "end_date": "2024-07-28", "end_confidence": "source"}),
    (("IR", "head_of_government", "Masoud Pezeshkian"), {"start_date": "2024-07-28"}),
    (("IL", "head_of_state", "Isaac Herzog"), {"start_date": "2021-07-07"}),
    (("IL", "head_of_state", "Reuben Rivlin"), {"end_date": "2021-07-07", "end_confidence": "source"}),
    (("KR", "head_of_state", "Yoon Suk Yeol"), {"end_date": "2025-04-04", "end_confidence": "source"}),
    # Lee Ju-ho was acting president (2025-05-01..06-04): moved to the acting-president office
    (("KR", "head_of_state", "Lee Ju Ho"), {"__office": "office:kr-acting-president", "start_date": "2025-05-01"}),
    (("KR", "head_of_government", "Lee Ju Ho"), {"start_date": "2025-05-01"}),
    (("KR", "head_of_state", "Park Geun-hye"), {"end_date": "2017-03-10", "end_confidence": "source"}),
    (("KR", "head_of_state", "Hwang Kyo-ahn"), {"__office": "office:kr-acting-president"}),
    (("QA", "head_of_government", "Abdallah bin Nasir bin Khalifa Al Thani"), {"alt_names": "", "person_wikidata_id": ""}),
    (("CA", "foreign_minister", "Dean Allison"), {"__drop": True}),  # Wikidata error: never foreign minister
    (("TW", "head_of_state", "Tsai Ing-wen"), {"end_date": "2024-05-20"}),
    (("TW", "head_of_state", "Lai Ching-te"), {"start_date": "2024-05-20"}),
    (("TR", "head_of_state", "Recep Tayyip Erdogan"), {"start_date": "2014-08-28"}),  # 10 Aug = election day
    (("UN", "other:un_secretary_general", "Kofi Annan"), {"end_date": "2007-01-01"}),
    (("AR", "head_of_government", "Cristina Fernandez De Kirchner"), {"__drop": True}),
    (("AR", "head_of_government", "Mauricio Macri"), {"__drop": True}),
]


def title_slug(title, role):
    t = title.lower()
    t = re.sub(r"^(acting|interim|transitional|caretaker|transition)\s+", "", t)
    table = HOS_TITLE_SLUG if role == "head_of_state" else HOG_TITLE_SLUG
    for pat, s in table:
        if re.search(pat, t):
            return s
    if role == "head_of_government" and re.search(r"\bpresident\b", t):
        return "president"
    return "head-of-state" if role == "head_of_state" else "head-of-government"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--offices", default=None, help="path of offices.tsv (default DATA/offices.tsv)")
    ap.add_argument("--out", default=GAZ)
    a = ap.parse_args()
    data_dir = os.path.normpath(a.data)
    offices_path = a.offices or os.path.join(data_dir, "offices.tsv")
    if not os.path.exists(offices_path):
        alt = "/work/shared/data/offices.tsv"
        if os.path.exists(alt):
            offices_path, data_dir = alt, os.path.dirname(alt)
        else:
            die(f"cannot find {offices_path}")
    countries = load_countries(os.path.join(data_dir, "countries.tsv"))

    # ---------------- hand-written inputs
    offices = OrderedDict()  # id -> dict
    for ln, r in read_tsv(os.path.join(HERE, "offices_extra.tsv"), OFFICE_HEADER):
        if r["id"] in offices:
            die(f"offices_extra.tsv:{ln}: duplicate office {r['id']}")
        if r["role"] not in ROLES:
            die(f"offices_extra.tsv:{ln}: bad role {r['role']}")
        offices[r["id"]] = {"id": r["id"], "jurisdiction": r["jurisdiction"], "role": r["role"],
                            "titles": [t for t in r["titles"].split("|") if t],
                            "attrs": parse_attrs(r["attributes"]), "hand": True}

    people = OrderedDict()
    match = {}  # (lower name) -> set of person ids, for mapping data names to hand-written people
    for ln, r in read_tsv(os.path.join(HERE, "people_extra.tsv"), ENTITY_HEADER):
        pid = r["id"]
        if pid in people:
            die(f"people_extra.tsv:{ln}: duplicate id {pid}")
        if not pid.startswith("person:") or pid != "person:" + slug(pid[7:]):
            die(f"people_extra.tsv:{ln}: bad id {pid}")
        if r["kind"] != "person":
            die(f"people_extra.tsv:{ln}: kind must be person")
        attrs = parse_attrs(r["attributes"])
        people[pid] = {"id": pid, "name": r["name"], "aliases": [x for x in r["aliases"].split("|") if x],
                       "attrs": attrs, "hand": True}
        for n in [r["name"]] + people[pid]["aliases"]:
            match.setdefault(n.lower(), set()).add(pid)

    genders = {}
    gpath = os.path.join(HERE, "gender_extra.tsv")
    if os.path.exists(gpath):
        for ln, r in read_tsv(gpath, ["person", "gender"]):
            if r["gender"] not in ("m", "f"):
                die(f"gender_extra.tsv:{ln}: bad gender")
            genders[r["person"]] = r["gender"]

    # ---------------- reference data
    raw = [r for _, r in read_tsv(offices_path)]
    fixes = {k: v for k, v in ROW_FIX}
    rows = []
    for r in raw:
        if not r["person_name"].strip():
            continue  # a tenure without a name cannot be used
        k = (r["country_iso2"], r["office"], r["person_name"])
        if k in fixes:
            r = dict(r)
            r.update(fixes[k])
        rows.append(r)

    src_map = {"wikidata-epsw-2022": "wikidata", "wikidata-epsw-holders21": "wikidata"}
    # person identity for data rows
    wd_to_pid = {}

    def data_person(r):
        iso = r["country_iso2"]
        name = NAME_FIX.get(r["person_name"], r["person_name"]).strip()
        name = re.sub(r"^(Sheikh|Shaikh|Sheikha|Prince|Princess|Dr\.|Gen\.|General|Sir|Dame)\s+", "", name)
        alts = [x.strip() for x in r["alt_names"].split("|") if x.strip()] if r["alt_names"] else []
        cands = set()
        for n in [name] + alts + [r["person_name"]]:
            cands |= match.get(n.lower(), set())
        if len(cands) == 1:
            pid = cands.pop()
        elif len(cands) > 1:
            # prefer a hand person of the same country
            same = sorted(p for p in cands if people[p]["attrs"].get("country") == iso)
            pid = same[0] if same else sorted(cands)[0]
        elif r["person_wikidata_id"] and r["person_wikidata_id"] in wd_to_pid:
            pid = wd_to_pid[r["person_wikidata_id"]]
        else:
            pid = "person:" + slug(name)
            if pid in people and people[pid].get("country") not in (None, iso) and not people[pid].get("hand"):
                pid = pid + "-" + iso.lower()
        if r["person_wikidata_id"]:
            wd_to_pid.setdefault(r["person_wikidata_id"], pid)
        if pid not in people:
            people[pid] = {"id": pid, "name": name, "aliases": [], "attrs": OrderedDict(), "hand": False,
                           "country": iso}
            match.setdefault(name.lower(), set()).add(pid)
        p = people[pid]
        for n in alts + [name]:
            if n != p["name"] and n not in p["aliases"] and n not in NAME_FIX:
                p["aliases"].append(n)
        if r["person_wikidata_id"] and "wikidata" not in p["attrs"]:
            p["attrs"]["wikidata"] = r["person_wikidata_id"]
        if "country" not in p["attrs"] and iso in countries and len(iso) == 2:
            p["attrs"]["country"] = iso
        return pid

    # which HoG rows duplicate the HoS (presidential systems)? -> dropped, office gets also=head_of_government
    hos_spans = defaultdict(list)
    for r in rows:
        if r["office"] == "head_of_state":
            hos_spans[r["country_iso2"]].append((NAME_FIX.get(r["person_name"], r["person_name"]), r["start_date"], r["end_date"]))

    def dup_of_hos(r):
        n = NAME_FIX.get(r["person_name"], r["person_name"])
        for (hn, s, e) in hos_spans[r["country_iso2"]]:
            if hn == n and dkey(s) < dkey(r["end_date"], True) and dkey(r["start_date"]) < dkey(e, True):
                return True
        return False

    # decide office ids for data rows
    titles_by = defaultdict(list)
    for r in rows:
        titles_by[(r["country_iso2"], r["office"])].append(r["title"])
    also_hog = set()
    holders = []  # dicts: office, person, start, end, confirmed_until, source, conf, prec
    skipped = 0
    for r in rows:
        iso, role = r["country_iso2"], r["office"]
        if r.get("__drop"):
            skipped += 1
            continue
        if not re.match(r"^[A-Z]{2}$", iso) or (iso not in countries and iso != "UN"):
            skipped += 1
            continue
        if role.startswith("other:"):
            oid, orole = OTHER_OFFICE[role]
            jur = "organization:united-nations" if iso == "UN" else countries[iso]["place"]
        else:
            if role == "head_of_government" and dup_of_hos(r):
                hos_oid = FIXED_OFFICE.get((iso, "head_of_state"))
                if hos_oid is None and (iso, "head_of_state") not in FIXED_OFFICE:
                    hos_oid = f"office:{iso.lower()}-" + title_slug(r["title"], "head_of_state")
                if hos_oid:
                    also_hog.add(hos_oid)
                continue
            if "__office" in r:
                oid = r["__office"]
            elif (iso, role) in FIXED_OFFICE:
                oid = FIXED_OFFICE[(iso, role)]
                if oid is None:
                    skipped += 1
                    continue
            elif role == "foreign_minister":
                oid = f"office:{iso.lower()}-foreign-minister"
            else:
                if role == "head_of_government" and re.search(r"vice[- ]president", r["title"].lower()):
                    skipped += 1  # Factbook field slip: a vice-president listed as head of government
                    continue
                ts = title_slug(r["title"], role)
                if role == "head_of_government" and ts == "president":
                    ts = "head-of-government"
                oid = f"office:{iso.lower()}-" + ts
            orole = role
            jur = countries[iso]["place"]
        if oid not in offices:
            s = oid.split("-", 1)[1] if not role.startswith("other:") else ""
            tw = TITLE_WORD.get(s, "")
            offices[oid] = {"id": oid, "jurisdiction": jur, "role": orole, "titles": [],
                            "attrs": OrderedDict([("title", tw)] if tw else []), "hand": False, "iso": iso}
        pid = data_person(r)
        src = src_map.get(r["source"], r["source"])
        conf = r["end_confidence"]
        end = r["end_date"] if conf != "open" else ""
        cu = ""
        if conf in ("low", "open"):
            cu = r["last_confirmed"]
        holders.append({"office": oid, "person": pid, "start": r["start_date"], "end": end,
                        "confirmed_until": cu, "source": src, "conf": conf, "prec": PREC[src],
                        "why": f"{r['source']}:{r['person_name']}"})
    for oid in also_hog:
        if oid in offices:
            offices[oid]["attrs"].setdefault("also", "head_of_government")

    # hand-written holders
    for ln, r in read_tsv(os.path.join(HERE, "holders_extra.tsv"), HOLDER_HEADER):
        for f in ("start", "end", "confirmed_until"):
            if r[f] and not DATE_RE.match(r[f]):
                die(f"holders_extra.tsv:{ln}: bad date {r[f]!r}")
        if r["source"] != "knowledge":
            die(f"holders_extra.tsv:{ln}: source must be knowledge")
        if r["office"] not in offices:
            die(f"holders_extra.tsv:{ln}: unknown office {r['office']}")
        if r["person"] not in people:
            die(f"holders_extra.tsv:{ln}: unknown person {r['person']}")
        holders.append({"office": r["office"], "person": r["person"], "start": r["start"], "end": r["end"],
                        "confirmed_until": r["confirmed_until"], "source": "knowledge",
                        "conf": "source" if r["end"] and not r["confirmed_until"] else ("open" if not r["end"] else "low"),
                        "prec": PREC["knowledge"], "why": f"holders_extra.tsv:{ln}"})

    # ---------------- merge tenures of the same person in the same office
    by_op = defaultdict(list)
    for h in holders:
        by_op[(h["office"], h["person"])].append(h)
    merged = []
    for key in sorted(by_op):
        hs = sorted(by_op[key], key=lambda h: (dkey(h["start"]), h["prec"]))
        groups = []
        for h in hs:
            placed = False
            for g in groups:
                # overlap or same start (within a few days) -> same tenure
                gs = min(dkey(x["start"]) for x in g)
                ge = max(eff_end(x) for x in g)
                if dkey(h["start"]) < ge and gs < eff_end(h) or dkey(h["start"]) == gs:
                    g.append(h)
                    placed = True
                    break
            if not placed:
                groups.append([h])
        for g in groups:
            merged.append(merge_group(g))

    # ---------------- resolve overlaps inside an office
    by_office = defaultdict(list)
    for h in merged:
        by_office[h["office"]].append(h)
    conflicts = 0
    final = []
    for oid in sorted(by_office):
        hs = sorted(by_office[oid], key=lambda h: (dkey(h["start"]), h["prec"]))
        out = []
        for h in hs:
            while out:
                prev = out[-1]
                if dkey(prev["end"], True) <= dkey(h["start"]):
                    break
                if prev["person"] == h["person"]:
                    # two records of one tenure that grouping kept apart: join them
                    if dkey(h["end"], True) > dkey(prev["end"], True):
                        prev["end"], prev["confirmed_until"] = h["end"], h["confirmed_until"]
                    h = None
                    break
                conflicts += 1
                if dkey(prev["start"]) == dkey(h["start"]):
                    # same start: keep the stronger source
                    loser, winner = (h, prev) if prev["prec"] <= h["prec"] else (prev, h)
                    print(f"conflict {oid}: {prev['person']} vs {h['person']} same start {h['start']}; keeping {winner['person']} ({winner['source']})")
                    if winner is h:
                        out.pop()
                        continue
                    h = None
                    break
                print(f"conflict {oid}: {prev['person']} [{prev['start']}..{prev['end'] or 'open'}] overlaps "
                      f"{h['person']} from {h['start']}; ending {prev['person']} at {h['start']}")
                prev["end"] = h["start"]
                prev["confirmed_until"] = ""
                break
            if h is not None:
                out.append(h)
        final.extend(out)

    # ---------------- people: attributes, aliases, shorts
    used_people = {h["person"] for h in final}
    for pid, p in people.items():
        if not p["hand"] and pid not in used_people:
            continue
        attrs = p["attrs"]
        if "gender" not in attrs and pid in genders:
            attrs["gender"] = genders[pid]
        if "short" not in attrs:
            attrs["short"] = default_short(p["name"], attrs.get("country", p.get("country", "")))
        # ambiguous bare tokens -> short
        keep = []
        for al in p["aliases"]:
            if al == p["name"] or al in keep:
                continue
            if " " not in al and al.lower() in AMBIGUOUS:
                sh = attrs["short"].split("|") if attrs.get("short") else []
                if al not in sh:
                    sh.append(al)
                attrs["short"] = "|".join(sh)
                continue
            keep.append(al)
        p["aliases"] = keep
    # aliases shared by two people -> removed from both (printed)
    owners = defaultdict(set)
    names = {}
    for pid, p in people.items():
        if not p["hand"] and pid not in used_people:
            continue
        names.setdefault(p["name"].lower(), set()).add(pid)
        for al in p["aliases"]:
            owners[al.lower()].add(pid)
    for al, ps in sorted(owners.items()):
        clash = set(ps) | (names.get(al, set()))
        if len(clash) > 1:
            print(f"alias clash {al!r}: {sorted(clash)}; removed from aliases")
            for pid in ps:
                people[pid]["aliases"] = [x for x in people[pid]["aliases"] if x.lower() != al]
    for n, ps in sorted(names.items()):
        if len(ps) > 1:
            warn(f"two people share the name {n!r}: {sorted(ps)}")

    # ---------------- offices: titles
    for oid, o in offices.items():
        if o["hand"]:
            continue
        iso = o.get("iso")
        tw = o["attrs"].get("title", "")
        if iso and iso in countries and tw:
            cname = countries[iso]["name"]
            for t in tw.split("|"):
                o["titles"].append(f"{t} of {'the ' if cname in ('United States','United Kingdom') else ''}{cname}")

    # ---------------- validate and write
    used_offices = {h["office"] for h in final}
    out_people = [p for pid, p in people.items() if p["hand"] or pid in used_people]
    out_people.sort(key=lambda p: p["id"])
    ids = set()
    for p in out_people:
        if p["id"] in ids:
            die(f"duplicate person id {p['id']}")
        ids.add(p["id"])
    for h in final:
        if h["person"] not in ids:
            die(f"holder person {h['person']} missing")
        if h["office"] not in offices:
            die(f"holder office {h['office']} missing")
        if h["source"] not in SOURCES:
            die(f"bad source {h['source']}")
        for f in ("start", "end", "confirmed_until"):
            if h[f] and not DATE_RE.match(h[f]):
                die(f"bad date {h[f]} in {h}")
        if h["end"] and dkey(h["end"], True) < dkey(h["start"]):
            die(f"end before start: {h}")
    # final overlap check
    byo = defaultdict(list)
    for h in final:
        byo[h["office"]].append(h)
    for oid, hs in byo.items():
        hs.sort(key=lambda h: dkey(h["start"]))
        for x, y in zip(hs, hs[1:]):
            if dkey(x["end"], True) > dkey(y["start"]):
                die(f"unresolved overlap in {oid}: {x['person']} / {y['person']}")

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "people.tsv"), "w", encoding="utf-8") as f:
        f.write("# People (generated by gazetteer/build/build_people.py; do not edit by hand)\n")
        f.write("\t".join(ENTITY_HEADER) + "\n")
        for p in out_people:
            row = [p["id"], p["name"], "person", "|".join(p["aliases"]), fmt_attrs(p["attrs"])]
            check_fields(row, 5)
            f.write("\t".join(row) + "\n")
    out_offices = [o for oid, o in offices.items() if o["hand"] or oid in used_offices]
    out_offices.sort(key=lambda o: o["id"])
    with open(os.path.join(a.out, "offices.tsv"), "w", encoding="utf-8") as f:
        f.write("# Offices (generated by gazetteer/build/build_people.py; do not edit by hand)\n")
        f.write("\t".join(OFFICE_HEADER) + "\n")
        for o in out_offices:
            titles = []
            for t in o["titles"]:
                if t not in titles:
                    titles.append(t)
            row = [o["id"], o["jurisdiction"], o["role"], "|".join(titles), fmt_attrs(o["attrs"])]
            check_fields(row, 5)
            f.write("\t".join(row) + "\n")
    final.sort(key=lambda h: (h["office"], dkey(h["start"]), h["person"]))
    with open(os.path.join(a.out, "office_holders.tsv"), "w", encoding="utf-8") as f:
        f.write("# Office holders (generated by gazetteer/build/build_people.py; do not edit by hand)\n")
        f.write("\t".join(HOLDER_HEADER) + "\n")
        for h in final:
            row = [h["office"], h["person"], h["start"], h["end"], h["confirmed_until"], h["source"]]
            check_fields(row, 6)
            f.write("\t".join(row) + "\n")
    ng = sum(1 for p in out_people if "gender" in p["attrs"])
    print(f"people: {len(out_people)} (with gender {ng}); offices: {len(out_offices)}; holders: {len(final)}; "
          f"conflicts resolved: {conflicts}; data rows skipped: {skipped}")


def check_fields(row, n):
    if len(row) != n:
        die(f"bad row {row}")
    for x in row:
        if "\t" in x or "\n" in x:
            die(f"tab/newline in field {x!r}")


def eff_end(h):
    """End used to decide whether two records describe the same tenure: an open or low-confidence end
    counts only up to the last confirmed date, so a later return to office stays a separate tenure."""
    if h["end"] and h["conf"] in ("source", "successor"):
        return dkey(h["end"], True)
    if h["confirmed_until"]:
        cu = dkey(h["confirmed_until"], True)
        return min(cu, dkey(h["end"], True)) if h["end"] else cu
    return dkey(h["end"], True)


def merge_group(g):
    """Merge several records of one tenure (same office and person)."""
    g = sorted(g, key=lambda h: h["prec"])
    # start: strongest source with day precision, else strongest
    day = [h for h in g if len(h["start"]) == 10]
    # the Factbook's "since" dates are sometimes election or relabel dates: a day-precise hand-written
    # start (checked) is preferred to a Factbook one; pocom/congress/Wikidata starts win over both
    day.sort(key=lambda h: (h["prec"] if h["source"] != "factbook" else 3.5))
    start = (day or g)[0]["start"]
    fb = [h for h in day if h["source"] == "factbook"]
    if fb and fb[0]["start"] != start:
        print(f"start differs {g[0]['office']} {g[0]['person']}: factbook {fb[0]['start']} -> {start}")
    # a knowledge row never overrides a data start except when the data start is less precise
    certain = [h for h in g if h["end"] and h["conf"] in ("source", "successor")]
    if certain:
        best = certain[0]
        end, cu = best["end"], best["confirmed_until"] if best["conf"] not in ("source", "successor") else ""
        src = best["source"]
    else:
        ends = [h for h in g if h["end"]]
        if ends:
            best = ends[0]
            end, cu = best["end"], best["confirmed_until"]
        else:
            end = ""
            cu = max((h["confirmed_until"] for h in g), default="")
            best = g[0]
        src = best["source"]
    if not certain and any(h["source"] == "knowledge" and not h["end"] for h in g) and not end:
        cu = max((h["confirmed_until"] for h in g if h["confirmed_until"]), default="")
    # provenance: the record whose end was used; with no end, the record giving the start
    source = src if end else (day or g)[0]["source"]
    return {"office": g[0]["office"], "person": g[0]["person"], "start": start, "end": end,
            "confirmed_until": cu, "source": source, "prec": min(h["prec"] for h in g), "conf": best["conf"]}


def default_short(name, iso):
    toks = [t for t in re.split(r"\s+", name) if t]
    if not toks:
        return ""
    if iso in ("CN", "TW", "KR", "KP", "HK", "MO", "SG") and len(toks) >= 2:
        return toks[0]
    if iso in ("VN",):
        return toks[-1]
    # drop regnal numerals / suffixes
    while len(toks) > 1 and re.match(r"^(I|II|III|IV|V|VI|X|Jr\.?|Sr\.?)$", toks[-1]):
        toks = toks[:-1]
    if len(toks) == 1:
        return toks[0]
    return toks[-1]


if __name__ == "__main__":
    main()

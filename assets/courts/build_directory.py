#!/usr/bin/env python3
"""Builds assets/courts/directory.json, the court directory Recouvra embeds (CPC 1406: the court
of the debtor's domicile or seat).

Usage (from assets/courts/):
    python3 build_directory.py path/to/decoupage-administratif/data/communes.json
The communes file is that of the npm package @etalab/decoupage-administratif 6.0.0
(`npm pack @etalab/decoupage-administratif@6.0.0`, then untar). The script writes
directory.json beside itself, runs the checks below and prints the spot checks.

Sources (each court's `source` names the ones it rests on; extracts under sources/):
- sources/coj-tableau-iv.txt — Code de l'organisation judiciaire, annexe « Tableau IV » (siège et
  ressort des tribunaux judiciaires et des chambres de proximité), consolidated version exported
  by archeo-lex, copy in francois76/legifrance (code_de_l'organisation_judiciaire.md, commits
  1a28082 / 69c0e9a, pulled 9 April 2023). Every tribunal judiciaire (164: 157 in metropolitan
  France, 7 overseas — Basse-Terre, whose chambre of Saint-Martin also covers Saint-Martin and
  Saint-Barthélemy, Pointe-à-Pitre, Fort-de-France, Cayenne, Saint-Denis, Saint-Pierre,
  Mamoudzou) and, where a département has several, each one's cantons (of before 2015).
  The tribunaux de première instance (Nouméa, Papeete, Mata-Utu, Saint-Pierre-et-Miquelon) are
  not tribunaux judiciaires and are not listed.
- sources/ccom-annexe-7-1.txt — Code de commerce, annexe 7-1 (siège et ressort des tribunaux de
  commerce), copy in etalab/codes-juridiques-francais (commit 447808e, TGI era, after 2011; two
  rows missing there taken from commit 35a5d5c); names and the present list checked against the
  Cour de cassation's Judilibre list (sources/judilibre-locations.txt, from PyPI pyjudilibre
  0.14.6); tribunaux mixtes de commerce overseas (C. com. L. 732-1); the twelve TAE (loi
  n° 2023-1059 du 20 novembre 2023, art. 26; arrêté du 5 juillet 2024).
- Communes: @etalab/decoupage-administratif 6.0.0 (INSEE code, name, postal codes, former codes).
- sources/cantons-2014.txt — the cantons of 2014 (the last before the 2015 redrawing) and their
  communes: INSEE, table d'appartenance géographique des communes au 1er janvier 2014 (COG 2014),
  column CV (« canton-ville ») and its labels, copy in the GitHub repository antuki/COGugaison
  (R package; inst/extdata/nivsupra/table-appartenance-geo-communes-2014.csv and
  …_libelles.csv, commit 4e10a92), found through the stored-GitHub search of 2 December 2026
  (no package registry carries it: PyPI, npm and crates.io searched). Transcribed by hand for
  the départements of several tribunaux judiciaires (the « Départements » line of the file),
  each canton checked against its number of communes (NB_COM; a swap between two cantons of
  the same size would escape the check).

How territories are encoded
- A département with one tribunal judiciaire is given whole (`departements`). Where the table
  lists several, each court gets, commune by commune, only what the table lets us place without
  guessing: the chef-lieu of each canton it lists (the commune that bears the canton's name, still
  existing under that name in the 2025 COG; « Nice 3e Canton », « Lyon-IV », « Brest-Centre »,
  « Orléans-Bannier » give Nice, Lyon, Brest, Orléans) and the communes the table names itself
  (« et commune de … », « uniquement les communes de … »). A commune claimed by two courts is left
  out of both (none is through these claims; three are through the cantons, below). A chef-lieu that has since become the seat of a commune nouvelle
  of the same name is placed whole (41 such communes, 14 of them named by the table itself): the
  table names the communes nouvelles that straddle two ressorts, and a commune the table names
  that has since merged is placed only if every one of its former communes is named for the same
  court (Lunas and Dio-et-Valquières → Lunas-les-Châteaux, Béziers).
  Where sources/cantons-2014.txt covers the département, every commune goes with the row that
  lists its 2014 canton (place_by_canton): the canton is found by its name, or, for the numbered
  cantons of a city the table condenses (« Nice [1er à 14e Canton] »), by the city's. The 2014
  communes are brought to the 2025 ones through their former codes; a commune nouvelle whose
  former communes lie in cantons of two courts is claimed by both and left undecided, unless the
  table names it (the named communes prevail; « canton de X (à l'exception de la fraction de
  commune de Y) » keeps Y's former communes out of X's row). A commune whose canton lies in the
  ressort of a court and of one of its chambres de proximité at once goes with the court only
  (no commercial court from it). The cantons of 2014 are those of the table (renamed or
  redrawn cantons between the table's text and 2014 would show as a canton matching none: the
  build prints them; CANTON_ALIASES gives the six whose chef-lieu has since been renamed or
  merged). Not placed either: a commune the 2014 COG puts in a pseudo-canton of its own because
  it was divided between several cantons (Wattrelos, Méricourt, Lacq, Monéteau, Chamrousse,
  Jullouville, Vesly, Saint-Ovin: the table does not say which cantons), and a commune restored
  after 2014 (Culey, Saint-Lucien). Every other commune of such a département is left
  undecided: the lawyer chooses; the build prints how many, département by département
  (13 communes in all, December 2026).
- Known exceptions of whole départements, written in the court's source: airport emprises
  (Aire-sur-l'Adour in Gers → Mont-de-Marsan; Paris-Orly in Essonne → Créteil; Paris-Le Bourget
  and Roissy-Charles-de-Gaulle in Val-d'Oise → Bobigny).
- Tribunaux de commerce: the ressort of the tribunaux judiciaires (or chambres de proximité, for
  the former tribunaux d'instance) named by annexe 7-1; see sources/ccom-annexe-7-1.txt.
- Bas-Rhin, Haut-Rhin, Moselle: no tribunal de commerce; the chambre commerciale of the tribunal
  judiciaire judges commercial cases (C. com. annexe 7-1). They are not encoded as commercial
  courts (the kind is the tribunal judiciaire's): there, a commercial claim is undecided.
- TAE: 1 January 2025 – 31 December 2028, on the ressort of the tribunal de commerce of the same
  seat. That tribunal de commerce is given `valid_until: 2024-12-31`, so that the two are never
  proposed together; the format cannot say that it sits again from 1 January 2029: a directory
  issued for 2029 must list it again (without dates).
- Corsica: 2A and 2B are given whole and their communes are in the communes table, but postal
  codes 20xxx name no département for the server (`departement_of`), which leaves them undecided
  until it looks the commune up by postal code (the table holds every commune of France).
- Every court carries `seat_departement`, the département of its seat.
"""
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from datetime import date

VERSION = "2026-12-01"
TAE_DATES = ("2025-01-01", "2028-12-31")
TC_REPLACED_UNTIL = "2024-12-31"
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "sources")

COJ = ("COJ, annexe tableau IV (siège et ressort des tribunaux judiciaires ; version consolidée, "
       "copie archeo-lex d'avril 2023)")
COM = ("C. com., annexe 7-1 (siège et ressort des tribunaux de commerce) ; nom : liste Judilibre "
       "de la Cour de cassation")
TMC = ("C. com., art. L. 732-1 (tribunaux mixtes de commerce) ; ressort du tribunal judiciaire du "
       "même siège (COJ, annexe tableau IV)")
TAE = "loi n° 2023-1059 du 20 novembre 2023, art. 26 ; arrêté du 5 juillet 2024"

# Exceptions to whole départements (COJ tableau IV), shown to the lawyer in the court's source.
WHOLE_EXCEPTIONS = {
    "32": "à l'exception de l'emprise de l'aérodrome d'Aire-sur-l'Adour (tribunal judiciaire de "
          "Mont-de-Marsan)",
    "91": "à l'exception de l'emprise de l'aérodrome de Paris-Orly (tribunal judiciaire de Créteil)",
    "95": "à l'exception de l'emprise des aérodromes de Paris-Le Bourget et de "
          "Roissy-Charles-de-Gaulle (tribunal judiciaire de Bobigny)",
}
# Capitals the tables write without their accent.
SPELLING = {"Evreux": "Évreux", "Epinal": "Épinal", "Saint-Etienne": "Saint-Étienne"}
SUFFIX = re.compile(r"-(Nord|Sud|Est|Ouest|Centre|Campagne|Ville|Rural|Urbain|Rive droite|"
                    r"Rive gauche)$")


def key(s):
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("’", "'")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[\s\-']+", " ", s).strip()


def slug(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def court_name(prefix, seat):
    if seat.startswith("Le "):
        return f"{prefix} du {seat[3:]}"
    if seat.startswith("Les "):
        return f"{prefix} des {seat[4:]}"
    if key(seat)[0] in "aeiouy":
        return f"{prefix} d'{seat}"
    return f"{prefix} de {seat}"


def base_names(canton):
    """The chef-lieu names a canton name may stand for, most literal first."""
    out = [canton]
    n = re.sub(r"\s+\d+(er|e|ème)?\s+[Cc]anton.*$", "", canton)
    n = re.sub(r"-(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV)$", "", n)
    n = re.sub(r"-\d+$", "", n)
    n = re.sub(r"\s+-\s+.*$", "", n)
    while SUFFIX.search(n):
        n = SUFFIX.sub("", n)
    if n != canton:
        out.append(n)
    return out


class Communes:
    def __init__(self, path):
        data = json.load(open(path, encoding="utf-8"))
        self.all = [c for c in data if c["type"] == "commune-actuelle"]
        # Former communes (déléguées, associées) by name, and the parts of each current commune.
        self.former = defaultdict(list)
        self.parts = defaultdict(set)
        for c in data:
            if c["type"] in ("commune-deleguee", "commune-associee"):
                self.former[(c["departement"], key(c["nom"]))].append(c["chefLieu"])
                self.parts[c["chefLieu"]].add(key(c["nom"]))
        self.by_code = {c["code"]: c for c in self.all}
        # Code of a commune of an earlier COG (2014) → the current commune that holds it.
        self.current_of = {c["code"]: c["code"] for c in self.all}
        for c in self.all:
            for old in c.get("anciensCodes", []):
                self.current_of.setdefault(old, c["code"])
        for c in data:
            if c["type"] in ("commune-deleguee", "commune-associee"):
                self.current_of.setdefault(c["code"], c["chefLieu"])
        self.by_dept = defaultdict(list)
        self.by_name = defaultdict(list)
        for c in self.all:
            self.by_dept[c["departement"]].append(c)
            self.by_name[(c["departement"], key(c["nom"]))].append(c)

    def parent_of_former(self, dept, name):
        hits = self.former.get((dept, key(name)), [])
        return hits[0] if len(set(hits)) == 1 else None

    def find(self, dept, name):
        hits = self.by_name.get((dept, key(name)), [])
        return hits[0]["code"] if len(hits) == 1 else None


def parse_items(text):
    items = []
    for raw in [t.strip() for t in text.split(";") if t.strip()]:
        raw = re.sub(r"\s*\[[^\]]*\]", "", raw).strip()
        if raw.startswith("="):
            items.append(("commune", raw[1:].strip(), []))
            continue
        m = re.match(r"^(.*?)\s*\{(sauf|seulement|fraction)\s+(.*)\}$", raw)
        if m:
            names = [x.strip() for x in m.group(3).split("+")]
            items.append((m.group(2), m.group(1).strip(), names))
        else:
            items.append(("canton", raw, []))
    return items


def load_tableau_iv(communes):
    """Returns the TJs (seat → info) and the units (rows), with their communes placed."""
    tjs, units, problems = {}, [], []
    for line in open(os.path.join(SRC, "coj-tableau-iv.txt"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("|")
        if f[0] == "S":
            t = tjs.setdefault(f[2], {"depts": [], "whole": [], "seat_dept": f[1]})
            t["whole"].append(f[1])
            t["depts"].append(f[1])
        else:
            _, dept, tj, cp, items = f
            t = tjs.setdefault(tj, {"depts": [], "whole": [], "seat_dept": None})
            if dept not in t["depts"]:
                t["depts"].append(dept)
            if not cp and t["seat_dept"] is None:
                t["seat_dept"] = dept
            units.append({"dept": dept, "tj": tj, "cp": cp, "items": parse_items(items),
                          "claims": {}})
    for t in tjs.values():           # Cusset: only its chambre de Vichy has a row
        if t["seat_dept"] is None:
            t["seat_dept"] = t["depts"][0]
    # Prefix rule: « Orléans-Bannier », « Orléans-Carmes » … stand for Orléans when at least two
    # cantons of the same court share the prefix and it names a commune — not when the rest goes
    # on like a longer commune name (« La Haye-du-Puits » and « La Haye-Pesnel » are two towns).
    particle = re.compile(r"^(du|de|des|le|la|les|sur|sous|en|lès|lez|et|aux|au|d'|l')[-' ]")
    prefix_count = defaultdict(set)
    for u in units:
        for kind, name, _ in u["items"]:
            if kind in ("canton", "sauf"):
                parts = name.split("-")
                for i in range(1, len(parts)):
                    if not particle.match("-".join(parts[i:]) + "-"):
                        prefix_count[(u["dept"], u["tj"], "-".join(parts[:i]))].add(name)
    # A commune the table names that has since merged into a commune nouvelle: the new commune
    # is placed only if every one of its former communes is named for the same court.
    named_former = defaultdict(set)
    for u in units:
        for kind, name, _ in u["items"]:
            if kind == "commune" and not communes.find(u["dept"], name):
                parent = communes.parent_of_former(u["dept"], name)
                if parent:
                    named_former[(u["tj"], parent)].add(key(name))
    for u in units:
        for kind, name, names in u["items"]:
            if kind == "commune":
                code = communes.find(u["dept"], name)
                if code:
                    u["claims"][code] = "named"
                    continue
                parent = communes.parent_of_former(u["dept"], name)
                if parent and named_former[(u["tj"], parent)] >= communes.parts[parent]:
                    u["claims"][parent] = "named"
                    problems.append(f"{u['dept']} {u['tj']}: « {name} » is now part of "
                                    f"{communes.by_code[parent]['nom']} ({parent}), all of whose "
                                    f"former communes the table names for this court: placed")
                else:
                    problems.append(f"{u['dept']} {u['tj']}: commune « {name} » not found")
            elif kind == "seulement":
                for n in names:
                    code = communes.find(u["dept"], n)
                    if code:
                        u["claims"][code] = "named"
                    else:
                        problems.append(f"{u['dept']} {u['tj']}: commune « {n} » not found")
            elif kind == "fraction":
                code = communes.find(u["dept"], names[0])
                if code:
                    u["claims"].setdefault(code, "fraction")
            else:                      # canton (possibly with exceptions)
                excluded = {key(n) for n in names}
                code = None
                for cand in base_names(name):
                    code = communes.find(u["dept"], cand)
                    if code:
                        break
                if not code:
                    parts = name.split("-")
                    for i in range(len(parts) - 1, 0, -1):
                        p = "-".join(parts[:i])
                        if len(prefix_count[(u["dept"], u["tj"], p)]) >= 2:
                            code = communes.find(u["dept"], p)
                            if code:
                                break
                if code and key(communes.by_code[code]["nom"]) not in excluded:
                    u["claims"].setdefault(code, "chef-lieu")
    place_by_canton(communes, units, problems)
    return tjs, units, problems


def item_bases(name):
    """What a canton of the table may be called in the 2014 COG when not by its own name: its
    chef-lieu (« Nice [1er à 14e Canton] », « Quimper ») or a prefix (« Brest-Centre » → Brest)."""
    out = base_names(name)[1:]
    parts = name.split("-")
    out += ["-".join(parts[:i]) for i in range(1, len(parts))]
    return out


def load_cantons_2014():
    """sources/cantons-2014.txt: [(dept, cv code, label, [INSEE codes of 2014])]."""
    out = []
    path = os.path.join(SRC, "cantons-2014.txt")
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cv, label, codes = line.rstrip("\n").split("|")
        out.append((cv.lstrip("?")[:-2], cv, label, codes.split()))
    return out


CANTON_DEPTS = set()     # the départements sources/cantons-2014.txt covers
# 2014 cantons named otherwise by the table: their chef-lieu has since taken another name.
CANTON_ALIASES = {
    ("35", "Hédé-Bazouges"): "Hédé",   # Hédé and Bazouges-sous-Hédé merged in 2008
    ("42", "Boën-sur-Lignon"): "Boën",  # Boën renamed Boën-sur-Lignon
    ("49", "Baugé-en-Anjou"): "Baugé",  # commune nouvelle of 2013
    ("49", "Chemillé-Melay"): "Chemillé",  # Chemillé and Melay merged in 2013
    ("69", "Thizy-les-Bourgs"): "Thizy",  # commune nouvelle of 2013 (Thizy, Bourg-de-Thizy…)
    ("74", "Reignier-Ésery"): "Reignier",  # Reignier and Ésery merged in 2013
}


def place_by_canton(communes, units, problems):
    """Each commune of the 2014 cantons (sources/cantons-2014.txt) goes with the unit whose row
    lists its canton. A canton is found by its name (« (Partiel) » dropped), else by the name of
    its chef-lieu among the table's cantons (« Nice 13e Canton », « Quimper 2e Canton »: the table
    condenses the numbered cantons of a city). « Name {sauf X} »: the communes now part of X are
    not taken (the table names X elsewhere). A current commune is claimed by every unit one of its
    2014 communes falls into (two courts: contested, left out; main() lets the communes the table
    names prevail); one with a 2014 commune in a canton the table does not list is not placed."""
    cantons = load_cantons_2014()
    depts = {d for d, _, _, _ in cantons}
    CANTON_DEPTS.update(depts)
    exact, by_base = defaultdict(list), defaultdict(list)
    for i, u in enumerate(units):
        if u["dept"] not in depts:
            continue
        for kind, name, names in u["items"]:
            if kind not in ("canton", "sauf"):
                continue
            excluded = {key(n) for n in names} if kind == "sauf" else set()
            exact[(u["dept"], key(name))].append((i, excluded))
            for b in item_bases(name):
                by_base[(u["dept"], key(b))].append((i, excluded))
    hits_of, unknown = defaultdict(set), set()
    for dept, cv, label, codes in cantons:
        name = re.sub(r"\s*\(Partiel\)$", "", label)
        name = re.sub(r"\s+", " ", name.replace("(", "").replace(")", "")).strip()
        name = CANTON_ALIASES.get((dept, name), name)
        hits = None if cv.startswith("?") else exact.get((dept, key(name)))
        if not hits and not cv.startswith("?"):
            for b in base_names(name):
                hits = exact.get((dept, key(b))) or by_base.get((dept, key(b)))
                if hits:
                    break
        for old in codes:
            cur = communes.current_of.get(old)
            if cur is None:
                problems.append(f"{dept}: commune {old} of the 2014 canton {cv} {label} is in no "
                                f"current commune")
                continue
            if not hits:
                unknown.add(cur)
                continue
            for i, excluded in hits:
                if key(communes.by_code[cur]["nom"]) not in excluded:
                    hits_of[cur].add(i)
        if cv.startswith("?"):
            problems.append(f"{dept}: 2014 canton {cv[1:]} « {label} » not checked (see "
                            f"sources/cantons-2014.txt): its communes are not placed")
        elif not hits:
            problems.append(f"{dept}: 2014 canton {cv} « {label} » ({len(codes)} communes) matches "
                            f"no canton of the table: its communes are not placed")
    for cur, idx in hits_of.items():
        if cur in unknown:
            continue
        for i in idx:
            units[i]["claims"].setdefault(cur, "canton")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    communes = Communes(sys.argv[1])
    tjs, units, problems = load_tableau_iv(communes)

    # Who claims what (commune → set of TJ); a commune claimed by two TJs is undecided.
    # The communes the table names prevail over those found through their canton (a commune
    # nouvelle the table names for one court, whose former communes lie in cantons of two).
    named = {c for u in units for c, how in u["claims"].items() if how == "named"}
    for u in units:
        for c in [c for c, how in u["claims"].items() if c in named and how != "named"]:
            del u["claims"][c]
    claims = defaultdict(set)
    unit_claims = defaultdict(set)
    for i, u in enumerate(units):
        if u["dept"] in tjs[u["tj"]]["whole"]:
            continue
        for code in u["claims"]:
            claims[code].add(u["tj"])
            unit_claims[code].add(i)
    contested = {c for c, s in claims.items() if len(s) > 1}
    placed = {c: next(iter(s)) for c, s in claims.items() if len(s) == 1}
    # A commune two rows of one court claim (its 2014 communes in cantons of the court's own
    # ressort and of one of its chambres de proximité) goes with the court, with neither row.
    for i, u in enumerate(units):
        for c in [c for c in u["claims"] if len(unit_claims[c]) > 1
                  and u["dept"] not in tjs[u["tj"]]["whole"]]:
            del u["claims"][c]
    # Collectivités of one commune listed under one court (977, 978) are whole.
    for u in units:
        t = tjs[u["tj"]]
        if u["dept"] in ("977", "978") and u["dept"] not in t["whole"]:
            t["whole"].append(u["dept"])

    def unit_communes(u):
        return {c for c in u["claims"] if c not in contested
                and (u["dept"] in tjs[u["tj"]]["whole"] or placed.get(c) == u["tj"])}

    def tj_communes(tj):
        return sorted(c for c, t in placed.items()
                      if t == tj and communes.by_code[c]["departement"] not in tjs[tj]["whole"])

    courts, by_id = [], {}

    def add(c):
        assert c["id"] not in by_id, c["id"]
        by_id[c["id"]] = c
        courts.append(c)

    tj_id = {}
    for seat, t in tjs.items():
        shown = SPELLING.get(seat, seat)
        cid = "tj-" + slug(seat)
        tj_id[seat] = cid
        source = COJ
        whole = [d for d in t["whole"] if d in WHOLE_EXCEPTIONS]
        if whole:
            source += " : le département, " + WHOLE_EXCEPTIONS[whole[0]]
        elif tj_communes(seat) and set(t["depts"]) <= CANTON_DEPTS:
            source += (" : communes des cantons du ressort (cantons de 2014 : INSEE, table "
                       "d'appartenance géographique des communes 2014) et communes nommées par le "
                       "tableau")
        elif tj_communes(seat):
            source += (" : communes chefs-lieux des cantons du ressort et communes nommées par le "
                       "tableau")
        add({"id": cid, "kind": "judicial_court",
             "name": court_name("Tribunal judiciaire", shown), "seat": shown,
             "seat_departement": t["seat_dept"],
             "departements": sorted(t["whole"], key=dept_order),
             "communes": tj_communes(seat),
             "valid_from": None, "valid_until": None, "source": source})

    # Commercial courts.
    rows = [l.rstrip("\n").split("|") for l in open(os.path.join(SRC, "ccom-annexe-7-1.txt"),
                                                    encoding="utf-8")
            if l.strip() and not l.startswith("#")]
    replaced = {r[5][1:] for r in rows if r[0] == "TAE"}
    for kind, cid, name, seat, seat_dept, terr, note in rows:
        if kind == "TAE":
            base = by_id[terr[1:]]
            add({"id": cid, "kind": "economic_activities_court", "name": name, "seat": seat,
                 "seat_departement": seat_dept, "departements": list(base["departements"]),
                 "communes": list(base["communes"]), "valid_from": TAE_DATES[0],
                 "valid_until": TAE_DATES[1], "source": TAE + " ; ressort du " +
                 lower_first(base["name"]) + " (" + COM + ")"})
            continue
        depts, codes = set(), set()
        for part in [p.strip() for p in terr.split(";")]:
            tag, _, arg = part.partition(":")
            if tag == "TJ":
                depts |= set(tjs[arg]["whole"])
                codes |= set(tj_communes(arg))
            elif tag in ("OWN", "CP"):
                tj, _, cp = arg.partition("/") if tag == "CP" else (arg, "", "")
                us = [u for u in units if u["tj"] == tj and u["cp"] == cp]
                assert us, part
                for u in us:
                    codes |= unit_communes(u)
            elif tag in ("+C", "-C"):
                dept, _, names = arg.partition(":")
                found = {communes.find(dept, n) for n in names.split(",")}
                if None in found:
                    problems.append(f"{cid}: a chef-lieu of {names} not found")
                found = {c for c in found if c in placed}
                codes = codes | found if tag == "+C" else codes - found
            else:
                raise SystemExit(f"{cid}: unknown territory {part}")
        source = TMC if kind == "TMC" else COM
        add({"id": cid, "kind": "commercial_court", "name": name, "seat": seat,
             "seat_departement": seat_dept, "departements": sorted(depts, key=dept_order),
             "communes": sorted(codes), "valid_from": None,
             "valid_until": TC_REPLACED_UNTIL if cid in replaced else None,
             "source": source + (" ; remplacé du 1er janvier 2025 au 31 décembre 2028 par le "
                                 "tribunal des activités économiques du même siège"
                                 if cid in replaced else "")})

    # The communes table: every current commune of France (34 969 in the 2025 COG). The server
    # needs those of the départements given commune by commune (postal code → commune); the others
    # cost about 1 MB and let it tell the département from the commune rather than from the postal
    # code, which is wrong for Corsica (20xxx) and for the communes served by a post office of
    # another département (e.g. Claret, Alpes-de-Haute-Provence, 05110; Paray-Vieille-Poste,
    # Essonne, 94390): a commune of another département sharing the postal code is then found by
    # its name and left undecided instead of being given the court of the postal code's
    # département.
    table = [{"insee": c["code"], "name": c["nom"], "postal_codes": c.get("codesPostaux", [])}
             for c in sorted(communes.all, key=lambda c: c["code"])]

    out = {
        "version": VERSION,
        "source": "COJ annexe tableau IV (version consolidée, copie archeo-lex d'avril 2023) ; "
                  "C. com. annexe 7-1 (copie etalab, état postérieur à 2011) et liste Judilibre "
                  "des juridictions (pyjudilibre 0.14.6) ; C. com. art. L. 732-1 ; loi "
                  "n° 2023-1059 art. 26 et arrêté du 5 juillet 2024 (TAE) ; communes : "
                  "@etalab/decoupage-administratif 6.0.0 ; cantons de 2014 : INSEE, table "
                  "d'appartenance géographique des communes 2014 (copie antuki/COGugaison)",
        "courts": courts,
        "communes": table,
    }
    check(out)
    write(out, os.path.join(HERE, "directory.json"))
    report(out, tjs, contested, placed, problems, communes)


def dept_order(d):
    return (len(d), d)


def lower_first(s):
    return s[:1].lower() + s[1:]


def write(out, path):
    """One court, one commune per line: small, and diffs stay readable."""
    dump = lambda v: json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    lines = ["{", f'"version":{dump(out["version"])},', f'"source":{dump(out["source"])},',
             '"courts":[']
    lines.append(",\n".join(dump(c) for c in out["courts"]))
    lines.append('],\n"communes":[')
    lines.append(",\n".join(dump(c) for c in out["communes"]))
    lines.append("]}")
    open(path, "w", encoding="utf-8").write("\n".join(lines) + "\n")


# --- The server's checks (CourtDirectory::check, src/domain/legal/courts.rs), replicated -----

KINDS = {"judicial_court", "commercial_court", "economic_activities_court"}
COMMERCIAL = {"commercial_court", "economic_activities_court"}


def city_key(s):
    """Like names::city_key: compared without case, accents or punctuation."""
    return re.sub(r"[^a-z0-9]", "", key(s))


def is_departement(d):
    return (d in ("2A", "2B") or (len(d) == 2 and d.isdigit() and d not in ("20", "00"))
            or (len(d) == 3 and d[:2] in ("97", "98") and d.isdigit()))


def is_insee(c):
    return len(c) == 5 and c.isascii() and (c.isdigit() or (c[:2] in ("2A", "2B")
                                                             and c[2:].isdigit()))


def exists_on(c, day):
    return ((c["valid_from"] is None or c["valid_from"] <= day)
            and (c["valid_until"] is None or day <= c["valid_until"]))


def check(out):
    errors = []
    ids, names = set(), set()
    for c in out["courts"]:
        if not (c["id"].strip() and c["name"].strip() and c["seat"].strip()):
            errors.append(f"{c['id']}: id, name and seat required")
        if c["id"] in ids:
            errors.append(f"court id {c['id']} twice")
        ids.add(c["id"])
        if city_key(c["name"]) in names:
            errors.append(f"court {c['name']} twice")
        names.add(city_key(c["name"]))
        if c["kind"] not in KINDS:
            errors.append(f"{c['id']}: kind {c['kind']}")
        errors += [f"{c['id']}: {d} not a département" for d in c["departements"]
                   if not is_departement(d)]
        errors += [f"{c['id']}: {x} not INSEE" for x in c["communes"] if not is_insee(x)]
        if not is_departement(c["seat_departement"]):
            errors.append(f"{c['id']}: seat_departement {c['seat_departement']}")
        if c["valid_from"] and c["valid_until"] and c["valid_until"] < c["valid_from"]:
            errors.append(f"{c['id']}: ends before it starts")
    errors += [f"commune {m['insee']} malformed" for m in out["communes"]
               if not is_insee(m["insee"]) or not m["name"].strip()]
    known = {m["insee"] for m in out["communes"]}
    errors += [f"{c['id']}: commune {x} not in the communes table" for c in out["courts"]
               for x in c["communes"] if x not in known]
    # No place covered twice by courts of the same nature existing on the same day.
    for day in ("2024-12-31", "2026-12-01", "2030-01-01"):
        for nature in (("judicial_court",), tuple(COMMERCIAL)):
            seen_d, seen_c = {}, {}
            for c in out["courts"]:
                if c["kind"] not in nature or not exists_on(c, day):
                    continue
                for d in c["departements"]:
                    if d in seen_d:
                        errors.append(f"{day}: département {d} in {seen_d[d]} and {c['id']}")
                    seen_d[d] = c["id"]
                for x in c["communes"]:
                    if x in seen_c:
                        errors.append(f"{day}: commune {x} in {seen_c[x]} and {c['id']}")
                    seen_c[x] = c["id"]
                    if x[:3] in seen_d or x[:2] in seen_d:
                        errors.append(f"{day}: commune {x} of {c['id']} in a whole département")
    if errors:
        sys.exit("directory.json fails its checks:\n" + "\n".join(errors[:50]))


# --- resolve(), replicated from src/domain/legal/courts.rs, for the spot checks --------------

def departement_of(p):
    p = p.strip()
    if len(p) != 5 or not p.isdigit() or p[:2] == "20":
        return None
    return p[:3] if p[:2] in ("97", "98") else p[:2]


_POSTAL = {}
_DEPTS = {}


def _commune_depts(c):
    """The département prefixes (2 and 3 characters) of a court's communes, as code_in() sees them."""
    if c["id"] not in _DEPTS:
        _DEPTS[c["id"]] = {x[:2] for x in c["communes"]} | {x[:3] for x in c["communes"]}
    return _DEPTS[c["id"]]


def resolve(out, nature, postal_code, city, day):
    courts = [c for c in out["courts"] if exists_on(c, day)
              and ((c["kind"] == "judicial_court") if nature == "civil"
                   else c["kind"] in COMMERCIAL)]
    dept = departement_of(postal_code)
    if dept is None:
        return None, courts, "département inconnu"
    whole = [c for c in courts if dept in c["departements"]]
    if len(whole) == 1:
        return whole[0], [], f"département {dept} en entier"
    if len(whole) > 1:
        return None, whole, "plusieurs ressorts"
    index = _POSTAL.get(id(out))
    if index is None:
        index = _POSTAL[id(out)] = defaultdict(list)
        for m in out["communes"]:
            for p in m["postal_codes"]:
                index[p].append(m)
    by_code = index.get(postal_code.strip(), [])
    by_name = [m for m in by_code if city_key(m["name"]) == city_key(city)]
    found = by_name or by_code
    in_dept = [c for c in courts if dept in _commune_depts(c)]
    if len(found) != 1:
        return None, in_dept or courts, f"{len(found)} communes pour ce code postal"
    covering = [c for c in in_dept if found[0]["insee"] in c["communes"]]
    if len(covering) == 1:
        return covering[0], [], f"commune {found[0]['name']} ({found[0]['insee']})"
    return None, covering or in_dept or courts, f"commune {found[0]['name']} non rattachée"


SPOT = [("33000", "Bordeaux"), ("59000", "Lille"), ("69100", "Villeurbanne"),
        ("92100", "Boulogne-Billancourt"), ("94000", "Créteil"), ("20000", "Ajaccio"),
        ("97200", "Fort-de-France"), ("13001", "Marseille"), ("13100", "Aix-en-Provence"),
        ("35000", "Rennes"), ("67000", "Strasbourg")]


def report(out, tjs, contested, placed, problems, communes):
    courts = out["courts"]
    count = lambda k: sum(1 for c in courts if c["kind"] == k)
    whole_tj = sorted({d for c in courts if c["kind"] == "judicial_court"
                       for d in c["departements"]}, key=dept_order)
    detailed = sorted({x[:3] if x.startswith("97") else x[:2] for c in courts
                       if c["kind"] == "judicial_court" for x in c["communes"]}, key=dept_order)
    n_placed = sum(len(c["communes"]) for c in courts if c["kind"] == "judicial_court")
    n_left = sum(len(communes.by_dept[d]) for d in detailed) - n_placed
    print(f"{count('judicial_court')} tribunaux judiciaires, {count('commercial_court')} "
          f"tribunaux de commerce (incl. mixtes), {count('economic_activities_court')} TAE; "
          f"{len(out['communes'])} communes in the table")
    print(f"civil: {len(whole_tj)} départements/collectivités decided whole: {' '.join(whole_tj)}")
    print(f"civil: {len(detailed)} départements by commune ({n_placed} communes placed, "
          f"{n_left} left undecided): {' '.join(detailed)}")
    pop = lambda codes: sum(communes.by_code[c].get("population", 0) for c in codes)
    tot = pop(c["code"] for d in detailed for c in communes.by_dept[d])
    got = pop(x for c in courts if c["kind"] == "judicial_court" for x in c["communes"])
    print(f"civil: in those départements the placed communes hold {got} of {tot} inhabitants "
          f"({100 * got / tot:.0f} %)")
    print(f"contested communes (left out): {len(contested)}"
          + "".join(f"; {communes.by_code[c]['nom']} ({c})" for c in sorted(contested)))
    # Undecided communes, département by département (communes the civil directory leaves to
    # the lawyer): they must add up with the placed ones to the département's communes.
    tj_placed = {x for c in courts if c["kind"] == "judicial_court" for x in c["communes"]}
    row = []
    for d in detailed:
        codes = {c["code"] for c in communes.by_dept[d]}
        left = len(codes - tj_placed)
        assert left + len(codes & tj_placed) == len(codes)
        row.append(f"{d} {left}/{len(codes)}")
    assert sum(int(r.split()[1].split("/")[0]) for r in row) == n_left, "undecided count"
    print("civil: undecided communes by département (undecided/communes): " + ", ".join(row))
    # Communes whose postal code starts with another département's number: resolve() as it is
    # takes the département from the postal code and may name a court without competence.
    for nature in ("civil", "commercial"):
        wrong = []
        for c in communes.all:
            for p in c.get("codesPostaux", []):
                court, _, _ = resolve(out, nature, p, c["nom"], "2026-12-01")
                if court and c["departement"] not in court["departements"] \
                        and c["code"] not in court["communes"]:
                    wrong.append(f"{c['nom']} ({c['code']}, {p} → {court['name']})")
        print(f"{nature}: {len(wrong)} communes given a court of another département by their "
              f"postal code: {'; '.join(wrong)}")
    for p in problems:
        print("problem:", p)
    for day in ("2026-12-01",):
        for p, town in SPOT:
            for nature in ("civil", "commercial"):
                court, cands, why = resolve(out, nature, p, town, day)
                shown = court["name"] if court else (
                    "undecided: " + ", ".join(c["name"] for c in cands[:4])
                    + (f" … ({len(cands)})" if len(cands) > 4 else ""))
                print(f"{day} {nature:10} {p} {town:22} → {shown}  [{why}]")


if __name__ == "__main__":
    main()

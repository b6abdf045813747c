#!/usr/bin/env python3
"""Builds assets/courts/directory.json, the court directory Recouvra embeds.

Usage: python3 build_directory.py path/to/decoupage-administratif/data/communes.json

What it encodes, and from where (read on 1 December 2026):
- Territories of the tribunaux judiciaires: Code de l'organisation judiciaire, annexe
  « Tableau IV » (siège et ressort des tribunaux judiciaires et des chambres de proximité),
  version consolidée (Légifrance copy). A département is given whole where that table lists one
  tribunal judiciaire only for it (its other rows being chambres de proximité of that court).
  Where it lists several, the table describes each ressort by cantons (of before 2015); we keep
  only the communes that are the seat (chef-lieu) of a listed canton and still exist under the
  same name (INSEE code from @etalab/decoupage-administratif 6.0.0). Every other commune of such
  a département is left undecided: the lawyer chooses.
- Commercial courts: C. com. annexe 7-1 (siège et ressort des tribunaux de commerce): each
  ressort below is « ressort du tribunal judiciaire de X » there, so it takes X's territory.
- Tribunaux des activités économiques: loi n° 2023-1059 du 20 novembre 2023, art. 26, and the
  arrêté of 5 July 2024 naming the twelve tribunaux de commerce (Avignon, Auxerre, Le Havre,
  Le Mans, Limoges, Lyon, Marseille, Nancy, Nanterre, Paris, Saint-Brieuc, Versailles) that are
  TAE from 1 January 2025 to 31 December 2028, on the ressort of the court they replace.
- Courts listed with a seat only (no territory): they can be chosen by the lawyer but are never
  proposed by the directory.
"""
import json
import sys
import unicodedata

VERSION = "2026-12-01"
TAE = ("2025-01-01", "2028-12-31")

# Rhône, COJ tableau IV: the cantons of each tribunal judiciaire, by their chef-lieu.
RHONE = {
    "tj-lyon": [
        "Caluire-et-Cuire", "Condrieu", "Écully", "Givors", "Irigny", "L'Arbresle", "Limonest",
        "Lyon", "Mornant", "Neuville-sur-Saône", "Oullins", "Rillieux-la-Pape",
        "Sainte-Foy-lès-Lyon", "Saint-Genis-Laval", "Saint-Laurent-de-Chamousset",
        "Saint-Symphorien-sur-Coise", "Tassin-la-Demi-Lune", "Vaugneray",
        # chambre de proximité de Villeurbanne
        "Bron", "Décines-Charpieu", "Meyzieu", "Saint-Fons", "Saint-Priest",
        "Saint-Symphorien-d'Ozon", "Vaulx-en-Velin", "Vénissieux", "Villeurbanne",
    ],
    "tj-villefranche-sur-saone": [
        "Amplepuis", "Anse", "Beaujeu", "Belleville", "Gleizé", "Lamure-sur-Azergues",
        "Le Bois-d'Oingt", "Monsols", "Tarare", "Thizy", "Villefranche-sur-Saône",
    ],
}

COJ = "COJ, annexe tableau IV (siège et ressort des tribunaux judiciaires)"
COM = "C. com., annexe 7-1 (siège et ressort des tribunaux de commerce)"
TAE_SRC = "loi n° 2023-1059 du 20 novembre 2023, art. 26 ; arrêté du 5 juillet 2024"


def court(cid, kind, name, seat, departements=(), communes=(), source=COJ, valid=(None, None)):
    return {
        "id": cid, "kind": kind, "name": name, "seat": seat,
        "departements": list(departements), "communes": list(communes),
        "valid_from": valid[0], "valid_until": valid[1], "source": source,
    }


def main():
    communes = json.load(open(sys.argv[1], encoding="utf-8"))
    rhone = {c["nom"]: c for c in communes
             if c.get("departement") == "69" and c["type"] == "commune-actuelle"}
    territory, missing = {}, []
    for cid, names in RHONE.items():
        codes = []
        for n in names:
            if n in rhone:
                codes.append(rhone[n]["code"])
            else:
                missing.append(n)
        territory[cid] = sorted(codes)
    courts = [
        # Départements with one tribunal judiciaire (COJ tableau IV).
        court("tj-paris", "judicial_court", "Tribunal judiciaire de Paris", "Paris", ["75"]),
        court("tj-nanterre", "judicial_court", "Tribunal judiciaire de Nanterre", "Nanterre", ["92"]),
        court("tj-versailles", "judicial_court", "Tribunal judiciaire de Versailles", "Versailles", ["78"]),
        court("tj-pontoise", "judicial_court", "Tribunal judiciaire de Pontoise", "Pontoise", ["95"]),
        court("tj-evry-courcouronnes", "judicial_court", "Tribunal judiciaire d'Évry-Courcouronnes",
              "Évry-Courcouronnes", ["91"]),
        court("tj-bobigny", "judicial_court", "Tribunal judiciaire de Bobigny", "Bobigny", ["93"]),
        court("tj-limoges", "judicial_court", "Tribunal judiciaire de Limoges", "Limoges", ["87"]),
        court("tj-dijon", "judicial_court", "Tribunal judiciaire de Dijon", "Dijon", ["21"]),
        # Rhône: two tribunaux judiciaires, communes as sourced above.
        court("tj-lyon", "judicial_court", "Tribunal judiciaire de Lyon", "Lyon",
              communes=territory["tj-lyon"]),
        court("tj-villefranche-sur-saone", "judicial_court",
              "Tribunal judiciaire de Villefranche-sur-Saône", "Villefranche-sur-Saône",
              communes=territory["tj-villefranche-sur-saone"]),
        # Seats only (territory not encoded yet).
        court("tj-creteil", "judicial_court", "Tribunal judiciaire de Créteil", "Créteil"),
        court("tj-avignon", "judicial_court", "Tribunal judiciaire d'Avignon", "Avignon"),
        court("tj-carpentras", "judicial_court", "Tribunal judiciaire de Carpentras", "Carpentras"),
        court("tj-auxerre", "judicial_court", "Tribunal judiciaire d'Auxerre", "Auxerre"),
        court("tj-sens", "judicial_court", "Tribunal judiciaire de Sens", "Sens"),
        court("tj-le-havre", "judicial_court", "Tribunal judiciaire du Havre", "Le Havre"),
        court("tj-rouen", "judicial_court", "Tribunal judiciaire de Rouen", "Rouen"),
        court("tj-dieppe", "judicial_court", "Tribunal judiciaire de Dieppe", "Dieppe"),
        court("tj-le-mans", "judicial_court", "Tribunal judiciaire du Mans", "Le Mans"),
        court("tj-marseille", "judicial_court", "Tribunal judiciaire de Marseille", "Marseille"),
        court("tj-nancy", "judicial_court", "Tribunal judiciaire de Nancy", "Nancy"),
        court("tj-val-de-briey", "judicial_court", "Tribunal judiciaire de Val de Briey", "Val de Briey"),
        court("tj-saint-brieuc", "judicial_court", "Tribunal judiciaire de Saint-Brieuc", "Saint-Brieuc"),
        court("tj-meaux", "judicial_court", "Tribunal judiciaire de Meaux", "Meaux"),
        court("tj-melun", "judicial_court", "Tribunal judiciaire de Melun", "Melun"),
        court("tj-fontainebleau", "judicial_court", "Tribunal judiciaire de Fontainebleau", "Fontainebleau"),
        # Commercial courts (annexe 7-1: ressort of the tribunal judiciaire of the same place).
        court("tc-dijon", "commercial_court", "Tribunal de commerce de Dijon", "Dijon", ["21"], source=COM),
        court("tc-pontoise", "commercial_court", "Tribunal de commerce de Pontoise", "Pontoise", ["95"], source=COM),
        court("tc-evry", "commercial_court", "Tribunal de commerce d'Évry", "Évry-Courcouronnes", ["91"], source=COM),
        court("tc-bobigny", "commercial_court", "Tribunal de commerce de Bobigny", "Bobigny", ["93"], source=COM),
        court("tc-villefranche-sur-saone", "commercial_court",
              "Tribunal de commerce de Villefranche-sur-Saône", "Villefranche-sur-Saône",
              communes=territory["tj-villefranche-sur-saone"], source=COM),
        court("tc-creteil", "commercial_court", "Tribunal de commerce de Créteil", "Créteil", source=COM),
        court("tc-meaux", "commercial_court", "Tribunal de commerce de Meaux", "Meaux", source=COM),
        court("tc-melun", "commercial_court", "Tribunal de commerce de Melun", "Melun", source=COM),
        # The twelve TAE, 2025–2028, on the ressort of the commercial court they replace.
        court("tae-paris", "economic_activities_court", "Tribunal des activités économiques de Paris",
              "Paris", ["75"], source=TAE_SRC + " ; " + COM, valid=TAE),
        court("tae-nanterre", "economic_activities_court",
              "Tribunal des activités économiques de Nanterre", "Nanterre", ["92"],
              source=TAE_SRC + " ; " + COM, valid=TAE),
        court("tae-versailles", "economic_activities_court",
              "Tribunal des activités économiques de Versailles", "Versailles", ["78"],
              source=TAE_SRC + " ; " + COM, valid=TAE),
        court("tae-limoges", "economic_activities_court",
              "Tribunal des activités économiques de Limoges", "Limoges", ["87"],
              source=TAE_SRC + " ; " + COM, valid=TAE),
        court("tae-lyon", "economic_activities_court", "Tribunal des activités économiques de Lyon",
              "Lyon", communes=territory["tj-lyon"], source=TAE_SRC + " ; " + COM, valid=TAE),
    ]
    for seat, name in [("Avignon", "d'Avignon"), ("Auxerre", "d'Auxerre"), ("Le Havre", "du Havre"),
                       ("Le Mans", "du Mans"), ("Marseille", "de Marseille"), ("Nancy", "de Nancy"),
                       ("Saint-Brieuc", "de Saint-Brieuc")]:
        slug = unicodedata.normalize("NFKD", seat).encode("ascii", "ignore").decode().lower().replace(" ", "-")
        courts.append(court("tae-" + slug, "economic_activities_court",
                            "Tribunal des activités économiques " + name, seat,
                            source=TAE_SRC, valid=TAE))
    listed = sorted({code for c in courts for code in c["communes"]})
    table = [{"insee": c["code"], "name": c["nom"], "postal_codes": c["codesPostaux"]}
             for c in sorted(rhone.values(), key=lambda c: c["code"])]
    out = {
        "version": VERSION,
        "source": "COJ annexe tableau IV et C. com. annexe 7-1 (versions consolidées lues le "
                  "1er décembre 2026) ; loi n° 2023-1059 art. 26 et arrêté du 5 juillet 2024 "
                  "(TAE) ; communes : @etalab/decoupage-administratif 6.0.0",
        "courts": courts,
        # The communes of the départements whose territories are given commune by commune,
        # so that a postal code can be turned into communes.
        "communes": table,
    }
    json.dump(out, open("directory.json", "w", encoding="utf-8"), ensure_ascii=False, indent=1)
    print(f"{len(courts)} courts, {len(listed)} communes placed, {len(table)} communes known;"
          f" not found (merged or renamed): {', '.join(missing)}")


if __name__ == "__main__":
    main()

"""Generate realistic experience sheets in the `crpv-experience/1` format, for benchmarks and demos.

    .venv/bin/python bench/generate_sheets.py -n 1000 --seed 42 -o /tmp/sheets.json
    .venv/bin/python bench/generate_sheets.py -n 1000 --format csv -o /tmp/sheets.csv   # needs Django settings

Random but seeded: the same seed gives the same file. Sheets spread over the 18 reference centres,
with territories of the centre's region (real INSEE commune codes, QPV codes of both lists), the
managed vocabularies, funders with and without amounts, HTML sections of plausible French prose,
and the awkward characters a CSV must survive (« ; », quotes, line breaks, accents).
"""

import argparse
import json
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TERMS = json.loads((ROOT / "resources/taxonomy/data/terms.json").read_text(encoding="utf-8"))
TERRITORIES = json.loads((ROOT / "resources/taxonomy/data/territories.json").read_text(encoding="utf-8"))
REGION_OF = {code: region for code, _name, region in TERRITORIES["departements"]}

# Départements each centre works in, and a few real communes of each (INSEE code, name).
CENTRE_DEPARTEMENTS = {
    "ville-caraibe": ["972"],
    "guadeloupe-saint-martin": ["971"],
    "crpv-guyane": ["973"],
    "cdr-mayotte": ["976"],
    "cr-csur": ["974"],
    "labo-cites": ["69", "38", "42", "63", "26"],
    "irev": ["59", "62", "80", "02", "60"],
    "profession-banlieue": ["93"],
    "pole-ressources-95": ["95"],
    "crpve-91": ["91"],
    "villes-au-carre": ["45", "37", "18", "28", "41"],
    "resovilles": ["35", "29", "56", "22", "44", "49", "72"],
    "oriv": ["67", "57", "68", "51", "54"],
    "trajectoire-ressources": ["21", "25", "71", "90"],
    "villes-et-territoires": ["31", "34", "30", "66"],
    "pqn-a": ["33", "86", "87", "64", "17"],
    "crpv-paca": ["13", "06", "83", "84"],
    "crpv-paris": ["75"],
}
COMMUNES = {
    "69": [("69123", "Lyon"), ("69266", "Villeurbanne"), ("69259", "Vénissieux"), ("69256", "Vaulx-en-Velin")],
    "38": [("38185", "Grenoble"), ("38151", "Échirolles"), ("38421", "Saint-Martin-d'Hères")],
    "42": [("42218", "Saint-Étienne"), ("42187", "Roanne")],
    "63": [("63113", "Clermont-Ferrand")],
    "26": [("26362", "Valence")],
    "59": [("59350", "Lille"), ("59512", "Roubaix"), ("59599", "Tourcoing"), ("59183", "Dunkerque")],
    "62": [("62498", "Lens"), ("62119", "Béthune"), ("62041", "Arras")],
    "80": [("80021", "Amiens")],
    "02": [("02691", "Saint-Quentin")],
    "60": [("60057", "Beauvais"), ("60175", "Creil")],
    "93": [("93066", "Saint-Denis"), ("93008", "Bobigny"), ("93001", "Aubervilliers"), ("93048", "Montreuil")],
    "95": [("95585", "Sarcelles"), ("95268", "Garges-lès-Gonesse"), ("95018", "Argenteuil")],
    "91": [("91228", "Évry-Courcouronnes"), ("91174", "Corbeil-Essonnes"), ("91286", "Grigny")],
    "45": [("45234", "Orléans")],
    "37": [("37261", "Tours")],
    "18": [("18033", "Bourges")],
    "28": [("28085", "Chartres")],
    "41": [("41018", "Blois")],
    "35": [("35238", "Rennes"), ("35288", "Saint-Malo")],
    "29": [("29019", "Brest"), ("29232", "Quimper")],
    "56": [("56121", "Lorient")],
    "22": [("22278", "Saint-Brieuc")],
    "44": [("44109", "Nantes"), ("44184", "Saint-Nazaire"), ("44143", "Rezé")],
    "49": [("49007", "Angers")],
    "72": [("72181", "Le Mans")],
    "67": [("67482", "Strasbourg")],
    "57": [("57463", "Metz")],
    "68": [("68224", "Mulhouse"), ("68066", "Colmar")],
    "51": [("51454", "Reims")],
    "54": [("54395", "Nancy")],
    "21": [("21231", "Dijon")],
    "25": [("25056", "Besançon"), ("25388", "Montbéliard")],
    "71": [("71076", "Chalon-sur-Saône")],
    "90": [("90010", "Belfort")],
    "31": [("31555", "Toulouse")],
    "34": [("34172", "Montpellier"), ("34032", "Béziers")],
    "30": [("30189", "Nîmes")],
    "66": [("66136", "Perpignan")],
    "33": [("33063", "Bordeaux"), ("33249", "Lormont")],
    "86": [("86194", "Poitiers")],
    "87": [("87085", "Limoges")],
    "64": [("64445", "Pau")],
    "17": [("17300", "La Rochelle")],
    "13": [("13055", "Marseille"), ("13001", "Aix-en-Provence")],
    "06": [("06088", "Nice")],
    "83": [("83137", "Toulon")],
    "84": [("84007", "Avignon")],
    "75": [("75056", "Paris")],
    "972": [("97209", "Fort-de-France"), ("97213", "Le Lamentin")],
    "971": [("97101", "Les Abymes"), ("97120", "Pointe-à-Pitre")],
    "973": [("97302", "Cayenne"), ("97311", "Saint-Laurent-du-Maroni")],
    "976": [("97611", "Mamoudzou")],
    "974": [("97411", "Saint-Denis"), ("97416", "Saint-Pierre"), ("97415", "Saint-Paul")],
}
QUARTIERS = [
    "Les Minguettes",
    "La Duchère",
    "Le Mas du Taureau",
    "Les Tarterêts",
    "Le Mirail",
    "La Paillade",
    "Les Quartiers Nord",
    "Le Franc-Moisin",
    "La Grande Borne",
    "Les Pyramides",
    "Le Val Fourré",
    "Bellevue",
    "Le Neuhof",
    "Hautepierre",
    "Planoise",
    "Les Grésillons",
    "Maurepas",
    "Le Blosne",
    "La Source",
    "Les Sablons",
    "Croix-Rouge",
    "Borny",
    "Les Aubiers",
    "Les Couronneries",
    "Beaubreuil",
    "Saragosse",
    "Les Provinces",
    "Le Chemin Vert",
    "Les Hauts de Garonne",
    "La Coudraie",
    "Pissevin",
    "Le Bas Chantenay",
]
ACTIONS = [
    "Un atelier de médiation numérique",
    "Des cafés des parents",
    "Une plateforme de mobilité solidaire",
    "Un chantier éducatif d'été",
    "Une épicerie sociale et solidaire",
    "Un jardin partagé au pied des immeubles",
    "Une permanence d'accès aux droits",
    "Un forum de l'emploi hors les murs",
    "Une fabrique de territoire",
    "Une marche exploratoire de femmes",
    "Un conseil citoyen qui s'outille",
    "Une école de la deuxième chance",
    "Un bus santé itinérant",
    "Une résidence d'artistes en pied d'immeuble",
    "Des médiateurs de nuit",
    "Un dispositif de réussite éducative",
    "Une coopérative jeunesse de services",
    "Un club de sport au féminin",
]
FOR_WHOM = [
    "pour les jeunes",
    "avec les habitants",
    "pour les familles",
    "avec les femmes du quartier",
    "pour les demandeurs d'emploi",
    "avec les associations locales",
    "pour les seniors isolés",
]
ASSOCIATIONS = [
    "Centre social {quartier}",
    "Mission locale de {ville}",
    "CAF",
    "France Travail {ville}",
    "Association Léo Lagrange",
    "Les Petits Débrouillards",
    "Maison de quartier {quartier}",
    "ADIE",
    "Régie de quartier {ville}",
    "Collège Jean-Moulin",
    "Agence régionale de santé",
    "Bailleur Habitat & Humanisme",
]
FUNDERS = [
    ("État – politique de la ville", "etat"),
    ("Ville de {ville}", "collectivite"),
    ("Conseil départemental", "collectivite"),
    ("Région", "collectivite"),
    ("Fonds social européen", "union_europeenne"),
    ("Fondation de France", "fondation"),
    ("Bailleur social", "bailleur"),
    ("Banque des Territoires", "etablissement_public"),
    ("Entreprise mécène", "entreprise"),
]
PORTEURS = [
    ("Ville de {ville}", "collectivite"),
    ("Centre social {quartier}", "association"),
    ("Association Ensemble ; Demain", "association"),
    ("Métropole", "collectivite"),
    ("Bailleur social de {ville}", "bailleur"),
    ("Délégation du préfet", "etat"),
    ("Régie de quartier", "association"),
    ('Coopérative "Les Communs"', "entreprise"),
    ("CCAS de {ville}", "etablissement_public"),
]
TAGS = [
    "aller-vers",
    "décrochage",
    "mixité",
    "numérique",
    "santé mentale",
    "logement",
    "alimentation",
    "mobilité",
    "parentalité",
    "égalité",
    "co-construction",
    "culture",
    "sport",
    "emploi des jeunes",
    "tranquillité",
]
SENTENCES = [
    "Dans le quartier {quartier}, à {ville}, {chiffre} % des habitants ont moins de 25 ans.",
    "Le diagnostic partagé a mis en évidence un besoin d'accompagnement des {public} vers les services publics.",
    "L'action s'appuie sur les acteurs déjà présents : centre social, clubs sportifs, établissements scolaires.",
    "Les habitants ont été associés dès le départ, lors de marches exploratoires et d'ateliers en pied d'immeuble.",
    "Elle vise à renforcer l'autonomie des {public} et à lutter contre le non-recours aux droits.",
    "Une équipe de {n} professionnels intervient deux fois par semaine, en soirée et le samedi.",
    "Le partenariat avec le bailleur a permis de mettre à disposition un local au rez-de-chaussée.",
    "Les premiers résultats montrent une hausse de la fréquentation de {chiffre} % en un an.",
    "La coordination entre les partenaires reste fragile et dépend fortement des personnes.",
    "La mobilisation des {public} a demandé du temps : il a fallu « aller vers » plutôt qu'attendre.",
    "Le financement pluriannuel du contrat de ville a sécurisé le poste de coordination.",
    "L'essaimage est envisagé dans deux autres quartiers prioritaires de l'agglomération.",
    "Un comité de suivi réunit chaque trimestre les financeurs, le porteur et des habitants.",
    "Les rencontres ont lieu au pied des tours, là où les gens vivent, et non dans les bureaux.",
    "L'évaluation repose sur des entretiens qualitatifs et sur des indicateurs de participation.",
    "Les jeunes ont eux-mêmes conçu les supports de communication, diffusés sur les réseaux sociaux.",
    "La crise sanitaire a obligé l'équipe à réinventer ses modes d'intervention, à distance puis en extérieur.",
    "Condition de réussite : un portage politique clair et une équipe stable sur plusieurs années.",
]
SECTION_KEYS = [
    "context", "objectives", "description", "means", "results",
    "success_factors", "difficulties", "transferability", "outlook",
]  # fmt: skip


def _fill(rng, text, place):
    return text.format(
        ville=place["ville"],
        quartier=place["quartier"],
        public=rng.choice(["jeunes", "familles", "femmes", "habitants", "seniors"]),
        chiffre=rng.randint(8, 60),
        n=rng.randint(2, 9),
    )


def _paragraph(rng, place):
    return " ".join(_fill(rng, s, place) for s in rng.sample(SENTENCES, rng.randint(2, 4)))


def _section(rng, place):
    roll = rng.random()
    if roll < 0.08:
        return ""
    parts = [f"<p>{_paragraph(rng, place)}</p>" for _ in range(rng.randint(1, 2))]
    if roll < 0.3:
        items = "".join(f"<li>{_fill(rng, s, place)}</li>" for s in rng.sample(SENTENCES, 3))
        parts.append(f"<ul>{items}</ul>")
    if roll > 0.9:
        parts.append(
            '<p>Voir aussi <a href="https://www.cohesion-territoires.gouv.fr/">le site du ministère</a> '
            "et <strong>le guide</strong> de l'<em>ANCT</em>.</p>"
        )
    return "".join(parts)


def _amount(rng):
    roll = rng.random()
    if roll < 0.15:
        return None
    if roll < 0.3:
        return rng.randint(100, 90000) + 0.5
    return rng.randrange(1000, 200000, 500)


def _qpv(rng, dep, quartier):
    dep3 = dep.zfill(3) if dep.isdigit() else "0" + dep
    if rng.random() < 0.5 or not dep.isdigit():
        letter = rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        return {"code": f"QN{dep3}{rng.randint(1, 99):02d}{letter}", "name": quartier}
    return {"code": f"QP{dep3}{rng.randint(1, 999):03d}", "name": quartier}


def generate_sheet(rng, index):
    centre = rng.choice(list(CENTRE_DEPARTEMENTS))
    dep = rng.choice(CENTRE_DEPARTEMENTS[centre])
    communes = rng.sample(COMMUNES[dep], rng.randint(1, min(2, len(COMMUNES[dep]))))
    quartiers = rng.sample(QUARTIERS, rng.randint(0, 3))
    place = {"ville": communes[0][1], "quartier": quartiers[0] if quartiers else "du centre"}
    hors_qpv = not quartiers
    year = rng.randint(2016, 2025)
    start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    ongoing = rng.random() < 0.35
    end = None if ongoing or rng.random() < 0.2 else f"{year + rng.randint(1, 3)}-{rng.randint(1, 12):02d}-15"
    title = f"{rng.choice(ACTIONS)} {rng.choice(FOR_WHOM)} à {place['ville']}"
    if index % 17 == 0:
        title += ' ; acte 2, « le retour » du "projet"'
    porteur_name, porteur_type = rng.choice(PORTEURS)
    funders = [
        {"name": _fill(rng, name, place), "type": kind, "amount_eur": _amount(rng)}
        for name, kind in rng.sample(FUNDERS, rng.randint(0, 4))
    ]
    sections = {key: _section(rng, place) for key in SECTION_KEYS}
    if index % 23 == 0:
        sections["difficulties"] = '<p>Première ligne ;\nseconde ligne avec des « guillemets » et des "doubles".</p>'
    contact = None
    if rng.random() < 0.4:
        first, last = (
            rng.choice(["Camille", "Nadia", "Karim", "Sophie", "Yacine", "Léa"]),
            rng.choice(["Martin", "Benali", "Nguyen", "Lefèvre", "Diallo", "Moreau"]),
        )
        contact = {
            "name": f"{first} {last}",
            "organisation": _fill(rng, porteur_name, place),
            "email": f"{first.lower()}.{last.lower()}@exemple.fr".replace("é", "e").replace("è", "e"),
            "phone": f"0{rng.randint(1, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
        }
    return {
        "format": "crpv-experience/1",
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "title": title,
        "summary": _paragraph(rng, place),
        "centre": centre,
        "author": rng.choice(["", "Équipe du centre de ressources", "Chargée de mission", "Observatoire"]),
        "written_on": f"{min(year + 2, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "period": {"start": start, "end": end, "ongoing": ongoing},
        "status": "en_cours" if ongoing else rng.choice(["en_projet", "terminee", None]),
        "territory": {
            "region": REGION_OF[dep],
            "departement": dep,
            "epci": f"2{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.7 else None,
            "communes": [{"insee": insee, "name": name} for insee, name in communes],
            "qpv": [_qpv(rng, dep, q) for q in quartiers],
            "hors_qpv": hors_qpv,
        },
        "porteur": {"name": _fill(rng, porteur_name, place), "type": porteur_type},
        "partners": [_fill(rng, name, place) for name in rng.sample(ASSOCIATIONS, rng.randint(0, 4))],
        "funders": funders,
        "budget_eur": _amount(rng),
        "pillars": [slug for slug, _label in TERMS["pillar"] if rng.random() < 0.4],
        "transversal_axes": [slug for slug, _label in TERMS["transversalaxis"] if rng.random() < 0.25],
        "themes": [slug for slug, _label in rng.sample(TERMS["theme"], rng.randint(1, 4))],
        "publics": [slug for slug, _label in rng.sample(TERMS["public"], rng.randint(0, 3))],
        "tags": rng.sample(TAGS, rng.randint(0, 4)),
        "sections": sections,
        "contact": contact,
        "documents": [
            {"title": f"Bilan {year} (PDF)", "url": f"https://exemple.fr/documents/bilan-{index}-{year}.pdf"}
            for _ in range(rng.random() < 0.4)
        ],
        "links": [
            {"title": "Site du porteur", "url": f"https://www.exemple.fr/actions/{index}"}
            for _ in range(rng.random() < 0.5)
        ],
        "chantier": rng.choice([None, None, None, "emploi-jeunes-2025", "sante-mentale-2025"]),
        "published_at": None,
        "updated_at": None,
    }


def generate(count=1000, seed=42):
    rng = random.Random(seed)
    return [generate_sheet(rng, index) for index in range(1, count + 1)]


def write(sheets, path, file_format):
    if file_format == "csv":
        import os

        import django

        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
        django.setup()
        from resources.experiences.codec import sheets_to_csv

        text = sheets_to_csv(sheets)
    else:
        text = json.dumps(sheets, ensure_ascii=False, indent=2) + "\n"
    if path == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8", newline="")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["json", "csv"], default=None, help="default: from the output extension")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    file_format = args.format or ("csv" if args.output.endswith(".csv") else "json")
    write(generate(args.count, args.seed), args.output, file_format)


if __name__ == "__main__":
    main()

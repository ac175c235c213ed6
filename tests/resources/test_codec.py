"""The crpv-experience/1 codec: JSON Schema, French validation messages, HTML sanitising, CSV flattening."""

import json
import re

import pytest
from jsonschema import Draft202012Validator

from resources.experiences import validators
from resources.experiences.codec import (
    Catalogue,
    SheetImportError,
    SourceItem,
    canonical,
    export_amount,
    load_file,
    load_json,
    schema,
    validate_items,
)
from resources.experiences.codec.csv_format import HEADER, flatten, load_csv, sheets_to_csv, split_items
from resources.experiences.sanitize import export_html, sanitize_html

pytestmark = pytest.mark.django_db

SPEC_KEYS = [
    "format", "id", "title", "summary", "centre", "author", "written_on", "period", "status", "territory",
    "porteur", "partners", "funders", "budget_eur", "pillars", "transversal_axes", "themes", "publics", "tags",
    "sections", "contact", "documents", "links", "chantier", "published_at", "updated_at",
]  # fmt: skip
QPV_HELP = "« QP » suivi de 6 chiffres (liste 2015) ou « QN » suivi de 6 caractères (liste 2024, ex. QN07501M)"


def sheet(**changes):
    """A complete, valid sheet; keyword arguments replace top-level keys."""
    data = {
        "format": "crpv-experience/1",
        "id": "0b6f3a52-5d0e-4c3b-9d7e-1f2a3b4c5d6e",
        "title": "Des cafés des parents au collège Jean-Moulin",
        "summary": "Un temps d'échange mensuel entre parents et équipe éducative.",
        "centre": "labo-cites",
        "author": "Équipe de Labo Cités",
        "written_on": "2024-03-15",
        "period": {"start": "2022-09-01", "end": None, "ongoing": True},
        "status": "en_cours",
        "territory": {
            "region": "84",
            "departement": "69",
            "epci": "200046977",
            "communes": [{"insee": "69259", "name": "Vénissieux"}],
            "qpv": [{"code": "QP069046", "name": "Minguettes – Clochettes"}],
            "hors_qpv": False,
        },
        "porteur": {"name": "Centre social Roger-Vailland", "type": "association"},
        "partners": ["Collège Jean-Moulin", "CAF du Rhône"],
        "funders": [
            {"name": "État – politique de la ville", "type": "etat", "amount_eur": 12000},
            {"name": "Ville de Vénissieux", "type": "collectivite", "amount_eur": None},
        ],
        "budget_eur": 18500.5,
        "pillars": ["cohesion_sociale"],
        "transversal_axes": ["jeunesse"],
        "themes": ["education", "parentalite"],
        "publics": ["familles"],
        "tags": ["aller-vers"],
        "sections": {"context": "<p>Contexte</p>"},
        "contact": None,
        "documents": [],
        "links": [{"title": "Le centre social", "url": "https://example.org/centre-social"}],
        "chantier": None,
        "published_at": None,
        "updated_at": None,
    }
    data.update(changes)
    return data


def messages(data, position="fiche 3", source="sheets.json"):
    """Every validation message of one item, as printed by the import command."""
    [(_item, issues)] = validate_items([SourceItem(data, position)], Catalogue(), source)
    return [str(issue) for issue in issues]


# --------------------------------------------------------------------------- schema


def _object_schemas(node):
    if isinstance(node, dict):
        if node.get("type") == "object" or "object" in (node.get("type") or []):
            yield node
        for value in node.values():
            yield from _object_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _object_schemas(value)


def test_schema_is_draft_2020_12_with_exactly_the_spec_keys():
    document = schema()
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(document["properties"]) == SPEC_KEYS
    assert set(document["required"]) == {"format", "title", "summary", "centre"}
    objects = list(_object_schemas(document))
    assert len(objects) >= 10
    assert all(node.get("additionalProperties") is False for node in objects)
    assert list(document["properties"]["sections"]["properties"]) == [
        "context", "objectives", "description", "means", "results",
        "success_factors", "difficulties", "transferability", "outlook",
    ]  # fmt: skip


def test_schema_reuses_the_model_patterns():
    territory = schema()["properties"]["territory"]["properties"]
    assert territory["qpv"]["items"]["properties"]["code"]["pattern"] == validators.QPV_PATTERN
    assert territory["communes"]["items"]["properties"]["insee"]["pattern"] == validators.INSEE_COMMUNE_PATTERN
    assert territory["epci"]["pattern"] == validators.SIREN_PATTERN
    assert territory["region"]["pattern"] == validators.REGION_PATTERN
    assert territory["departement"]["pattern"] == validators.DEPARTEMENT_PATTERN


def test_schema_returns_a_fresh_copy():
    schema()["properties"].clear()
    assert "title" in schema()["properties"]


def test_a_complete_sheet_is_valid(portal_tree):
    assert messages(sheet()) == []


# --------------------------------------------------------------------------- French messages


def test_bad_qpv_code_names_file_position_path_and_value(portal_tree):
    data = sheet()
    data["territory"]["qpv"] = [{"code": "QX12", "name": "Les Minguettes"}]
    assert messages(data) == [f"sheets.json, fiche 3, territory.qpv[0].code : code QPV invalide « QX12 » : {QPV_HELP}"]


@pytest.mark.parametrize("code", ["QP069012", "QN07501M", "QN02A01B", "QN97101C"])
def test_both_qpv_lists_are_accepted(portal_tree, code):
    data = sheet()
    data["territory"]["qpv"] = [{"code": code, "name": "Quartier"}]
    assert messages(data) == []


def test_unknown_theme_slug_is_named(portal_tree):
    assert messages(sheet(themes=["education", "astrologie"])) == [
        "sheets.json, fiche 3, themes[1] : thème inconnu « astrologie »"
    ]


def test_unknown_public_slug_is_named(portal_tree):
    assert messages(sheet(publics=["martiens"])) == ["sheets.json, fiche 3, publics[0] : public inconnu « martiens »"]


def test_unknown_chantier_code_is_named(portal_tree):
    assert messages(sheet(chantier="sante-mentale-2025")) == []
    assert messages(sheet(chantier="astrologie-2025")) == [
        "sheets.json, fiche 3, chantier : chantier inconnu « astrologie-2025 »"
    ]


def test_unknown_keys_are_reported_with_their_path(portal_tree):
    data = sheet(couleur="bleu")
    data["territory"]["quartier"] = "Minguettes"
    data["funders"][1]["iban"] = "FR76…"
    assert messages(data) == [
        "sheets.json, fiche 3, couleur : clé inconnue « couleur »",
        "sheets.json, fiche 3, territory.quartier : clé inconnue « quartier »",
        "sheets.json, fiche 3, funders[1].iban : clé inconnue « iban »",
    ]


def test_wrong_type(portal_tree):
    assert messages(sheet(budget_eur="18 500 €")) == [
        "sheets.json, fiche 3, budget_eur : type invalide : attendu un nombre ou null, "
        "reçu une chaîne de caractères « 18 500 € »"
    ]
    assert messages(sheet(partners="CAF")) == [
        "sheets.json, fiche 3, partners : type invalide : attendu une liste, reçu une chaîne de caractères « CAF »"
    ]


def test_missing_required_keys(portal_tree):
    data = sheet()
    del data["title"]
    del data["centre"]
    assert messages(data) == [
        "sheets.json, fiche 3, title : clé obligatoire manquante",
        "sheets.json, fiche 3, centre : clé obligatoire manquante",
    ]
    data = sheet()
    data["territory"]["communes"] = [{"insee": "69259"}]
    assert messages(data) == ["sheets.json, fiche 3, territory.communes[0].name : clé obligatoire manquante"]


def test_unknown_centre(portal_tree):
    assert messages(sheet(centre="crpv-atlantide")) == [
        "sheets.json, fiche 3, centre : centre inconnu « crpv-atlantide »"
    ]


def test_enum_and_const(portal_tree):
    assert messages(sheet(status="fini", format="crpv-experience/2")) == [
        "sheets.json, fiche 3, format : valeur attendue « crpv-experience/1 », reçu « crpv-experience/2 »",
        "sheets.json, fiche 3, status : valeur non autorisée « fini » ; "
        "valeurs possibles : en_projet, en_cours, terminee ou null",
    ]


def test_dates_lengths_and_formats(portal_tree):
    data = sheet(written_on="15/03/2024", title="x" * 256, id="pas-un-uuid", published_at="2024-03-15")
    data["links"][0]["url"] = "javascript:alert(1)"
    assert messages(data) == [
        "sheets.json, fiche 3, id : identifiant invalide « pas-un-uuid » : UUID attendu "
        "(ex. 3f2b8c1e-0d4a-4c55-9b1e-2a7f6c9d8e01)",
        "sheets.json, fiche 3, title : texte trop long : 256 caractères, 255 au plus",
        "sheets.json, fiche 3, written_on : date invalide « 15/03/2024 » : format AAAA-MM-JJ attendu",
        "sheets.json, fiche 3, links[0].url : adresse invalide « javascript:alert(1) » : URL complète attendue (https://…)",
        "sheets.json, fiche 3, published_at : date et heure invalides « 2024-03-15 » : ISO 8601 avec fuseau attendu "
        "(ex. 2024-05-31T08:00:00Z)",
    ]


def test_territory_must_be_known_and_consistent(portal_tree):
    data = sheet()
    data["territory"]["departement"] = "59"  # Nord, in Hauts-de-France, not in region 84
    assert messages(data) == [
        "sheets.json, fiche 3, territory.departement : le département « 59 » (Nord) "
        "n'est pas dans la région « 84 » (Auvergne-Rhône-Alpes)"
    ]
    data["territory"].update(region="99", departement="98")
    assert messages(data) == [
        "sheets.json, fiche 3, territory.region : région inconnue « 99 »",
        "sheets.json, fiche 3, territory.departement : département inconnu « 98 »",
    ]


def test_period_end_before_start(portal_tree):
    data = sheet(period={"start": "2023-06-01", "end": "2023-01-31", "ongoing": False})
    assert messages(data) == [
        "sheets.json, fiche 3, period.end : la fin de l'action (2023-01-31) précède son début (2023-06-01)"
    ]


def test_amounts_limits(portal_tree):
    data = sheet(budget_eur=-5)
    data["funders"][0]["amount_eur"] = 10.005
    assert messages(data) == [
        "sheets.json, fiche 3, budget_eur : le montant doit être positif ou nul (-5)",
        "sheets.json, fiche 3, funders[0].amount_eur : montant avec plus de deux décimales : 10.005",
    ]


def test_text_the_database_would_refuse(portal_tree):
    data = sheet(summary="avant\x00après", partners=["  "])
    data["contact"] = {"name": "Camille", "organisation": "", "email": "camille@", "phone": ""}
    assert messages(data) == [
        "sheets.json, fiche 3, contact.email : courriel invalide « camille@ »",
        "sheets.json, fiche 3, summary : caractère nul interdit dans le texte",
        "sheets.json, fiche 3, partners[0] : valeur vide",
    ]


def test_duplicate_ids_in_one_file(portal_tree):
    items = [SourceItem(sheet(), "fiche 1"), SourceItem(sheet(title="Autre"), "fiche 2")]
    checked = validate_items(items, Catalogue(), "sheets.json")
    assert [str(issue) for _item, issues in checked for issue in issues] == [
        "sheets.json, fiche 2, id : identifiant en double : déjà utilisé par fiche 1"
    ]


def test_a_sheet_that_is_not_an_object(portal_tree):
    assert messages("une fiche") == [
        "sheets.json, fiche 3 : type invalide : attendu un objet, reçu une chaîne de caractères « une fiche »"
    ]


# --------------------------------------------------------------------------- canonical form


def test_canonical_form_is_the_export_spelling(portal_tree):
    data = sheet(
        id="0B6F3A52-5D0E-4C3B-9D7E-1F2A3B4C5D6E",
        themes=["parentalite", "education"],
        tags=["zèbre", "aller-vers", "Aller-vers"],
        budget_eur=1000.0,
        published_at="2024-03-15T10:00:00.123+01:00",
        sections={"context": "<b>Gras</b> <i>italique</i>"},
    )
    data["funders"][0]["amount_eur"] = 12.5
    result = canonical(data, Catalogue())
    assert list(result) == SPEC_KEYS
    assert result["id"] == "0b6f3a52-5d0e-4c3b-9d7e-1f2a3b4c5d6e"
    assert result["themes"] == ["education", "parentalite"]  # vocabulary order
    assert result["tags"] == ["Aller-vers", "aller-vers", "zèbre"]
    assert result["budget_eur"] == 1000 and isinstance(result["budget_eur"], int)
    assert result["funders"][0]["amount_eur"] == 12.5
    assert result["published_at"] == "2024-03-15T09:00:00Z"
    assert result["sections"]["context"] == "<strong>Gras</strong> <em>italique</em>"
    assert result["sections"]["outlook"] == ""
    assert result["contact"] is None


def test_missing_optional_keys_get_empty_values(portal_tree):
    minimal = {"format": "crpv-experience/1", "title": "T", "summary": "R", "centre": "irev"}
    assert messages(minimal) == []
    result = canonical(minimal, Catalogue())
    assert re.fullmatch(r"[0-9a-f-]{36}", result["id"])
    assert result["territory"] == {
        "region": None,
        "departement": None,
        "epci": None,
        "communes": [],
        "qpv": [],
        "hors_qpv": False,
    }
    assert result["period"] == {"start": None, "end": None, "ongoing": False}
    assert result["porteur"] == {"name": "", "type": None}


def test_amounts_are_int_when_whole():
    from decimal import Decimal

    assert export_amount(Decimal("1200.00")) == 1200 and isinstance(export_amount(Decimal("1200.00")), int)
    assert export_amount(Decimal("1200.50")) == 1200.5
    assert export_amount(None) is None


# --------------------------------------------------------------------------- HTML


def test_sanitising_removes_scripts_handlers_and_javascript_urls():
    html = (
        '<p onclick="steal()" class="x" style="color:red">Texte <script>alert(1)</script>'
        '<a href="javascript:alert(2)" onmouseover="x()">piège</a> '
        '<a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="nofollow">lien</a></p>'
        '<img src="x" onerror="alert(3)"><iframe src="https://evil.example"></iframe><style>p{}</style>'
    )
    assert sanitize_html(html) == '<p>Texte piège <a href="https://example.org/?a=1&amp;b=2">lien</a></p>'


def test_sanitising_keeps_the_allowed_subset_and_normalises_bold_and_italic():
    html = (
        "<h3>Titre</h3><h4>Sous-titre</h4><p><b>gras</b>, <i>italique</i>, <strong>fort</strong>, <em>accent</em>"
        "<br></p><ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>citation</blockquote>"
        '<p><a href="mailto:contact@example.org">écrire</a></p>'
    )
    expected = (
        "<h3>Titre</h3><h4>Sous-titre</h4><p><strong>gras</strong>, <em>italique</em>, <strong>fort</strong>, "
        "<em>accent</em><br></p><ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>citation</blockquote>"
        '<p><a href="mailto:contact@example.org">écrire</a></p>'
    )
    assert sanitize_html(html) == expected
    assert sanitize_html(expected) == expected  # stable: sanitising twice changes nothing


def test_sanitising_drops_other_tags_but_keeps_their_text():
    assert sanitize_html('<h1>Grand</h1><div data-block-key="a1">bloc</div><table><tr><td>c</td></tr></table>') == (
        "Grandblocc"
    )
    assert sanitize_html('<p data-block-key="k2">Wagtail</p>') == "<p>Wagtail</p>"
    assert sanitize_html('<a href="/relatif">sans base</a>') == "sans base"
    assert sanitize_html('<a href="/relatif">avec base</a>', base_url="https://portail.example") == (
        '<a href="https://portail.example/relatif">avec base</a>'
    )


def test_export_turns_internal_links_into_absolute_addresses(portal_tree):
    from portal.centres.models import CentrePage

    section = CentrePage.objects.get(centre=portal_tree["irev"])
    stored = f'<p data-block-key="x">Voir <a linktype="page" id="{section.pk}">IREV</a></p>'
    html = export_html(stored, "https://portail.example")
    assert html == f'<p>Voir <a href="https://portail.example{section.url}">IREV</a></p>'


# --------------------------------------------------------------------------- CSV


def test_csv_header_follows_spec_order_with_dotted_names():
    assert HEADER[:5] == ["format", "id", "title", "summary", "centre"]
    for column in ["territory.region", "period.start", "porteur.name", "sections.context", "contact.email"]:
        assert column in HEADER
    assert HEADER.index("territory.communes.insee") + 1 == HEADER.index("territory.communes.name")
    assert HEADER[-2:] == ["published_at", "updated_at"]


def test_csv_flattens_lists(portal_tree):
    data = canonical(sheet(), Catalogue())
    data["territory"]["communes"].append({"insee": "69266", "name": "Villeurbanne"})
    row = dict(zip(HEADER, flatten(data), strict=True))
    assert row["territory.communes.insee"] == "69259 | 69266"
    assert row["territory.communes.name"] == "Vénissieux | Villeurbanne"
    assert row["funders.amount_eur"] == "12000 | "
    assert row["budget_eur"] == "18500.5"
    assert row["period.ongoing"] == "true" and row["territory.hors_qpv"] == "false"
    assert row["period.end"] == "" and row["contact.name"] == ""
    assert row["themes"] == "education | parentalite"


def test_csv_round_trip_survives_awkward_text(portal_tree):
    data = canonical(sheet(), Catalogue())
    data["title"] = 'Le "Bus de l\'emploi" ; acte 2 — « été »'
    data["summary"] = 'Première ligne ;\nseconde ligne\r\navec « guillemets » et des "doubles".'
    data["partners"] = ["Régie A | B", "Association \\ barre", "Ça ; va"]
    data["funders"] = [
        {"name": "Fonds ; européen", "type": "union_europeenne", "amount_eur": None},
        {"name": "État", "type": "etat", "amount_eur": 99.95},
        {"name": "Ville", "type": "collectivite", "amount_eur": None},
    ]
    data["contact"] = {"name": "Zoé Lefèvre", "organisation": "", "email": "zoe@example.org", "phone": ""}
    data["sections"]["results"] = '<p>Résultats ; "chiffrés"</p>\n<ul><li>un</li></ul>'
    text = sheets_to_csv([data, canonical(sheet(id="1b6f3a52-5d0e-4c3b-9d7e-1f2a3b4c5d6e"), Catalogue())])
    assert text.startswith("\ufeffformat;id;title;")
    items = load_csv(text, "fiches.csv")
    assert [item.position for item in items] == ["ligne 2", "ligne 6"]  # the first row spans four lines
    assert items[0].errors == []
    assert items[0].data == data


def test_split_items_unescapes_pipes_and_backslashes():
    assert split_items("") == []
    assert split_items("a | b\\|c | d\\\\") == ["a", "b|c", "d\\"]
    assert split_items("1000 | | 500") == ["1000", "", "500"]


def test_csv_reading_errors_are_french(portal_tree):
    header = "format;title;summary;centre;couleur\r\n"
    with pytest.raises(SheetImportError) as rejected:
        load_csv(header, "fiches.csv")
    assert [str(e) for e in rejected.value.errors] == ["fiches.csv, ligne 1 : colonne inconnue « couleur »"]

    with pytest.raises(SheetImportError) as rejected:
        load_csv('format;title\r\n"crpv-experience/1;"Titre\r\n', "fiches.csv")
    assert str(rejected.value.errors[0]).startswith("fiches.csv : CSV mal formé, ligne 2 : ")

    rows = (
        "format;title;summary;centre;period.ongoing;territory.communes.insee;territory.communes.name\r\n"
        "crpv-experience/1;T;R;irev;peut-être;59350 | 59512;Lille\r\n"
        "crpv-experience/1;T;R\r\n"
    )
    items = load_csv(rows, "fiches.csv")
    checked = validate_items(items, Catalogue(), "fiches.csv")
    assert [str(issue) for _item, issues in checked for issue in issues] == [
        "fiches.csv, ligne 2, territory.communes.name : 1 valeur(s) séparées par « | » pour 2 élément(s)",
        "fiches.csv, ligne 2, period.ongoing : type invalide : attendu un booléen (true ou false), "
        "reçu une chaîne de caractères « peut-être »",
        "fiches.csv, ligne 2, territory.communes[1].name : valeur vide",
        "fiches.csv, ligne 3 : 3 cellules au lieu de 7 (un « ; » non protégé par des guillemets ?)",
    ]


# --------------------------------------------------------------------------- files


def test_file_errors_are_french(tmp_path):
    with pytest.raises(SheetImportError) as rejected:
        load_file(tmp_path / "fiches.xlsx")
    assert str(rejected.value) == (
        "fiches.xlsx : format de fichier non reconnu « .xlsx » : un fichier .json ou .csv est attendu"
    )
    with pytest.raises(SheetImportError) as rejected:
        load_file(tmp_path / "absent.json")
    assert str(rejected.value) == f"{tmp_path / 'absent.json'} : fichier introuvable"

    latin1 = tmp_path / "fiches.csv"
    latin1.write_bytes("format;title\r\ncrpv-experience/1;Été\r\n".encode("latin-1"))
    with pytest.raises(SheetImportError) as rejected:
        load_file(latin1)
    assert str(rejected.value).startswith("fiches.csv : le fichier n'est pas encodé en UTF-8 (octet 0xc9")

    broken = tmp_path / "fiches.json"
    broken.write_text('[{"format": "crpv-experience/1",\n  "title": "T" "summary": "R"}]', encoding="utf-8")
    with pytest.raises(SheetImportError) as rejected:
        load_file(broken)
    assert str(rejected.value) == "fiches.json : JSON mal formé, ligne 2, colonne 16 : virgule attendue"


def test_json_file_is_a_list_or_one_sheet():
    assert [item.position for item in load_json(json.dumps([sheet(), sheet()]))] == ["fiche 1", "fiche 2"]
    assert len(load_json(json.dumps(sheet()))) == 1
    with pytest.raises(SheetImportError) as rejected:
        load_json('{"fiches": []}', "x.json")
    assert str(rejected.value) == "x.json : le fichier JSON doit contenir une liste de fiches"


def test_every_schema_pattern_has_a_french_message():
    from resources.experiences.codec.schema import _PATTERN_MESSAGES

    def patterns(node):
        if isinstance(node, dict):
            if "pattern" in node:
                yield node["pattern"]
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = set(patterns(schema()))
    assert len(found) == 8
    assert found <= set(_PATTERN_MESSAGES)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant):
    text = json.dumps([sheet(budget_eur=12345)]).replace('"budget_eur": 12345', f'"budget_eur": {constant}')
    assert constant in text
    with pytest.raises(SheetImportError) as rejected:
        load_json(text, "x.json")
    assert str(rejected.value) == (
        f"x.json : JSON mal formé : « {constant} » n'est pas une valeur JSON (un nombre, ou null)"
    )


def test_deeply_nested_json_is_refused_without_a_traceback():
    with pytest.raises(SheetImportError) as rejected:
        load_json("[" * 100_000 + "]" * 100_000, "x.json")
    assert str(rejected.value) == "x.json : JSON mal formé : imbrication trop profonde (plus de 64 niveaux)"


def test_an_import_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    big = tmp_path / "fiches.json"
    big.write_text(json.dumps([sheet()] * 10), encoding="utf-8")
    with pytest.raises(SheetImportError) as rejected:
        load_file(big)
    size = big.stat().st_size
    assert str(rejected.value) == (
        f"fiches.json : fichier trop volumineux ({size} octets) : 1000 octets au plus (réglage IMPORT_MAX_BYTES)"
    )

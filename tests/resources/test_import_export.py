"""Importing and exporting experience sheets: upsert, revisions, atomicity, commands, round trips."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry
from wagtail.signals import page_published

from portal.centres.models import CentrePage
from portal.centres.services import ensure_centre, ensure_centres_index
from resources.experiences.codec import SheetImportError, export_sheet, import_sheets, sheets_to_csv
from resources.experiences.models import ExperienceSheetPage

pytestmark = pytest.mark.django_db

BASE = "https://portail.example"
IDS = [f"7d2c9a10-4b1e-4f6a-8c3d-00000000000{n}" for n in range(1, 4)]


@pytest.fixture
def centre(portal_tree):
    """A centre of its own, so exports here are exactly what the test imported (the demo has sheets elsewhere)."""
    data = {"code": "centre-essai", "name": "Centre d'essai", "territory": "Rhône", "region_codes": "84"}
    return ensure_centre(data, ensure_centres_index())


def make(n=1, **changes):
    data = {
        "format": "crpv-experience/1",
        "id": IDS[n - 1],
        "title": f"Une épicerie solidaire n° {n} ; « Bien manger » à Vaulx-en-Velin",
        "summary": 'Une épicerie sociale tenue par des habitantes, avec des ateliers "cuisine".\nDeuxième ligne.',
        "centre": "centre-essai",
        "author": "Chargée de mission",
        "written_on": "2024-02-01",
        "period": {"start": "2021-01-04", "end": "2023-12-31", "ongoing": False},
        "status": "terminee",
        "territory": {
            "region": "84",
            "departement": "69",
            "epci": "200046977",
            "communes": [{"insee": "69256", "name": "Vaulx-en-Velin"}, {"insee": "69266", "name": "Villeurbanne"}],
            "qpv": [{"code": "QP069051", "name": "Grande Île"}, {"code": "QN06912A", "name": "Mas du Taureau"}],
            "hors_qpv": False,
        },
        "porteur": {"name": "Association Ensemble ; Demain", "type": "association"},
        "partners": ["CCAS", "Banque alimentaire | Rhône"],
        "funders": [
            {"name": "État", "type": "etat", "amount_eur": 15000},
            {"name": "Fondation de France", "type": "fondation", "amount_eur": None},
            {"name": "Métropole", "type": "collectivite", "amount_eur": 2500.5},
        ],
        "budget_eur": 42000.75,
        "pillars": ["cohesion_sociale", "cadre_de_vie"],
        "transversal_axes": ["egalite_femmes_hommes"],
        "themes": ["insertion", "alimentation"],
        "publics": ["familles", "femmes"],
        "tags": ["aller-vers", "épicerie"],
        "sections": {
            "context": "<p>Un quartier <strong>sans</strong> commerce de proximité.</p>",
            "objectives": "<ul><li>Se nourrir</li><li>Se rencontrer</li></ul>",
            "description": '<p>Voir <a href="https://example.org/epicerie">le site</a>.</p>',
            "means": "",
            "results": "<p>300 familles inscrites.</p>",
            "success_factors": "",
            "difficulties": "<p>Le bénévolat s'essouffle.</p>",
            "transferability": "",
            "outlook": "<h3>Ensuite</h3><p>Un second local.</p>",
        },
        "contact": {
            "name": "Nadia Benali",
            "organisation": "Ensemble ; Demain",
            "email": "nadia@example.org",
            "phone": "04 00 00 00 00",
        },
        "documents": [{"title": "Bilan 2023", "url": "https://example.org/bilan-2023.pdf"}],
        "links": [{"title": "Le site", "url": "https://example.org/epicerie"}],
        "chantier": None,
        "published_at": None,
        "updated_at": None,
    }
    data.update(changes)
    return data


def content(sheet):
    return {key: value for key, value in sheet.items() if key not in ("published_at", "updated_at")}


def page_of(n=1):
    return ExperienceSheetPage.objects.get(uuid=IDS[n - 1])


def counts():
    return ExperienceSheetPage.objects.count(), Revision.page_revisions.count(), PageLogEntry.objects.count()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export_file(path, *extra):
    run("export_experiences", "--centre", "centre-essai", "--output", str(path), "--base-url", BASE, *extra)
    return path.read_bytes()


# --------------------------------------------------------------------------- upsert


def test_import_creates_a_draft_under_the_centre_section(centre):
    report = import_sheets([make()], base_url=BASE)
    assert (report.created, report.updated, report.unchanged, report.skipped) == ([IDS[0]], [], [], [])
    page = page_of()
    assert page.get_parent().specific == CentrePage.objects.get(centre=centre)
    assert page.centre == centre
    assert not page.live and page.has_unpublished_changes and page.first_published_at is None
    assert page.revisions.count() == 1
    assert [c.insee for c in page.communes.all()] == ["69256", "69266"]
    assert sorted(page.themes.values_list("slug", flat=True)) == ["alimentation", "insertion"]
    assert sorted(page.tags.names()) == ["aller-vers", "épicerie"]
    assert page.contact_public and page.contact_email == "nadia@example.org"
    assert page.documents.get().url == "https://example.org/bilan-2023.pdf"
    assert export_sheet(page.get_latest_revision_as_object(), BASE) == make()


def test_published_import_keeps_revisions_audit_log_signals_and_indexes(centre):
    received = []

    def on_published(sender, instance, **kwargs):
        received.append(instance.pk)

    page_published.connect(on_published)
    try:
        import_sheets([make()], publish=True, base_url=BASE)
    finally:
        page_published.disconnect(on_published)
    page = page_of()
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision_id == page.latest_revision_id is not None
    assert page.first_published_at is not None and page.last_published_at is not None
    assert received == [page.pk]
    actions = list(PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True))
    assert actions == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    assert ReferenceIndex.get_references_for_object(page).exists()
    assert IndexEntry.objects.filter(object_id=str(page.pk)).exists()
    assert content(export_sheet(ExperienceSheetPage.objects.get(pk=page.pk), BASE)) == content(make())


def test_export_is_in_spec_key_order_and_valid(centre):
    from jsonschema import Draft202012Validator

    from resources.experiences.codec import schema

    import_sheets([make()], publish=True, base_url=BASE)
    exported = export_sheet(page_of(), BASE)
    assert list(exported) == list(schema()["properties"])
    assert list(Draft202012Validator(schema()).iter_errors(exported)) == []
    assert exported["updated_at"].endswith("Z") and len(exported["updated_at"]) == 20


def test_reimport_of_the_same_content_changes_nothing(centre):
    import_sheets([make(1), make(2)], publish=True, base_url=BASE)
    before = counts()
    # Same content, spelt differently: list orders, id case, 1000.0 for 1000, <b> for <strong>.
    again = make(1, id=IDS[0].upper(), themes=["alimentation", "insertion"], tags=["épicerie", "aller-vers"])
    again["sections"] = dict(again["sections"], context="<p>Un quartier <b>sans</b> commerce de proximité.</p>")
    again["funders"][0]["amount_eur"] = 15000.0
    report = import_sheets([again, make(2)], publish=True, base_url=BASE)
    assert (report.created, report.updated, report.unchanged) == ([], [], [IDS[0], IDS[1]])
    assert counts() == before


def without_id(sheet):
    sheet.pop("id")
    return sheet


def test_sheets_without_id_are_not_duplicated_by_a_second_import(centre):
    first = import_sheets([without_id(make(1)), without_id(make(2))], publish=True, base_url=BASE)
    assert len(first.created) == 2
    before = counts()
    # The title is the identity of a sheet without id: spacing and case do not make another sheet.
    again = without_id(make(1, title=make(1)["title"].upper().replace(" ", "  ")))
    second = import_sheets([again, without_id(make(2))], publish=True, base_url=BASE)
    assert second.created == [] and sorted(second.updated + second.unchanged) == sorted(first.created)
    assert counts()[0] == before[0]
    # Exports carry the id, so an exported file upserts on it from then on.
    exported = export_sheet(ExperienceSheetPage.objects.get(uuid=first.created[1]), base_url=BASE)
    assert import_sheets([exported], publish=True, base_url=BASE).unchanged == [first.created[1]]


def test_two_sheets_without_id_with_the_same_title_are_refused(centre):
    with pytest.raises(SheetImportError) as failed:
        import_sheets([without_id(make(1)), without_id(make(1, summary="Une autre."))], publish=True, base_url=BASE)
    assert "même centre et même titre que" in str(failed.value)
    assert not ExperienceSheetPage.objects.filter(centre__code="centre-essai").exists()


def test_a_change_makes_one_revision_and_publishes_only_when_asked(centre):
    import_sheets([make()], publish=True, base_url=BASE)
    revisions = page_of().revisions.count()

    report = import_sheets([make(title="Nouveau titre")], base_url=BASE)
    assert report.updated == [IDS[0]]
    page = page_of()
    assert page.revisions.count() == revisions + 1
    assert page.title != "Nouveau titre" and page.has_unpublished_changes  # the live version is untouched
    assert page.get_latest_revision_as_object().title == "Nouveau titre"

    report = import_sheets([make(title="Nouveau titre")], base_url=BASE)
    assert report.unchanged == [IDS[0]]  # compared with the latest version, not the live one

    report = import_sheets([make(title="Nouveau titre")], publish=True, base_url=BASE)
    assert report.updated == [IDS[0]]
    page = page_of()
    assert page.title == "Nouveau titre" and not page.has_unpublished_changes
    assert page.revisions.count() == revisions + 1  # the pending revision was published, not a new one


def test_update_replaces_child_rows(centre):
    import_sheets([make()], publish=True, base_url=BASE)
    changed = make(partners=["Mission locale"], funders=[], tags=["nouveau"], publics=[])
    changed["territory"]["qpv"] = [{"code": "QP069099", "name": "Bel Air"}]
    import_sheets([changed], publish=True, base_url=BASE)
    page = page_of()
    assert list(page.partners.values_list("name", flat=True)) == ["Mission locale"]
    assert not page.funders.exists() and not page.publics.exists()
    assert list(page.qpvs.values_list("code", flat=True)) == ["QP069099"]
    assert list(page.tags.names()) == ["nouveau"]
    assert content(export_sheet(page, BASE)) == content(changed)


def test_a_sheet_of_another_centre_is_refused(centre):
    import_sheets([make()], base_url=BASE)
    with pytest.raises(SheetImportError) as rejected:
        import_sheets([make(centre="irev")], source="fiches.json", base_url=BASE)
    assert [str(e) for e in rejected.value.errors] == [
        f"fiches.json, fiche 1, centre : la fiche {IDS[0]} appartient déjà au centre « centre-essai » : "
        "un import ne change pas une fiche de centre"
    ]
    assert page_of().centre == centre


# --------------------------------------------------------------------------- contact


def test_contact_is_exported_only_when_public(centre):
    import_sheets([make()], publish=True, base_url=BASE)
    ExperienceSheetPage.objects.filter(uuid=IDS[0]).update(contact_public=False)
    exported = export_sheet(page_of(), BASE)
    assert exported["contact"] is None
    assert "nadia@example.org" not in json.dumps(exported)


def test_importing_a_hidden_contact_keeps_what_staff_entered(centre):
    import_sheets([make()], publish=True, base_url=BASE)
    import_sheets([make(contact=None)], publish=True, base_url=BASE)
    page = page_of()
    assert not page.contact_public
    assert page.contact_email == "nadia@example.org"  # private, kept, never exported
    assert export_sheet(page, BASE)["contact"] is None


# --------------------------------------------------------------------------- timestamps


def test_publication_dates_from_the_file_are_kept_on_creation(centre):
    dated = make(published_at="2023-01-10T09:30:00Z", updated_at="2024-02-02T16:00:00+01:00")
    import_sheets([dated], publish=True, base_url=BASE)
    exported = export_sheet(page_of(), BASE)
    assert (exported["published_at"], exported["updated_at"]) == ("2023-01-10T09:30:00Z", "2024-02-02T15:00:00Z")


# --------------------------------------------------------------------------- atomicity, skip, dry run


def bad_file(tmp_path):
    third = make(3)
    third["territory"]["qpv"][0]["code"] = "QX12"
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps([make(1), make(2), third], ensure_ascii=False), encoding="utf-8")
    return path


def test_a_file_with_one_bad_sheet_imports_nothing(centre, tmp_path):
    import_sheets([make(1)], publish=True, base_url=BASE)
    before = counts()
    path = bad_file(tmp_path)
    changed = json.loads(path.read_text(encoding="utf-8"))
    changed[0]["title"] = "Titre modifié"  # a valid change to an existing sheet: must not be applied either
    path.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_experiences", str(path), "--publish", stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 2
    assert "rien n'a été importé" in str(failed.value)
    assert "fiches.json, fiche 3, territory.qpv[0].code : code QPV invalide « QX12 »" in err.getvalue()
    assert counts() == before
    assert page_of(1).title != "Titre modifié"


def test_a_failure_while_writing_rolls_everything_back(centre, monkeypatch):
    from django.core.exceptions import ValidationError

    from resources.experiences.codec import importer

    before = counts()
    original = importer._Importer.create

    def fail_on_second(self, sheet, centre):
        if sheet["id"] == IDS[1]:
            raise ValidationError({"slug": ["Ce slug est déjà utilisé."]})
        return original(self, sheet, centre)

    monkeypatch.setattr(importer._Importer, "create", fail_on_second)
    with pytest.raises(SheetImportError) as rejected:
        import_sheets([make(1), make(2)], publish=True, source="f.json", base_url=BASE)
    assert [str(e) for e in rejected.value.errors] == ["f.json, fiche 2, title : Ce slug est déjà utilisé."]
    assert counts() == before


def test_skip_invalid_imports_the_good_ones_and_reports_the_bad(centre, tmp_path):
    before = counts()
    out, err = run("import_experiences", str(bad_file(tmp_path)), "--skip-invalid")
    assert out.strip() == "2 créées, 0 mises à jour, 0 inchangées, 1 ignorées"
    assert "fiches.json, fiche 3, territory.qpv[0].code : code QPV invalide « QX12 »" in err
    assert "Fiches ignorées : fiche 3." in err
    assert counts()[0] == before[0] + 2
    assert not ExperienceSheetPage.objects.filter(uuid=IDS[2]).exists()


def test_dry_run_writes_nothing(centre, tmp_path):
    path = tmp_path / "fiches.json"
    path.write_text(json.dumps([make(1), make(2)]), encoding="utf-8")
    before = counts()
    out, _err = run("import_experiences", str(path), "--publish", "--dry-run")
    assert out.strip() == "2 créées, 0 mises à jour, 0 inchangées, 0 ignorées (simulation : rien n'a été enregistré)"
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("fiches.xlsx", b"", "format de fichier non reconnu « .xlsx »"),
        ("fiches.json", b"[{", "JSON mal formé, ligne 1, colonne 3 : nom de clé entre guillemets doubles attendu"),
        ("fiches.csv", "format;title\r\nÉté;x\r\n".encode("cp1252"), "n'est pas encodé en UTF-8"),
        ("fiches.csv", b'format;title\r\n"crpv-experience/1;x\r\n', "CSV mal formé"),
        ("fiches.json", b'{"fiches": 1}', "le fichier JSON doit contenir une liste de fiches"),
    ],
)
def test_bad_files_get_a_french_message_and_status_2(centre, tmp_path, name, raw, message):
    path = tmp_path / name
    path.write_bytes(raw)
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_experiences", str(path), stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 2
    assert message in err.getvalue()


def test_missing_file(centre, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_experiences", str(tmp_path / "absent.csv"), stderr=err)
    assert failed.value.returncode == 2
    assert "absent.csv : fichier introuvable" in err.getvalue()


# --------------------------------------------------------------------------- round trips


def test_export_import_export_is_stable(centre, tmp_path):
    sheets = [
        make(1, chantier="emploi-jeunes-2025"),
        make(2, contact=None, documents=[]),
        make(3, themes=[], territory={}),
    ]
    import_sheets(sheets, publish=True)
    first = export_file(tmp_path / "first.json")
    sheets = json.loads(first)
    assert [s["id"] for s in sheets] == IDS and sheets[1]["contact"] is None

    # Same database: nothing to do, no new revision.
    before = counts()
    out, _err = run("import_experiences", str(tmp_path / "first.json"), "--publish", "--base-url", BASE)
    assert out.strip() == "0 créées, 0 mises à jour, 3 inchangées, 0 ignorées"
    assert counts() == before

    # Empty database (for these sheets): the same JSON, publication dates included.
    for page in ExperienceSheetPage.objects.filter(uuid__in=IDS):
        page.delete()
    out, _err = run("import_experiences", str(tmp_path / "first.json"), "--publish", "--base-url", BASE)
    assert out.strip() == "3 créées, 0 mises à jour, 0 inchangées, 0 ignorées"
    assert export_file(tmp_path / "second.json") == first


def test_chantier_is_imported_and_exported_by_its_code(centre):
    import_sheets([make(1, chantier="sante-mentale-2025")], publish=True, base_url=BASE)
    page = page_of(1)
    assert (page.chantier.code, page.chantier.year) == ("sante-mentale-2025", 2025)
    assert export_sheet(page, BASE)["chantier"] == "sante-mentale-2025"
    report = import_sheets([make(1)], publish=True, base_url=BASE)
    assert report.updated == [IDS[0]] and page_of(1).chantier is None


def test_csv_export_import_gives_the_json_export(centre, tmp_path):
    import_sheets([make(1), make(2, contact=None)], publish=True)
    json_export = export_file(tmp_path / "fiches.json")
    csv_export = export_file(tmp_path / "fiches.csv")
    assert csv_export.startswith(b"\xef\xbb\xbfformat;id;title;")
    assert csv_export.decode("utf-8-sig") == sheets_to_csv(json.loads(json_export))[1:]

    out, _err = run("import_experiences", str(tmp_path / "fiches.csv"), "--publish", "--base-url", BASE)
    assert out.strip() == "0 créées, 0 mises à jour, 2 inchangées, 0 ignorées"
    for page in ExperienceSheetPage.objects.filter(uuid__in=IDS):
        page.delete()
    run("import_experiences", str(tmp_path / "fiches.csv"), "--publish", "--base-url", BASE)
    assert export_file(tmp_path / "again.json") == json_export


def test_export_only_live_sheets_unless_drafts_are_asked_for(centre, tmp_path):
    import_sheets([make(1)], publish=True)
    import_sheets([make(2)])  # a draft
    import_sheets([make(1, title="Brouillon du titre")])  # unpublished change of a live sheet
    live = json.loads(export_file(tmp_path / "live.json"))
    assert [(s["id"], s["title"]) for s in live] == [(IDS[0], make(1)["title"])]
    everything = json.loads(export_file(tmp_path / "all.json", "--include-drafts"))
    assert [(s["id"], s["title"]) for s in everything] == [(IDS[0], "Brouillon du titre"), (IDS[1], make(2)["title"])]
    assert everything[1]["published_at"] is None


def test_export_command_rejects_an_unknown_centre(centre):
    with pytest.raises(CommandError) as failed:
        call_command("export_experiences", "--centre", "atlantide", stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == 2 and "Centre inconnu « atlantide »" in str(failed.value)


def test_library_documents_keep_their_link_when_the_sheet_changes(centre):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    import_sheets([make()], publish=True, base_url=BASE)
    document = get_document_model().objects.create(title="Bilan", file=ContentFile(b"%PDF-1.4", name="bilan.pdf"))
    page = page_of()
    page.documents.all().update(document=document, url="")
    exported = export_sheet(page_of(), BASE)
    assert exported["documents"] == [{"title": "Bilan 2023", "url": BASE + document.url}]
    import_sheets([dict(exported, title="Titre revu")], publish=True, base_url=BASE)
    assert page_of().documents.get().document_id == document.pk

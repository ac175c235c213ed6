"""The public experience sheet: HTML page, JSON-LD, PDF, and what the public must never see."""

import io
import json
import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.utils.html import strip_tags
from django.utils.text import slugify
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from portal.centres.models import CentrePage
from resources.experiences import demo
from resources.experiences.models import SECTIONS, ExperienceSheetPage, SheetCommune, SheetFunder, SheetQpv
from resources.experiences.pdf import LocalFetcher
from resources.taxonomy.models import Departement, Public, Theme

pytestmark = pytest.mark.django_db

SECRET = {
    "contact_name": "Zoé Confidentielle",
    "contact_email": "zoe.confidentielle@cache.example.org",
    "contact_phone": "01 99 00 77 66",
}


def new_sheet(centre, title, *, live=True, contact_public=False, **fields):
    """A sheet with every kind of metadata, created the way an editor's save would."""
    section = CentrePage.objects.get(centre=centre)
    grenoble = Departement.objects.get(code="38")
    defaults = {
        "summary": f"Résumé de « {title} ».",
        "status": "en_cours",
        "period_start": date(2024, 9, 1),
        "period_ongoing": True,
        "region": grenoble.region,
        "departement": grenoble,
        "porteur_name": "Centre social Arlequin",
        "porteur_type": "association",
        "budget_eur": Decimal("48000.50"),
        "context": "<p>Un contexte précis.</p>",
        "objectives": "<ul><li>Premier objectif</li></ul>",
        "outlook": "<p>Des perspectives.</p>",
        **SECRET,
    }
    sheet = ExperienceSheetPage(
        title=title,
        slug=f"{slugify(title)[:50]}-{uuid.uuid4().hex[:6]}",
        centre=centre,  # drafts get only Wagtail's minimal clean, which does not derive it
        live=live,
        contact_public=contact_public,
        **{**defaults, **fields},
    )
    sheet.communes = [SheetCommune(insee="38185", name="Grenoble")]
    sheet.qpvs = [SheetQpv(code="QP038004", name="Villeneuve – Village Olympique")]
    sheet.funders = [
        SheetFunder(name="Ville de Grenoble", type="collectivite", amount_eur=Decimal("12500")),
        SheetFunder(name="Fondation de France", type="fondation", amount_eur=None),
    ]
    sheet.themes = list(Theme.objects.filter(slug__in=["sante", "education"]))
    sheet.publics = list(Public.objects.filter(slug="familles"))
    sheet.tags.add("ateliers", "médiation")
    section.add_child(instance=sheet)
    revision = sheet.save_revision()
    if live:
        revision.publish()
    sheet.refresh_from_db()
    return sheet


def text(html):
    """The text of some HTML, with French spacing normalised (no-break spaces become plain spaces)."""
    return re.sub(r"[\s\xa0\u202f]+", " ", unescape(strip_tags(html))).strip()


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return text(" ".join(page.extract_text() for page in reader.pages)), reader


@pytest.fixture
def coding_sheet(portal_tree):
    """A demo sheet (loaded once per session), found by its fixed uuid."""
    return ExperienceSheetPage.objects.get(uuid=demo.sheet_uuid("labo-cites", "coding"))


def test_demo_has_three_published_sheets_per_centre(portal_tree):
    for code, centre in portal_tree.items():
        sheets = ExperienceSheetPage.objects.live().filter(centre=centre)
        assert sheets.count() >= 3, code
        own = sheets.filter(uuid__in=demo.uuids(code))
        assert own.count() == 3, code
        for sheet in own:
            assert len(sheet.sections) == len(SECTIONS), sheet.title
            assert sheet.communes.exists() and sheet.funders.exists() and sheet.themes.exists()
            assert sheet.region.code in centre.regions
            assert sheet.departement.region_id == sheet.region_id
        assert {True, False} == set(own.values_list("contact_public", flat=True)), code
    demo_sheets = ExperienceSheetPage.objects.filter(uuid__in=demo.uuids())
    assert demo_sheets.filter(contact_public=True).exists() and demo_sheets.filter(contact_public=False).exists()
    assert {"en_cours", "terminee"} <= set(demo_sheets.values_list("status", flat=True))
    assert demo_sheets.values("title").distinct().count() == demo_sheets.count() == 54


def test_demo_load_is_idempotent(portal_tree):
    before = ExperienceSheetPage.objects.count()

    class Quiet:
        def say(self, message):
            pass

    demo.load(Quiet())
    assert ExperienceSheetPage.objects.count() == before


def test_page_renders_sections_metadata_and_links(client, coding_sheet):
    response = client.get(coding_sheet.url)
    assert response.status_code == 200
    html = response.content.decode()
    body = html[html.index("<main") : html.index("</main>")]
    assert len(re.findall(r"<h1[ >]", body)) == 1
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", body)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))

    # The nine narrative sections, in order, each an h2 with its rich text.
    positions = [body.index(f'<h2 id="titre-{key}">{label}</h2>'.replace("'", "&#x27;")) for key, label in SECTIONS]
    assert positions == sorted(positions)
    assert "<ul><li>Former aux métiers" in body  # rich text rendered, not escaped

    flat = text(body)
    centre_section = CentrePage.objects.get(centre=coding_sheet.centre)
    assert f'<a href="{centre_section.url}">{coding_sheet.centre.name}</a>' in body
    assert f'<time datetime="{coding_sheet.period_start:%Y-%m-%d}">' in body
    for commune in coding_sheet.communes.all():
        assert f'{commune.name} <span class="sheet-code">({commune.insee})</span>' in body
    for qpv in coding_sheet.qpvs.all():
        assert qpv.code in body and qpv.name in html
    for funder in coding_sheet.funders.all():
        assert f"{int(funder.amount_eur):,} €".replace(",", " ") in flat
    assert coding_sheet.porteur_name in flat
    for theme in coding_sheet.themes.all():
        assert f'href="/bibliotheque/?theme={theme.slug}"' in body
    for public in coding_sheet.publics.all():
        assert f'href="/bibliotheque/?public={public.slug}"' in body
    for pillar in coding_sheet.pillars.all():
        assert f'href="/bibliotheque/?pillar={pillar.slug}"' in body
    for tag in coding_sheet.tags.all():
        assert tag.name in body
    assert f'href="{coding_sheet.url}pdf/"' in body and "Télécharger en PDF" in body
    assert "Imprimer" in body


def test_french_amounts_territory_and_hors_qpv(client, portal_tree):
    sheet = new_sheet(portal_tree["labo-cites"], "Montants et territoire")
    flat = text(client.get(sheet.url).content.decode())
    assert "12 500 €" in flat and "48 000,50 €" in flat
    assert "Fondation de France (fondation)" in flat
    assert "Auvergne-Rhône-Alpes · Isère (38)" in flat
    assert "hors QPV" not in flat

    outside = new_sheet(portal_tree["labo-cites"], "Action hors quartier", hors_qpv=True)
    outside.qpvs.all().delete()
    assert "Quartiers prioritaires : hors QPV" in text(client.get(outside.url).content.decode())


def test_json_ld_describes_the_sheet(client, coding_sheet):
    html = client.get(coding_sheet.url).content.decode()
    head = html[: html.index("</head>")]
    data = json_ld(head)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] in ("Article", "CreativeWork")
    assert data["name"] == coding_sheet.title
    assert data["abstract"] == coding_sheet.summary
    assert data["identifier"] == str(coding_sheet.uuid)
    assert data["url"] == f"http://testserver{coding_sheet.url}"  # the request's host, not the Site's
    assert data["inLanguage"] == "fr"
    assert data["author"]["name"] == coding_sheet.author
    assert data["publisher"] == {
        "@type": "Organization",
        "name": coding_sheet.centre.name,
        "url": f"http://testserver{CentrePage.objects.get(centre=coding_sheet.centre).url}",
    }
    published = datetime.fromisoformat(data["datePublished"])
    assert abs((published - coding_sheet.first_published_at).total_seconds()) < 1
    assert "dateModified" in data
    places = {place["name"]: place for place in data["spatialCoverage"]}
    for commune in coding_sheet.communes.all():
        assert places[commune.name]["identifier"] == commune.insee
        assert places[commune.name]["containedInPlace"]["containedInPlace"]["name"] == coding_sheet.region.name
    keywords = set(data["keywords"])
    assert {t.label for t in coding_sheet.themes.all()} <= keywords
    assert {t.name for t in coding_sheet.tags.all()} <= keywords


def test_json_ld_cannot_break_out_of_its_script(client, portal_tree):
    title = "Fiche </script><script>alert('x')</script> & co"
    sheet = new_sheet(portal_tree["irev"], title)
    html = client.get(sheet.url).content.decode()
    assert "</script><script>alert" not in html
    assert json_ld(html)["name"] == title


def test_hidden_contact_never_reaches_the_public(client, portal_tree):
    sheet = new_sheet(portal_tree["labo-cites"], "Contact caché", contact_public=False)
    html = client.get(sheet.url).content.decode()
    pdf = client.get(f"{sheet.url}pdf/")
    assert pdf.status_code == 200
    words, _reader = pdf_text(pdf.content)
    ld = json.dumps(json_ld(html), ensure_ascii=False)
    for value in SECRET.values():
        assert value not in html
        assert value not in ld
        assert value not in words
    assert "titre-contact" not in html


def test_visible_contact_is_shown_on_page_and_pdf(client, portal_tree):
    sheet = new_sheet(portal_tree["labo-cites"], "Contact affiché", contact_public=True)
    html = client.get(sheet.url).content.decode()
    for value in SECRET.values():
        assert value in html
    assert f'href="mailto:{SECRET["contact_email"]}"' in html
    words, _reader = pdf_text(client.get(f"{sheet.url}pdf/").content)
    assert SECRET["contact_name"] in words and SECRET["contact_email"] in words


def test_pdf_is_a_real_attachment(client, coding_sheet):
    response = client.get(f"{coding_sheet.url}pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{coding_sheet.slug}.pdf"'
    assert response.content.startswith(b"%PDF")
    words, reader = pdf_text(response.content)
    assert reader.metadata.title == coding_sheet.title
    assert len(reader.pages) >= 2
    for _key, label in SECTIONS:
        assert str(label) in words
    assert text(coding_sheet.summary)[:60] in words


def test_pdf_embeds_the_illustration_from_disk(client, portal_tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = get_image_model().objects.create(
        title="photo-atelier.png",
        description="Des parents en atelier au centre social",
        file=get_test_image_file(),
        collection=portal_tree["labo-cites"].collection,
    )
    sheet = new_sheet(portal_tree["labo-cites"], "Fiche illustrée", image=image)
    html = client.get(sheet.url).content.decode()
    assert 'alt="Des parents en atelier au centre social"' in html
    reader = PdfReader(io.BytesIO(client.get(f"{sheet.url}pdf/").content))
    assert sum(len(page.images) for page in reader.pages) >= 1


def test_pdf_fetcher_reads_local_files_and_refuses_the_network():
    fetcher = LocalFetcher("http://testserver/")
    response = fetcher.fetch("http://testserver/static/css/print.css")
    assert b"Print" in response.read()
    response.close()
    for url in ("http://example.org/tracker.png", "http://testserver/admin/", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def pdf_renders(caplog):
    return [r for r in caplog.records if r.name == "resources.experiences.pdf" and r.msg.startswith("Rendered")]


def test_pdf_is_rendered_once_per_published_revision(client, portal_tree, caplog):
    caplog.set_level("INFO", logger="resources.experiences.pdf")
    sheet = new_sheet(portal_tree["irev"], "PDF mis en cache")
    first = client.get(f"{sheet.url}pdf/")
    second = client.get(f"{sheet.url}pdf/")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert len(pdf_renders(caplog)) == 1  # WeasyPrint ran once

    sheet.title = "PDF mis en cache, titre corrigé"
    sheet.save_revision().publish()
    words, _reader = pdf_text(client.get(f"{sheet.url}pdf/").content)
    assert "titre corrigé" in words
    assert len(pdf_renders(caplog)) == 2

    sheet.title = "Brouillon non publié"
    sheet.save_revision()  # a draft revision: the public PDF stays the published one
    assert "titre corrigé" in pdf_text(client.get(f"{sheet.url}pdf/").content)[0]
    assert len(pdf_renders(caplog)) == 2


def test_drafts_are_404_for_anonymous_page_and_pdf(client, portal_tree):
    draft = new_sheet(portal_tree["irev"], "Brouillon jamais publié", live=False)
    assert not draft.live
    assert client.get(draft.url or f"/centres/irev/{draft.slug}/").status_code == 404
    assert client.get(f"/centres/irev/{draft.slug}/pdf/").status_code == 404


def test_unpublished_sheet_disappears_with_its_pdf(client, portal_tree):
    sheet = new_sheet(portal_tree["irev"], "Publiée puis retirée")
    path = sheet.url
    assert client.get(f"{path}pdf/").status_code == 200
    sheet.unpublish()
    assert client.get(path).status_code == 404
    assert client.get(f"{path}pdf/").status_code == 404


def test_private_sheet_pdf_requires_login(client, portal_tree):
    sheet = new_sheet(portal_tree["irev"], "Réservée aux connectés")
    restriction = PageViewRestriction.objects.create(page=sheet, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get(name="irev · éditeurs"))
    for path in (sheet.url, f"{sheet.url}pdf/"):
        response = client.get(path)
        assert response.status_code == 302 and "login" in response["Location"]


def test_preview_still_renders_the_page(portal_tree):
    sheet = new_sheet(portal_tree["oriv"], "Aperçu")
    response = sheet.make_preview_request()
    assert response.status_code == 200
    assert "Aperçu" in response.content.decode()

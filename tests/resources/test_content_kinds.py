"""A page type that declares a content kind is listed by the library and gathered by dossiers, unwired.

`tests.kinds_app.TestNoticePage` exists only under the test settings; nothing under
`resources/library/` or `resources/publications/` names it.
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from wagtail.models import Page

from portal.core.models import HomePage
from resources.publications.models import DossierItem, DossierPage
from tests.kinds_app import models as kinds_app

pytestmark = pytest.mark.django_db


def make_notice(centre, title, notice_date):
    slug = title.lower().replace(" ", "-")
    notice = kinds_app.TestNoticePage(title=title, slug=slug, notice_date=notice_date, centre=centre)
    notice.summary = f"Résumé de {title}."
    HomePage.objects.first().add_child(instance=notice)
    notice.save_revision().publish()
    return notice


def test_a_declared_kind_is_listed_by_the_library_with_its_label_and_date(client, portal_tree):
    notice = make_notice(portal_tree["irev"], "Note de conjoncture", datetime.date(2031, 3, 14))
    response = client.get("/bibliotheque/")
    assert response.status_code == 200
    listed = {item.pk: item for item in response.context["items"]}
    assert notice.pk in listed  # dated 2031: first of the newest-first listing
    soup = BeautifulSoup(response.content, "html.parser")
    entry = soup.find("a", string=notice.title).find_parent("li")
    assert entry.find(class_="result-type").get_text() == "Note de test"
    assert entry.find("time")["datetime"] == "2031-03-14"


def test_a_declared_kind_is_filtered_by_its_type_slug_and_by_the_shared_filters(client, portal_tree):
    notice = make_notice(portal_tree["irev"], "Note sur les mobilités", datetime.date(2030, 6, 1))
    only_notes = client.get("/bibliotheque/", {"type": "note-test"})
    assert [item.pk for item in only_notes.context["items"]] == [notice.pk]
    assert client.get("/bibliotheque/", {"type": "note-test", "centre": "oriv"}).context["items"] == []
    in_2030 = client.get("/bibliotheque/", {"type": "note-test", "year": "2030"})
    assert in_2030.context["results_page"].paginator.count == 1
    # It has no themes: a theme filter cannot match it.
    assert client.get("/bibliotheque/", {"type": "note-test", "theme": "sante"}).context["items"] == []
    # The filter form offers the kind.
    options = {name: choices for name, _title, choices in only_notes.context["options"]}
    assert ("note-test", "Note de test") in options["type"]


def test_a_declared_kind_can_be_gathered_by_a_dossier(client, portal_tree):
    notice = make_notice(portal_tree["oriv"], "Note pour le dossier", datetime.date(2030, 1, 2))
    DossierItem(item=Page.objects.get(pk=notice.pk)).full_clean(exclude=["dossier"])
    dossier = DossierPage(title="Dossier des notes", slug="dossier-des-notes", intro="Intro.")
    dossier.related_items.add(DossierItem(item=notice, comment="À lire.", sort_order=0))
    HomePage.objects.first().add_child(instance=dossier)
    dossier.save_revision().publish()
    response = client.get(dossier.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    selection = soup.find("section", attrs={"aria-labelledby": "titre-selection"}).get_text()
    assert notice.title in selection and "Note de test" in selection


def test_the_dossier_editor_offers_a_declared_kind_in_its_chooser(client, demo_content):
    user = get_user_model().objects.create_superuser("chef", "chef@example.org", "mot-de-passe")
    client.force_login(user)
    dossier = DossierPage.objects.first()
    html = client.get(f"/admin/pages/{dossier.pk}/edit/").content.decode()
    for model_name in ("kinds_app.testnoticepage", "experiences.experiencesheetpage", "publications.publicationpage"):
        assert model_name in html

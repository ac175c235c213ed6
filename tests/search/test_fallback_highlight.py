"""The database fallback's excerpt marks the characters that matched, whatever folding did to lengths."""

import pytest

from portal.centres.models import Centre
from search.fallback import DatabaseSearch
from search.indexing import sync_pages
from search.params import SearchParams
from tests.resources.sheets import make_sheet

pytestmark = pytest.mark.django_db

SUMMARIES = {
    "ellipsis": "Trois temps… puis la médiation sociale au quotidien.",
    "ligature": "Le ﬁnancement du cœur de quartier et la médiation sociale.",
    "both": "Œuvre… ﬁnale … œil … ﬂux : médiation sociale.",
}


@pytest.mark.parametrize("name", SUMMARIES)
def test_fallback_highlight_marks_the_matched_word(portal_tree, settings, name):
    settings.OPENSEARCH_URL = ""
    title = f"Vorbulane {name}"
    sheet = make_sheet(Centre.objects.get(code="irev"), title, summary=SUMMARIES[name])
    sync_pages([sheet.pk])
    results = DatabaseSearch().search(SearchParams(q="Vorbulane médiation"))["results"]
    highlight = next(result["highlight"] for result in results if result["title"] == title)
    assert "<mark>médiation</mark>" in highlight


def test_fallback_highlight_marks_a_word_written_with_a_ligature(portal_tree, settings):
    settings.OPENSEARCH_URL = ""
    sheet = make_sheet(
        Centre.objects.get(code="irev"), "Vorbulane ligature", summary="Étape… le ﬁnancement participatif du projet."
    )
    sync_pages([sheet.pk])
    results = DatabaseSearch().search(SearchParams(q="Vorbulane financement"))["results"]
    assert "<mark>ﬁnancement</mark>" in results[0]["highlight"]

"""Run by test_sqlite_fallback.py in a subprocess on a real SQLite database (`manage.py shell`, the
demo's settings): creates sheets, searches them through the ORM path, prints the answers as JSON."""

import json

from django.test import Client

from portal.accounts.roles import sync_roles
from portal.centres.models import Centre
from portal.centres.services import sync_centres
from search.backends import implementation
from search.models import SearchWord
from search.params import SearchParams
from tests.resources.sheets import make_sheet

from .test_forgiving import FORGIVING

QUERIES = [
    "adulte relais",
    "adultes-relais",
    "adultes relais",
    "ateliers socio-linguistiques",
    "ateliers sociolinguistiques",
    "atelier socio-linguistique",
    "jardin partagé",
    "jardins partagés",
    "mediation sociale",
    "Médiation Sociale",
    "mediaton",
    "Vrombelle compots",
]


def main():
    sync_centres()
    sync_roles()
    sheets = {
        key: make_sheet(Centre.objects.get(code=centre), title, summary=summary, themes=["education"])
        for key, (centre, title, summary) in FORGIVING.items()
    }
    service = implementation()
    answers = {}
    for q in QUERIES:
        answer = service.search(SearchParams(q=q, page_size=200))
        answers[q] = {"titles": sorted(r["title"] for r in answer["results"]), "suggestion": answer["suggestion"]}
    client = Client()
    pages = {
        "typo": client.get("/recherche/", {"q": "mediaton"}, HTTP_HOST="127.0.0.1").content.decode(),
        "filters": client.get(
            "/recherche/", {"q": "Vrombelle médiation", "centre": "oriv", "theme": "education"}, HTTP_HOST="127.0.0.1"
        ).content.decode(),
    }
    print(
        json.dumps(
            {
                "vendor": service.__class__.__name__ + ":" + __import__("django.db").db.connection.vendor,
                "titles": {key: sheet.title for key, sheet in sheets.items()},
                "answers": answers,
                "pages": pages,
                "words": SearchWord.objects.count(),
            }
        )
    )

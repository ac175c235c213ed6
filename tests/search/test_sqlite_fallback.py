"""The zero-setup demo's search (`make run`: SQLite, no engine) forgives as the others do.

The suite runs on PostgreSQL; this module runs the ORM path for real on SQLite: a subprocess
migrates a fresh SQLite database with the demo settings (as scripts/demo-smoke does), creates the
sheets of test_forgiving.py, searches them and prints the answers (tests/search/sqlite_probe.py).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def probe():
    with tempfile.TemporaryDirectory() as work:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work}/demo.sqlite3",
            "MEDIA_ROOT": f"{work}/media",
            "OPENSEARCH_URL": "",
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=600)
        script = "from tests.search.sqlite_probe import main; main()"
        done = subprocess.run(
            [*manage, "shell", "-v", "0", "-c", script], env=env, cwd=ROOT, check=True, timeout=600, capture_output=True
        )
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def titles(probe, *keys):
    return sorted(probe["titles"][key] for key in keys)


def test_it_really_is_sqlite_without_engine(probe):
    assert probe["vendor"] == "DatabaseSearch:sqlite"
    assert probe["words"] > 20  # the vocabulary kept by the indexing of the sheets


@pytest.mark.parametrize("query", ["adulte relais", "adultes-relais", "adultes relais"])
def test_hyphens(probe, query):
    assert probe["answers"][query]["titles"] == titles(probe, "relais_hyphen", "relais_space")


@pytest.mark.parametrize(
    "query", ["ateliers socio-linguistiques", "ateliers sociolinguistiques", "atelier socio-linguistique"]
)
def test_joined_and_split_compounds(probe, query):
    assert probe["answers"][query]["titles"] == titles(probe, "asl_hyphen", "asl_solid")


def test_plurals_and_accents(probe):
    answers = probe["answers"]
    assert answers["jardin partagé"]["titles"] == answers["jardins partagés"]["titles"] == titles(probe, "jardins")
    assert (
        answers["mediation sociale"]["titles"] == answers["Médiation Sociale"]["titles"] == titles(probe, "mediation")
    )


def test_did_you_mean(probe):
    assert probe["answers"]["mediaton"] == {"titles": [], "suggestion": "médiation"}
    assert probe["answers"]["Vrombelle compots"] == {"titles": [], "suggestion": "Vrombelle compost"}


def test_empty_page(probe):
    html = probe["pages"]["typo"]
    assert "Aucun résultat" in html and "0 résultat" not in html
    assert 'Vouliez-vous dire : <a href="/recherche/?q=m%C3%A9diation">médiation</a>' in html
    assert '<a href="/bibliotheque/">Parcourir la bibliothèque de ressources</a>' in html
    html = probe["pages"]["filters"]
    assert '<a href="/recherche/?q=Vrombelle+m%C3%A9diation&amp;theme=education">' in html
    assert "(1 résultat)" in html

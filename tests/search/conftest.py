import uuid

import pytest

from portal.centres.models import Centre
from tests.resources.sheets import make_sheet


@pytest.fixture(autouse=True)
def closed_breaker():
    """Each test starts with the engine's circuit breaker closed (its state lives in the process)."""
    from search.breaker import breaker

    breaker.reset()
    yield breaker
    breaker.reset()


@pytest.fixture
def search_engine(settings, opensearch_url):
    """Point search at the test node, with an index prefix of its own; drop its indices afterwards."""
    from search import engine

    settings.OPENSEARCH_URL = opensearch_url
    settings.OPENSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    yield engine
    client = engine.get_client()
    client.indices.delete(index=f"{settings.OPENSEARCH_INDEX_PREFIX}-*", ignore_unavailable=True)


def rebuild():
    from search import engine, lifecycle

    lifecycle.rebuild()
    engine.get_client().indices.refresh(index=engine.alias_name())


def refresh():
    from search import engine

    if engine.enabled():
        engine.get_client().indices.refresh(index=engine.alias_name())


@pytest.fixture(params=["database", "engine"])
def service(request, db, settings):
    """The search service on each implementation, over the demo content plus the test's corpus."""
    if request.param == "engine":
        request.getfixturevalue("search_engine")
    else:
        settings.OPENSEARCH_URL = ""
    corpus = request.getfixturevalue("corpus")
    from search.backends import implementation
    from search.indexing import sync_pages

    if request.param == "engine":
        rebuild()
    else:
        sync_pages([sheet.pk for sheet in corpus.values()])
    return implementation()


@pytest.fixture
def corpus(portal_tree):
    """Sheets whose words exercise the French analysis; titles are unique markers."""
    irev, oriv = Centre.objects.get(code="irev"), Centre.objects.get(code="oriv")
    return {
        "egalite": make_sheet(
            irev,
            "Zorblax : l'Égalité des chances au collège",
            summary="Tutorat pour l'égalité des chances des collégiens.",
            themes=["education"],
        ),
        "asl": make_sheet(
            oriv,
            "Quimbrelle : apprendre le français en ateliers sociolinguistiques",
            summary="Des ateliers sociolinguistiques pour les mères de famille.",
            themes=["insertion"],
        ),
        "qpv": make_sheet(
            irev,
            "Plivoune : diagnostic en marchant dans un QPV",
            summary="Les habitants parcourent le QPV avec les bailleurs.",
            themes=["gestion-urbaine-proximite"],
        ),
        "quartier": make_sheet(
            oriv,
            "Drastelle : vivre ensemble au quartier prioritaire",
            summary="Une fête de quartier prioritaire organisée par les habitants.",
            themes=["participation-habitants"],
        ),
        "jardins": make_sheet(
            irev,
            "Frumidor : des jardins partagés au pied des tours",
            summary="Jardins partagés et alimentation durable.",
            themes=["alimentation", "transition-ecologique"],
        ),
        "compost": make_sheet(
            oriv,
            "Grelinotte : jardins partagés et compost collectif",
            summary="Un jardin partagé avec un composteur collectif et une fête des récoltes.",
            themes=["alimentation", "transition-ecologique"],
        ),
    }

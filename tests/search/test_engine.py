"""Engine-only behaviour on the real node: lifecycle, outages, spelling, and DSL portability."""

import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from search import lifecycle
from search.models import IndexQueue
from search.params import SearchParams
from search.queue import drain
from tests.resources.sheets import make_sheet

from .conftest import rebuild, refresh

pytestmark = [pytest.mark.django_db, pytest.mark.opensearch]
ROOT = Path(__file__).resolve().parents[2]


def test_request_bodies_identical_for_opensearch_and_elasticsearch():
    from search.engine import load_dsl
    from search.queries import build_facets, build_search, build_similar, build_suggest

    params = SearchParams(q="médiation santé", filters={"theme": ["sante"], "year": [2024]}, sort="date", page=2)
    bodies = {}
    for name in ("opensearch", "elasticsearch"):
        dsl = load_dsl(name)
        bodies[name] = (
            build_search(params, dsl, "idx").to_dict(),
            build_suggest(dsl, "idx", "médi").to_dict(),
            build_similar(dsl, "idx", 42).to_dict(),
            build_facets(params, dsl, "idx").to_dict(),
        )
    assert bodies["opensearch"] == bodies["elasticsearch"]
    page, *_others, counted = bodies["opensearch"]
    assert {"terms": {"theme": ["sante"]}} in page["query"]["bool"]["filter"]  # the filters made it into the bodies
    assert counted["post_filter"]["bool"]["filter"] and counted["size"] == 0


def test_did_you_mean_when_nothing_is_found(search_engine, corpus):
    from search.service import get_service

    rebuild()
    answer = get_service().search(SearchParams(q="Qimbrelle sociolinguistiqe xxxzzq"))
    assert answer["count"] == 0
    assert answer["suggestion"] and "quimbrelle" in answer["suggestion"]


@pytest.mark.parametrize(
    "query, key",
    [("Grelinote compst", "compost"), ("sociolinguistiqes", "asl"), ("egalitée des chanses", "egalite")],
)
def test_typos_are_tolerated_even_when_stemming_shortens_the_word(search_engine, corpus, query, key):
    from search.service import get_service

    rebuild()
    titles = [result["title"] for result in get_service().search(SearchParams(q=query))["results"]]
    assert corpus[key].title in titles


def test_typo_of_a_word_whose_stem_is_short(search_engine, portal_tree):
    from search.service import get_service

    sheet = make_sheet(portal_tree["irev"], "Ozmirande : médiation sociale de nuit", summary="Des médiateurs.")
    rebuild()
    titles = [result["title"] for result in get_service().search(SearchParams(q="mediaton sociale"))["results"]]
    assert sheet.title in titles


def test_check_reports_and_fixes_drift(search_engine, corpus):
    rebuild()
    client = search_engine.get_client()
    client.delete(index=search_engine.alias_name(), id=f"page-{corpus['asl'].pk}", refresh=True)
    engine_report = next(r for r in lifecycle.check() if r.sink == "engine")
    assert engine_report.missing == [corpus["asl"].pk]
    lifecycle.check(fix=True)
    refresh()
    assert all(report.total == 0 for report in lifecycle.check())


def test_rebuild_under_concurrent_queries_never_fails_or_empties(search_engine, corpus):
    from search.queries import EngineSearch

    rebuild()
    service, failures, counts, stop = EngineSearch(), [], [], threading.Event()

    def query_loop():
        while not stop.is_set():
            try:
                counts.append(service.client.count(index=service.index)["count"])
                hits = service.client.search(index=service.index, body={"query": {"match": {"title": "jardins"}}})
                counts.append(hits["hits"]["total"]["value"])
            except Exception as exc:  # noqa: BLE001 - any failure is what we look for
                failures.append(exc)

    thread = threading.Thread(target=query_loop)
    thread.start()
    try:
        for _ in range(3):
            lifecycle.rebuild()
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert counts and min(counts) > 0


def _node(action):
    script = str(ROOT / "scripts" / "opensearch")
    return subprocess.run([script, action], capture_output=True, text=True, timeout=300)  # noqa: S603


def test_node_outage_during_publishing_converges_after_restart(search_engine, corpus):
    from tests.resources.sheets import make_sheet

    rebuild()
    assert _node("status").returncode == 0, "the node of `make test` must be up"
    heap = _heap_max(search_engine)
    assert _node("stop").returncode == 0
    assert _node("status").returncode != 0, "the node must really be down"
    try:
        sheet = make_sheet(corpus["asl"].centre, "Publiée pendant la panne")
        corpus["qpv"].unpublish()
        from search.queue import enqueue

        enqueue([sheet.pk, corpus["qpv"].pk])  # what the publish signals record
        synced, failed = drain()
        assert failed >= 2 and synced == 0
        assert IndexQueue.objects.filter(page_id=sheet.pk, attempts=1).exists()
    finally:
        started = _node("start")
    assert started.returncode == 0, started.stderr[-2000:]
    _wait_for_green(search_engine)
    assert _heap_max(search_engine) == heap, "the node restarts with the heap it was started with"
    IndexQueue.objects.update(next_attempt_at=None)  # the back-off delay has "passed"
    drain()
    refresh()
    assert all(report.total == 0 for report in lifecycle.check())
    assert not IndexQueue.objects.exists()


def _heap_max(engine):
    nodes = engine.get_client().nodes.stats(metric="jvm")["nodes"].values()
    return [node["jvm"]["mem"]["heap_max_in_bytes"] for node in nodes]


def _wait_for_green(engine, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            engine.get_client().cluster.health(wait_for_status="yellow")
            return
        except Exception:  # noqa: BLE001
            time.sleep(1)
    raise AssertionError("the node did not come back")


def test_search_index_command(search_engine, corpus, capsys):
    call_command("search_index", "rebuild", "--target=all", verbosity=0)
    call_command("search_index", "check")
    assert "Aucun écart" in capsys.readouterr().out


def test_engine_rebuild_leaves_the_database_entries_alone(search_engine, corpus):
    from search.models import SearchEntry

    before = SearchEntry.objects.count()
    call_command("search_index", "rebuild", verbosity=0)
    assert SearchEntry.objects.count() == before
    engine_report = next(report for report in lifecycle.check() if report.sink == "engine")
    assert engine_report.total == 0

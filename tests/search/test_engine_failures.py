"""When the engine fails, search answers from the database: a missing index, a hung node, the breaker.

Against the real node (missing index) and a real local TCP server that accepts connections and
never answers (a hung node). Each test starts with the breaker closed (tests/search/conftest.py).
"""

import socket
import threading
import time

import pytest

from search.indexing import sync_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_node():
    """A listening socket on 127.0.0.1 that accepts and never answers; yields (url, accepted connections)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted, stop = [], threading.Event()

    def accept_forever():
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)  # kept open, never read nor answered

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


@pytest.fixture
def in_database(settings, corpus):
    """The corpus in the fallback's entries only (the engine is pointed elsewhere by each test)."""
    settings.OPENSEARCH_URL = ""
    sync_pages([sheet.pk for sheet in corpus.values()])
    return corpus


def test_missing_index_answers_from_the_fallback(client, settings, opensearch_url, search_engine, in_database):
    settings.OPENSEARCH_URL = opensearch_url  # the real node, without the alias
    settings.OPENSEARCH_INDEX_PREFIX = "test-missing-alias-never-created"
    page = client.get("/recherche/", {"q": "Quimbrelle"})
    assert page.status_code == 200
    assert in_database["asl"].title in page.content.decode()
    api = client.get("/api/v1/search/", {"q": "Quimbrelle"})
    assert api.status_code == 200
    assert [result["title"] for result in api.json()["results"]] == [in_database["asl"].title]
    assert client.get("/api/v1/search/suggest/", {"q": "Quimbr"}).status_code == 200
    assert not search_engine.get_client().indices.exists(index="test-missing-alias-never-created-portal")


def test_hung_node_search_answers_from_the_fallback_quickly(client, settings, in_database, hung_node):
    url, accepted = hung_node
    settings.OPENSEARCH_URL = url
    started = time.monotonic()
    page = client.get("/recherche/", {"q": "Quimbrelle"})
    elapsed = time.monotonic() - started
    assert page.status_code == 200
    assert in_database["asl"].title in page.content.decode()
    assert elapsed < 2.5, f"{elapsed:.1f} s"
    assert accepted, "the query did reach the hung node"


def test_hung_node_sheet_page_renders_without_similar_items(client, settings, in_database, hung_node):
    settings.OPENSEARCH_URL = hung_node[0]
    started = time.monotonic()
    page = client.get(in_database["jardins"].url)
    elapsed = time.monotonic() - started
    assert page.status_code == 200
    assert in_database["jardins"].title in page.content.decode()
    assert "Expériences similaires" not in page.content.decode()
    assert elapsed < 2.5, f"{elapsed:.1f} s"


def test_breaker_skips_a_hung_node_after_repeated_failures(client, settings, in_database, hung_node):
    url, accepted = hung_node
    settings.OPENSEARCH_URL = url
    settings.SEARCH_BREAKER_FAILURES = 2
    settings.SEARCH_BREAKER_SECONDS = 60
    for _ in range(2):
        assert client.get("/api/v1/search/", {"q": "Quimbrelle"}).status_code == 200
    tried = len(accepted)
    started = time.monotonic()
    answers = [client.get("/api/v1/search/", {"q": "Quimbrelle"}) for _ in range(3)]
    elapsed = time.monotonic() - started
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].json()["results"][0]["title"] == in_database["asl"].title
    assert len(accepted) == tried, "the open breaker did not ask the engine"
    assert elapsed < 1.0, f"{elapsed:.2f} s for three searches"
    assert client.get(in_database["jardins"].url).status_code == 200
    assert len(accepted) == tried  # nor for similar items


def test_breaker_tries_the_engine_again_after_its_pause(settings, search_engine, closed_breaker):
    settings.SEARCH_BREAKER_FAILURES = 1
    settings.SEARCH_BREAKER_SECONDS = 0.2
    closed_breaker.failed()
    assert not closed_breaker.allows()
    time.sleep(0.25)
    assert closed_breaker.allows()
    closed_breaker.succeeded()
    closed_breaker.failed()  # a failure after a success starts counting again (threshold 1 here)
    assert not closed_breaker.allows()

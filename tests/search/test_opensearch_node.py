"""The OpenSearch node started by `make test` is real and speaks French."""

import uuid

import pytest
from opensearchpy import OpenSearch

pytestmark = pytest.mark.opensearch


@pytest.fixture
def client(opensearch_url):
    return OpenSearch(hosts=[opensearch_url], timeout=30)


@pytest.fixture
def french_index(client):
    name = f"test-french-{uuid.uuid4().hex[:8]}"
    client.indices.create(
        index=name,
        body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {"properties": {"text": {"type": "text", "analyzer": "french"}}},
        },
    )
    yield name
    client.indices.delete(index=name)


def tokens(client, index, text):
    result = client.indices.analyze(index=index, body={"field": "text", "text": text})
    return [token["token"] for token in result["tokens"]]


def test_french_analyzer_drops_elision_and_accents(client, french_index):
    found = tokens(client, french_index, "l'Égalité des chances")
    assert found == ["egalit", "chanc"]
    assert all("'" not in token and token.isascii() for token in found)


def test_french_analyzer_matches_inflected_forms(client, french_index):
    client.index(index=french_index, id="1", body={"text": "Les égalités des chances"}, refresh=True)
    hits = client.search(index=french_index, body={"query": {"match": {"text": "l'égalité"}}})["hits"]
    assert hits["total"]["value"] == 1

"""The one module that imports a search-engine client.

OpenSearch (opensearch-py and its DSL) is the default; `SEARCH_ENGINE = "elasticsearch"`
switches to `elasticsearch` 8/9 and `elasticsearch.dsl`, whose DSL has the same names.
Everything else in the project goes through `dsl`, `get_client()` and the exceptions here.
"""

from functools import cache
from types import SimpleNamespace

from django.conf import settings

DSL_NAMES = [
    "A", "Boolean", "Date", "Document", "Index", "InnerDoc", "Integer", "Keyword", "Q", "Search",
    "SearchAsYouType", "Text", "analyzer", "token_filter",
]  # fmt: skip


def load_dsl(engine):
    """The DSL namespace of an engine: 'opensearch' or 'elasticsearch'."""
    if engine == "elasticsearch":
        from elasticsearch import dsl as module
    elif engine == "opensearch":
        import opensearchpy as module
    else:
        raise ValueError(f"Unknown SEARCH_ENGINE {engine!r}: expected 'opensearch' or 'elasticsearch'.")
    return SimpleNamespace(**{name: getattr(module, name) for name in DSL_NAMES}, engine=engine)


ENGINE = getattr(settings, "SEARCH_ENGINE", "opensearch")
dsl = load_dsl(ENGINE)

if ENGINE == "elasticsearch":
    from elasticsearch import ApiError, NotFoundError, SerializationError, TransportError
    from elasticsearch import ConnectionError as EngineConnectionError  # noqa: N812
    from elasticsearch import Elasticsearch as _Client
    from elasticsearch.helpers import scan, streaming_bulk

    _CLIENT_ERRORS = (ApiError, TransportError, SerializationError)
else:
    from opensearchpy import ConnectionError as EngineConnectionError  # noqa: N812
    from opensearchpy import NotFoundError, OpenSearchException
    from opensearchpy import OpenSearch as _Client
    from opensearchpy.helpers import scan, streaming_bulk

    _CLIENT_ERRORS = (OpenSearchException,)


class RequestFailed(Exception):
    """A request of a multi-search that the engine refused: `msearch` answers errors per request."""


class IndexMissing(Exception):
    """No index behind the alias: writes are refused rather than creating one with a generic mapping."""


# Failures worth retrying later: the node is down or overloaded (timeouts are connection errors),
# or the index is not created yet (a fresh deploy before `search_index ensure`: search answers
# from the database meanwhile).
ENGINE_UNAVAILABLE = (EngineConnectionError, ConnectionError, TimeoutError, NotFoundError, IndexMissing)
# Every failure of a query: also a refused request, a garbled answer. A search answers from the
# database on any of them rather than fail (see search/backends.py).
ENGINE_ERRORS = (*_CLIENT_ERRORS, *ENGINE_UNAVAILABLE, RequestFailed)

__all__ = [
    "dsl", "get_client", "query_client", "enabled", "NotFoundError", "IndexMissing", "streaming_bulk", "scan",
    "ENGINE_UNAVAILABLE", "ENGINE_ERRORS", "RequestFailed",
]  # fmt: skip


def enabled():
    """Whether an engine is configured; without one, search answers from the database."""
    return bool(settings.OPENSEARCH_URL)


@cache
def _client(url, timeout):
    return _Client(hosts=[u.strip() for u in url.split(",") if u.strip()], timeout=timeout, max_retries=0)


def get_client(timeout=None):
    """A client for indexing and maintenance: `SEARCH_INDEX_TIMEOUT` seconds unless told otherwise."""
    return _client(settings.OPENSEARCH_URL, timeout or settings.SEARCH_INDEX_TIMEOUT)


def query_client():
    """A client for the queries people wait on: `SEARCH_QUERY_TIMEOUT` seconds (about 1), then the fallback."""
    return _client(settings.OPENSEARCH_URL, settings.SEARCH_QUERY_TIMEOUT)


def alias_name():
    return f"{settings.OPENSEARCH_INDEX_PREFIX}-portal"

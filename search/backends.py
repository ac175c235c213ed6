"""Which implementation answers a query: the engine when configured and healthy, else the database.

A query the engine fails (down, hung past `SEARCH_QUERY_TIMEOUT`, missing index, refused
request) is answered from the database fallback and counted by the circuit breaker; while the
breaker is open the engine is not asked at all.
"""

import logging

from . import engine
from .breaker import breaker

logger = logging.getLogger(__name__)


def database():
    from .fallback import DatabaseSearch

    return DatabaseSearch()


def engine_search():
    from .queries import EngineSearch

    return EngineSearch()


def implementation():
    """The implementation in use, without fallback (the status page, the contract tests)."""
    return engine_search() if engine.enabled() else database()


def ask(method, *args, fallback=True, **kwargs):
    """`method` of the engine, or of the database when the engine is off, failing or skipped.

    With `fallback=False` a failed or skipped engine query gives None (for extras such as similar
    items, which are left out rather than computed differently).
    """
    if not engine.enabled():
        return getattr(database(), method)(*args, **kwargs)
    if breaker.allows():
        try:
            answer = getattr(engine_search(), method)(*args, **kwargs)
        except engine.ENGINE_ERRORS as exc:
            breaker.failed()
            logger.warning("Search engine failed on %s (%s): answering from the database", method, exc)
        else:
            breaker.succeeded()
            return answer
    return getattr(database(), method)(*args, **kwargs) if fallback else None

"""The search service: the engine when `OPENSEARCH_URL` is set, the database otherwise."""

from . import engine


def get_service():
    if engine.enabled():
        from .queries import EngineSearch

        return EngineSearch()
    from .fallback import DatabaseSearch

    return DatabaseSearch()

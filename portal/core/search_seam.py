"""The public search service, offered by `search` to the packages that may not import it.

`search` registers its service when the app registry is ready (search/apps.py); a content
package (the saved-search alerts of network.newsletters) calls `search_service()`. The
dependency points the right way: `search` knows this module, content packages never know `search`.
"""

from django.core.exceptions import ImproperlyConfigured

_factory = None


def provide_search_service(factory):
    global _factory  # noqa: PLW0603 — one registration at start-up
    _factory = factory


def search_service():
    if _factory is None:
        raise ImproperlyConfigured("The search app is not installed: no search service.")
    return _factory()

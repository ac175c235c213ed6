"""The classification part of a page's search document, shared by every classified page type."""

from django.db.models import Prefetch

# Relation on the page → facet of the search document.
CLASSIFICATIONS = {"pillars": "pillar", "transversal_axes": "axis", "themes": "theme", "publics": "public"}


def prefetches(*relations):
    """Prefetches into plain lists (`_search_<relation>`).

    A rebuild reads every page: handing prefetched rows to modelcluster's managers (a
    filtered queryset clone per page and relation) costs more than the queries themselves.
    """
    return [Prefetch(name, to_attr=f"_search_{name}") for name in relations]


def related(page, name):
    """The related objects, from the prefetched list when there is one."""
    prefetched = getattr(page, f"_search_{name}", None)
    return prefetched if prefetched is not None else list(getattr(page, name).all())


def classification(page, relations=CLASSIFICATIONS):
    """{facet: [slug, …]} for the page's vocabularies."""
    return {facet: [term.slug for term in related(page, name)] for name, facet in relations.items()}


def tag_names(page):
    return [tag.name for tag in related(page, "tags")]

"""Template tags through which pages show search results without importing `search`."""

import logging

from django import template

from ..engine import ENGINE_UNAVAILABLE

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("search/includes/similar.html")
def similar_items(page, size=5):
    """Similar experiences (more-like-this); quietly empty when search cannot answer."""
    from ..views import for_display, run

    try:
        items = run("similar", page.pk, size)
    except ENGINE_UNAVAILABLE:
        logger.warning("No similar items for page %s: search unavailable", page.pk)
        items = []
    return {"items": for_display(items)}

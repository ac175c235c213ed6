"""Template tags through which pages show search results without importing `search`."""

from django import template

from ..service import get_service

register = template.Library()


@register.inclusion_tag("search/includes/similar.html")
def similar_items(page, size=5):
    """Pages like this one, of its kind (more-like-this); quietly empty when search cannot answer soon."""
    return {"items": get_service().similar(page, size)}

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag
def querystring_for(query_items, **overrides):
    """`?a=1&b=2` from (name, value) pairs, with `overrides` replacing a name; empty when nothing."""
    items = [(name, value) for name, value in query_items if name not in overrides]
    items += [(name, value) for name, value in overrides.items() if value not in (None, "")]
    return f"?{urlencode(items)}" if items else ""


@register.filter
def attr(obj, name):
    return getattr(obj, name, None) or []

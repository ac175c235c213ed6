from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    current = context.get("page")
    items = root.get_children().live().public().in_menu() if root else []
    return {
        "root": root,
        "items": items,
        "current_path": getattr(current, "url_path", ""),
        # The agenda is a view, not a page: linked after the pages in the menu.
        "agenda_current": bool(request) and request.path.startswith("/agenda/"),
    }


@register.simple_tag
def is_active(item, current_path):
    return bool(current_path) and current_path.startswith(item.url_path)

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# The admin and the pages behind a personal link (registration, newsletter tokens, private-page
# log-in). /documents/ stays open: the publications' PDFs are meant to be found; the documents of
# private collections answer a log-in page to crawlers anyway.
ROBOTS_DISALLOW = [
    "/admin/",
    "/_util/",
    "/lettres/confirmation/",
    "/lettres/preferences/",
    "/lettres/desinscription/",
    "/lettres/webhooks/",
    "/*/inscription/",
    "/*/annulation/",
    "/*/donnees/",
]


@require_GET
@cache_control(max_age=86400)
def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {"request_path": request.path}, request))


def server_error(request):
    """The 500 page. It never raises: the failure may come from a context processor or a template."""
    try:
        team_notified = bool(settings.ADMINS) or settings.ERROR_REPORTING
        # Rendered without context processors: the failure may come from one of them.
        return HttpResponseServerError(loader.get_template("500.html").render({"team_notified": team_notified}))
    except Exception:
        return HttpResponseServerError(
            "<h1>Erreur du serveur</h1><p>Réessayez dans quelques minutes.</p>", content_type="text/html"
        )

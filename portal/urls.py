from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from portal.api import api_v1, wagtail_api
from portal.core import views as core_views
from portal.core.ratelimit import rate_limited
from portal.core.sitemap import RequestHostSitemap
from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"wagtail": RequestHostSitemap}}, name="sitemap"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("api/v2/", wagtail_api.urls),
    path("api/v1/", api_v1.urls),
    path("recherche/", rate_limited("search")(search_views.search_page), name="search"),
    path("recherche/flux.rss", rate_limited("search")(search_views.SearchFeed()), name="search_rss"),
    path("", include("resources.library.urls")),
    path("", include("network.events.urls")),
    # Provider webhooks (bounces, complaints): /lettres/webhooks/<provider>/tracking/, basic auth.
    path("lettres/webhooks/", include("anymail.urls")),
    path("", include("network.newsletters.urls")),
    path("", include("network.reporting.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # The demo serves uploads itself even without DEBUG (Django's static() helper would not).
    from django.urls import re_path
    from django.views.static import serve

    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.core.views.page_not_found"
handler500 = "portal.core.views.server_error"

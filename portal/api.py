"""The portal's APIs: Wagtail's API v2 for pages and `/api/v1/` (django-ninja, with its OpenAPI description).

This module is part of the composition root (with settings and urls): it is the one place
in `portal` that imports the content packages, to mount their routers.
"""

from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from network.events.api import router as events_router
from network.reporting.api import router as indicators_router
from portal.core.addresses import page_full_url
from portal.core.public_files import PublicFilesMixin
from resources.experiences.api import router as experiences_router
from resources.experiences.api import schemas_router
from search.views import router as search_router


class PublicImagesAPIViewSet(PublicFilesMixin, ImagesAPIViewSet):
    pass


class PublicDocumentsAPIViewSet(PublicFilesMixin, DocumentsAPIViewSet):
    pass


class RequestHostHtmlUrlField(PageHtmlUrlField):
    """`html_url` on the host and port the client asked (the Site record may say http://localhost/)."""

    def to_representation(self, page):
        url = super().to_representation(page)
        request = self.context.get("request")
        return page_full_url(page, request) if url and request else url


class PortalPageSerializer(PageSerializer):
    html_url = RequestHostHtmlUrlField(read_only=True)


class PortalPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = PortalPageSerializer


wagtail_api = WagtailAPIRouter("wagtailapi")
wagtail_api.register_endpoint("pages", PortalPagesAPIViewSet)
# Images and documents of drafts and private pages are not published.
wagtail_api.register_endpoint("images", PublicImagesAPIViewSet)
wagtail_api.register_endpoint("documents", PublicDocumentsAPIViewSet)

api_v1 = NinjaAPI(
    title="API ouverte du portail CRPV",
    version="1",
    description=(
        "Fiches d'expériences des centres de ressources politique de la ville, au format commun "
        "crpv-experience/1. Données publiées sous Licence Ouverte 2.0 (Etalab). Paramètres invalides : "
        "réponse 400 avec un message en français."
    ),
    urls_namespace="api-v1",
    docs_url=None,  # Swagger UI loads from a CDN: the portal serves no third-party assets
)
api_v1.add_router("/experiences/", experiences_router)
api_v1.add_router("/schemas/", schemas_router)
api_v1.add_router("/search/", search_router)
api_v1.add_router("/events/", events_router)
api_v1.add_router("/indicators/", indicators_router)


@api_v1.exception_handler(ValidationError)
def validation_error(request, exc):
    return JsonResponse({"detail": "Paramètres invalides.", "errors": [str(e) for e in exc.errors]}, status=400)


@api_v1.exception_handler(HttpError)
def http_error(request, exc):
    return JsonResponse({"detail": str(exc), "errors": [str(exc)]}, status=exc.status_code)

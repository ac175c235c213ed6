"""The experience sheet as a PDF, rendered by WeasyPrint from a dedicated template.

Static files and media (the illustration, images in the narrative) are read from disk:
rendering never fetches anything over the network, not even from the portal itself.
A rendered PDF is kept in the cache under the page's live revision: it is rendered again only
once the page is published again (or the entry expires after SHEET_PDF_CACHE_SECONDS).
"""

import logging
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_TEMPLATE = "experiences/experience_sheet_pdf.html"

logger = logging.getLogger(__name__)


class LocalFetcher(URLFetcher):
    """Serves /static/ and /media/ URLs of this site from disk and refuses every other URL."""

    def __init__(self, base_url):
        super().__init__(allowed_protocols={"data"})
        self.base_url = base_url

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(self.base_url):
            raise ValueError(f"External resource not fetched in PDFs: {url}")
        path = unquote(urlsplit(url).path)
        for prefix, opener in ((settings.STATIC_URL, self._static), (settings.MEDIA_URL, default_storage.open)):
            if path.startswith(prefix):
                return URLFetcherResponse(url, opener(path[len(prefix) :]))
        raise ValueError(f"Not a static or media file: {url}")

    @staticmethod
    def _static(name):
        found = finders.find(name) or safe_join(str(settings.STATIC_ROOT), name)
        return open(found, "rb")  # noqa: SIM115 — WeasyPrint closes the response


def sheet_pdf_response(page, request):
    """An attachment named `<slug>.pdf`: from the cache, or rendered from the HTML page's context."""
    base_url = request.build_absolute_uri("/")
    published = page.last_published_at.timestamp() if page.last_published_at else ""
    key = f"sheet-pdf:{page.pk}:{page.live_revision_id}:{published}:{base_url}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_sheet_pdf(page, request, page.get_context(request), base_url)
        cache.set(key, pdf, timeout=settings.SHEET_PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.pdf"'
    return response


def render_sheet_pdf(page, request, context, base_url):
    """The PDF bytes; each render is logged, as it costs a second or more of CPU."""
    html = render_to_string(PDF_TEMPLATE, context, request=request)
    pdf = HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()
    logger.info("Rendered the PDF of sheet %s (%d bytes)", page.pk, len(pdf))
    return pdf

"""The experience sheet as a PDF, rendered by WeasyPrint from a dedicated template.

Static files and media (the illustration, images in the narrative) are read from disk:
rendering never fetches anything over the network, not even from the portal itself.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils._os import safe_join
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_TEMPLATE = "experiences/experience_sheet_pdf.html"


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


def render_sheet_pdf(page, request, context):
    """An attachment named `<slug>.pdf`, from the same context as the HTML page."""
    base_url = request.build_absolute_uri("/")
    html = render_to_string(PDF_TEMPLATE, context, request=request)
    pdf = HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.pdf"'
    return response

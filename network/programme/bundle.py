"""A chantier's accepted contributions as one zip, for the national team's synthesis.

- `fiches.json` and `fiches.csv`: the experience sheets in the common exchange format
  (`crpv-experience/1`, the library's codec, so the bundle can be re-imported anywhere);
- `publications.json`: the publications' references (title, centre, date, summary, URL);
- `compilation.pdf`: a cover listing every contribution, then each sheet's own PDF (the template
  the public site uses), merged with pypdf.
Built in memory: a chantier gathers tens of contributions, not thousands.
"""

import io
import json
import zipfile

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfWriter

from .models import Contribution, ContributionStatus

SHEET_TYPE = "experiences.experiencesheetpage"


def accepted_pages(chantier):
    contributions = (
        Contribution.objects.filter(chantier=chantier, status=ContributionStatus.ACCEPTED)
        .select_related("centre", "page")
        .order_by("centre__name", "page__title")
    )
    return [(contribution, contribution.page.specific) for contribution in contributions]


def build_bundle(request, chantier):
    from resources.experiences.codec import dump_json, export_sheet, sheets_to_csv

    base_url = request.build_absolute_uri("/").rstrip("/")
    pages = accepted_pages(chantier)
    sheets = [page for _contribution, page in pages if page._meta.label_lower == SHEET_TYPE]
    publications = [page for _contribution, page in pages if page._meta.label_lower != SHEET_TYPE]
    exported = [export_sheet(page, base_url) for page in sheets]
    references = [
        {
            "title": page.title,
            "centre": page.centre.code if page.centre_id else None,
            "publication_date": page.publication_date.isoformat() if page.publication_date else None,
            "summary": page.summary,
            "url": page.get_full_url(request),
        }
        for page in publications
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("fiches.json", dump_json(exported))
        archive.writestr("fiches.csv", sheets_to_csv(exported).encode("utf-8"))
        archive.writestr("publications.json", json.dumps(references, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("compilation.pdf", compilation_pdf(request, chantier, pages, sheets))
    return buffer.getvalue()


def compilation_pdf(request, chantier, pages, sheets):
    from weasyprint import HTML

    from resources.experiences.pdf import LocalFetcher, render_sheet_pdf

    base_url = request.build_absolute_uri("/")
    context = {"chantier": chantier, "pages": pages, "generated_at": timezone.now()}
    cover = render_to_string("programme/compilation_cover.html", context, request=request)
    writer = PdfWriter()
    writer.append(io.BytesIO(HTML(string=cover, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()))
    for page in sheets:
        writer.append(io.BytesIO(render_sheet_pdf(page, request, page.get_context(request), base_url)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def bundle_response(request, chantier):
    response = HttpResponse(build_bundle(request, chantier), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="chantier-{chantier.code}.zip"'
    return response

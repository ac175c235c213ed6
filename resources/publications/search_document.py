"""What search may know of publications and dossiers (the indexing interface of `search`)."""

from portal.core.kinds import listing_date, local_date
from resources.taxonomy.search import CLASSIFICATIONS, classification, prefetches, tag_names


def _body_html(page):
    # HTML: search turns text fields into plain text once, for every page type.
    return page.body.render_as_block() if page.body else ""


class PublicationSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre", "resource_type").prefetch_related(
            *prefetches(*CLASSIFICATIONS, "tags"), "documents"
        )

    def search_document(self):
        date = listing_date(self)  # local date, as the library shows it
        regions = [code for code in self.centre.region_codes.split(",") if code] if self.centre_id else []
        return {
            "kind": "publication",
            "type": self.resource_type.slug if self.resource_type_id else "publication",
            "title": self.title,
            "summary": self.summary,
            "sections": _body_html(self),
            "attachments": self.attachments_text,
            "tags": tag_names(self),
            "uuid": str(self.uuid),
            "centre": self.centre.code if self.centre_id else None,
            "region": regions,
            **classification(self),
            "year": date.year if date else None,
            "date": date,
        }


class DossierSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre").prefetch_related(*prefetches("themes"))

    def search_document(self):
        date = local_date(self.first_published_at)
        return {
            "kind": "dossier",
            "type": "dossier",
            "title": self.title,
            "summary": self.intro,
            "sections": _body_html(self),
            "centre": self.centre.code if self.centre_id else None,
            **classification(self, {"themes": "theme"}),
            "year": date.year if date else None,
            "date": date,
        }

"""What search may know of publications and dossiers (the indexing interface of `search`).

Their kind, type, date and year come from the models' `content_kind`: search fills them.
"""

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
        regions = [code for code in self.centre.region_codes.split(",") if code] if self.centre_id else []
        return {
            "title": self.title,
            "summary": self.summary,
            "sections": _body_html(self),
            "attachments": self.attachments_text,
            "tags": tag_names(self),
            "uuid": str(self.uuid),
            "centre": self.centre.code if self.centre_id else None,
            "region": regions,
            **classification(self),
        }


class DossierSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre").prefetch_related(*prefetches("themes"))

    def search_document(self):
        return {
            "title": self.title,
            "summary": self.intro,
            "sections": _body_html(self),
            "centre": self.centre.code if self.centre_id else None,
            **classification(self, {"themes": "theme"}),
        }

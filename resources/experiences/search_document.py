"""What search may know of an experience sheet: public fields only (never the contact)."""

from portal.core.kinds import listing_date
from resources.taxonomy.search import CLASSIFICATIONS, classification, prefetches, tag_names

SHEET_TYPE = "fiche-experience"


class SheetSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre", "region", "departement").prefetch_related(
            *prefetches(*CLASSIFICATIONS, "tags")
        )

    def search_document(self):
        date = listing_date(self)  # local date, as the library shows it
        return {
            "kind": "sheet",
            "type": SHEET_TYPE,
            "title": self.title,
            "summary": self.summary,
            # HTML: search turns text fields into plain text once, for every page type.
            "sections": "\n".join(html for _key, _label, html in self.sections),
            "tags": tag_names(self),
            "uuid": str(self.uuid),
            "centre": self.centre.code,
            "region": self.region.code if self.region_id else None,
            "departement": self.departement.code if self.departement_id else None,
            **classification(self),
            "year": date.year if date else None,
            "date": date,
        }

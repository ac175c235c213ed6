"""What search may know of events and training cycles: public fields only (never the registrants).

Kind, type, date (the start) and year come from the models' `content_kind`: search fills them.
"""

from resources.taxonomy.search import CLASSIFICATIONS, classification, prefetches


class ActivitySearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        related = ["sessions"] if hasattr(cls, "sessions") else []
        return queryset.select_related("centre").prefetch_related(*prefetches(*CLASSIFICATIONS), *related)

    def search_document(self):
        regions = [code for code in self.centre.region_codes.split(",") if code] if self.centre_id else []
        # HTML: search turns text fields into plain text once, for every page type.
        sections = [self.description, self.programme, getattr(self, "objectives", ""), self.speakers]
        if hasattr(self, "sessions"):
            sections += [session.title for session in self.sessions.all()]
        return {
            "title": self.title,
            "summary": self.summary,
            "sections": "\n".join(text for text in sections if text),
            "uuid": str(self.uid),
            "centre": self.centre.code if self.centre_id else None,
            "region": regions,
            "departement": departement_of(self.commune_insee),
            "commune": self.commune_insee or None,
            **classification(self),
        }


def departement_of(insee):
    """The département code of a commune's INSEE code: 3 characters overseas (974…), else 2 (2A, 75…)."""
    if not insee:
        return None
    return insee[:3] if insee.startswith("97") else insee[:2]

"""What search may know of an experience sheet: public fields only (never the contact)."""

from resources.taxonomy.search import CLASSIFICATIONS, classification, prefetches, related, tag_names


class SheetSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre", "region", "departement").prefetch_related(
            *prefetches(*CLASSIFICATIONS, "tags", "communes")
        )

    @classmethod
    def search_communes(cls):
        """(INSEE code, name) of the communes live sheets name: the places search recognises in queries."""
        communes = cls._meta.get_field("communes").related_model.objects
        return communes.filter(page__live=True).values_list("insee", "name").distinct()

    def search_document(self):
        # kind, type, date and year come from the model's content_kind (search fills them).
        return {
            "title": self.title,
            "summary": self.summary,
            # HTML: search turns text fields into plain text once, for every page type.
            "sections": "\n".join(html for _key, _label, html in self.sections),
            "tags": tag_names(self),
            "uuid": str(self.uuid),
            "centre": self.centre.code,
            "region": self.region.code if self.region_id else None,
            "departement": self.departement.code if self.departement_id else None,
            "commune": [commune.insee for commune in related(self, "communes")],
            **classification(self),
        }

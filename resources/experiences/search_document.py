"""What search may know of an experience sheet: public fields only (never the contact)."""

from django.utils.html import strip_tags

SHEET_TYPE = "fiche-experience"


class SheetSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre", "region", "departement").prefetch_related(
            "pillars", "transversal_axes", "themes", "publics", "tags"
        )

    def search_document(self):
        date = self.written_on or (self.first_published_at.date() if self.first_published_at else None)
        return {
            "kind": "sheet",
            "type": SHEET_TYPE,
            "title": self.title,
            "summary": self.summary,
            "sections": "\n".join(strip_tags(html) for _key, _label, html in self.sections),
            "tags": [tag.name for tag in self.tags.all()],
            "uuid": str(self.uuid),
            "centre": self.centre.code,
            "region": self.region.code if self.region_id else None,
            "departement": self.departement.code if self.departement_id else None,
            "pillar": [t.slug for t in self.pillars.all()],
            "axis": [t.slug for t in self.transversal_axes.all()],
            "theme": [t.slug for t in self.themes.all()],
            "public": [t.slug for t in self.publics.all()],
            "year": date.year if date else None,
            "date": date,
        }

"""What search may know of publications and dossiers (the indexing interface of `search`)."""

from django.db.models import Prefetch
from django.utils.html import strip_tags


def _body_text(page):
    return strip_tags(page.body.render_as_block()) if page.body else ""


class PublicationSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre", "resource_type").prefetch_related(
            "pillars", "transversal_axes", "themes", "publics", "tags", Prefetch("documents")
        )

    def search_document(self):
        date = self.publication_date or (self.first_published_at.date() if self.first_published_at else None)
        regions = [code for code in self.centre.region_codes.split(",") if code] if self.centre_id else []
        return {
            "kind": "publication",
            "type": self.resource_type.slug if self.resource_type_id else "publication",
            "title": self.title,
            "summary": self.summary,
            "sections": _body_text(self),
            "attachments": self.attachments_text,
            "tags": [tag.name for tag in self.tags.all()],
            "uuid": str(self.uuid),
            "centre": self.centre.code if self.centre_id else None,
            "region": regions,
            "pillar": [t.slug for t in self.pillars.all()],
            "axis": [t.slug for t in self.transversal_axes.all()],
            "theme": [t.slug for t in self.themes.all()],
            "public": [t.slug for t in self.publics.all()],
            "year": date.year if date else None,
            "date": date,
        }


class DossierSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre").prefetch_related("themes")

    def search_document(self):
        date = self.first_published_at.date() if self.first_published_at else None
        return {
            "kind": "dossier",
            "type": "dossier",
            "title": self.title,
            "summary": self.intro,
            "sections": _body_text(self),
            "centre": self.centre.code if self.centre_id else None,
            "theme": [t.slug for t in self.themes.all()],
            "year": date.year if date else None,
            "date": date,
        }

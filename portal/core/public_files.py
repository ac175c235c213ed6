"""Which images and documents are public: those used by a live page no view restriction hides.

Wagtail serves every file it stores (API v2 lists, `/documents/<id>/…`), drafts' included.
Uses are known from Wagtail's reference index (fields, inline children, rich text and
StreamField of the live version of each page), which Wagtail keeps up to date after each save.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, IntegerField
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex


def used_by_public_pages(model):
    """The ids of `model` objects (images, documents) referenced by a live, public page, as a subquery."""
    public_pages = Page.objects.live().public().annotate(key=Cast("pk", CharField())).values("key")
    return (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=public_pages,
            to_content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(target=Cast("to_object_id", IntegerField()))
        .values("target")
    )


def public_files(queryset):
    return queryset.filter(pk__in=used_by_public_pages(queryset.model))


class PublicFilesMixin:
    """For Wagtail's API v2 image and document endpoints: only files of live, public pages."""

    def get_queryset(self):
        return public_files(super().get_queryset())

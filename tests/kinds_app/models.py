"""A dummy page type declaring a content kind: nothing under search/ or resources/library/ names it."""

from django.db import models
from wagtail.models import Page

from portal.core.kinds import ContentKind


class TestNoticePage(Page):
    __test__ = False  # not a pytest test class

    content_kind = ContentKind(
        slug="note-test",
        label="Note de test",
        plural="Notes de test",
        date_fields=("notice_date",),
        in_library=True,
        in_dossiers=True,
    )
    notice_date = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    # The library's centre and region filters follow this ForeignKey (region: the centre's regions).
    centre = models.ForeignKey("centres.Centre", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def search_document(self):
        return {"title": self.title, "summary": self.summary, "centre": self.centre.code if self.centre_id else None}

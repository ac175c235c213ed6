from django.db import models
from wagtail.models import Page

from portal.core.kinds import ContentKind


class TestNoticePage(Page):
    """A dummy content kind, installed only under the test settings; nothing wires it by hand."""

    content_kind = ContentKind(
        slug="note-test",
        label="Note de test",
        plural="Notes de test",
        date_fields=("notice_date",),
        in_library=True,
        in_dossiers=True,
    )
    notice_date = models.DateField(null=True)
    summary = models.TextField(blank=True)
    centre = models.ForeignKey("centres.Centre", null=True, on_delete=models.SET_NULL, related_name="+")

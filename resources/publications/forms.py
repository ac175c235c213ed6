"""Admin form for pages that attach media: only the editor's own collections are accepted."""

from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry


def _restrict(field, model, user, keep_ids):
    """Limit a chooser field to what the user may choose, plus what the page already uses."""
    choosable = policy_registry.get_by_type(model).instances_user_has_permission_for(user, "choose").values("pk")
    keep_ids = [pk for pk in keep_ids if pk]
    field.queryset = field.queryset.filter(Q(pk__in=choosable) | Q(pk__in=keep_ids))


class CentreMediaPageForm(WagtailAdminPageForm):
    """The choosers list only the centre's collection; this also refuses an identifier from a forged request.

    Media already attached (say by the national team) stay valid when a centre editor saves the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or user.is_superuser:
            return
        if "cover_image" in self.fields:
            _restrict(self.fields["cover_image"], get_image_model(), user, [self.instance.cover_image_id])
        formset = self.formsets.get("documents")
        if formset is not None:
            attached = [item.document_id for item in self.instance.documents.all()]
            for form in formset.forms:
                _restrict(form.fields["document"], get_document_model(), user, attached)

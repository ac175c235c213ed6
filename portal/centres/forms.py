"""The admin form of every page in a centre's section: it attaches only that centre's images and documents.

Two guards, because a forged request can name any identifier:
- the image and document fields (the page's own and those of its inline panels) accept only what
  the editor may choose, so the choosers and the form agree;
- on save, every image or document the page names (fields, inline panels, StreamField blocks, rich
  text) must belong to the collection of the page's centre. The national team (who may choose in
  the root collection) may use any; files already on the page (say attached by the national team)
  stay valid when a centre editor saves it.
"""

from django.apps import apps
from django.db.models import ForeignKey, Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.permissions import policy_registry

FOREIGN_FILE = _(
    "« %(title)s » n'appartient pas à la collection du centre %(centre)s : choisissez une image "
    "ou un document de ce centre."
)
NOT_CHOOSABLE = _("Vous ne pouvez pas choisir « %(title)s ».")


def media_models():
    return (get_image_model(), get_document_model())


def _media_model(model):
    """The image or document model `model` is (or derives from), else None."""
    return next((media for media in media_models() if model is not None and issubclass(model, media)), None)


def _nested_forms(form):
    """The form and, depth first, the forms of its inline panels that are kept (not marked for deletion)."""
    yield form
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            if formset.can_delete and hasattr(child, "cleaned_data") and formset._should_delete_form(child):
                continue
            yield from _nested_forms(child)


def _references(form):
    """(field name, media model, pk) of every image or document the form's instance names."""
    instance = form.instance
    for field in instance._meta.concrete_fields:
        if field.name not in form.fields:
            continue
        if isinstance(field, ForeignKey):
            media = _media_model(field.related_model)
            pk = getattr(instance, field.attname)
            if media and pk is not None:
                yield field.name, media, pk
        elif hasattr(field, "extract_references"):  # StreamField, RichTextField
            value = field.value_from_object(instance)
            for model, pk, _model_path, _content_path in field.extract_references(value) if value else ():
                media = _media_model(model)
                if media and pk not in (None, ""):
                    yield field.name, media, int(pk)


class CentrePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What the page names before this request: kept valid whoever saves it.
        self.attached = {(media, pk) for form in _nested_forms(self) for _name, media, pk in _references(form)}
        if self.for_user is not None:
            for form in _nested_forms(self):
                self._restrict_choosers(form)

    def _restrict_choosers(self, form):
        for field in form.fields.values():
            media = isinstance(field, ModelChoiceField) and _media_model(field.queryset.model)
            if media:
                policy = policy_registry.get_by_type(media)
                choosable = policy.instances_user_has_permission_for(self.for_user, "choose")
                kept = [pk for model, pk in self.attached if model is media]
                field.queryset = field.queryset.filter(Q(pk__in=choosable.values("pk")) | Q(pk__in=kept))

    def page_centre(self):
        """The centre whose section holds (or will hold) the page; None for a page outside every section."""
        CentrePage = apps.get_model("centres", "CentrePage")
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        section = CentrePage.objects.filter(pk=parent.pk).select_related("centre").first() if parent else None
        return section.centre if section else None

    def _accepted_collections(self, media, centre):
        """Collection ids this user may attach `media` files from on this page; None for any."""
        choosable = policy_registry.get_by_type(media).collections_user_has_permission_for(self.for_user, "choose")
        if choosable.filter(pk=Collection.get_first_root_node().pk).exists():
            return None  # the national team
        allowed = choosable
        if centre is not None and centre.collection_id:
            allowed = allowed.filter(path__startswith=centre.collection.path)  # the centre's collection and below
        return set(allowed.values_list("pk", flat=True))

    def is_valid(self):
        valid = super().is_valid()
        if self.for_user is None:
            return valid
        centre = self.page_centre()
        accepted = {media: self._accepted_collections(media, centre) for media in media_models()}
        refused = False
        for form in _nested_forms(self):
            if not hasattr(form, "cleaned_data"):
                continue  # not validated: its instance still holds what was attached
            for name, media, pk in _references(form):
                if (media, pk) in self.attached or name in form.errors or accepted[media] is None:
                    continue
                item = media.objects.filter(pk=pk).first()
                if item is None or item.collection_id in accepted[media]:
                    continue  # a missing file is reported by the field itself
                message = FOREIGN_FILE if centre else NOT_CHOOSABLE
                form.add_error(name, message % {"title": item.title, "centre": centre.name if centre else ""})
                refused = True
        return valid and not refused

"""Page lifecycle → indexing outbox. The web request only writes a queue row."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.core.signals import search_document_changed

from .queue import enqueue

# Taxonomy slugs are stored in documents: renaming one re-indexes the pages that use it.
TAXONOMY_MODELS = ["Pillar", "TransversalAxis", "Theme", "Public", "ResourceType"]


def _subtree_ids(page):
    return list(Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True))


@receiver(page_published)
def on_published(sender, instance, **kwargs):
    enqueue([instance.pk])


@receiver(page_unpublished)
def on_unpublished(sender, instance, **kwargs):
    # Unpublishing a section hides its descendants from the public too.
    enqueue(_subtree_ids(instance))


@receiver(search_document_changed)
def on_document_changed(sender, page_ids, **kwargs):
    enqueue(page_ids)  # drafts and private pages come out as "remove": harmless


@receiver(post_page_move)
def on_moved(sender, instance, **kwargs):
    enqueue(_subtree_ids(instance))  # URLs, centre and privacy may all have changed


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def on_view_restriction_changed(sender, instance, **kwargs):
    # Added, changed or removed: the page and its descendants enter or leave search.
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the page itself is deleted
    if page is not None:
        enqueue(_subtree_ids(page))


def on_deleting(sender, instance, **kwargs):
    if type(instance) is Page:
        instance._search_subtree = _subtree_ids(instance)


def on_deleted(sender, instance, **kwargs):
    enqueue(getattr(instance, "_search_subtree", None) or [instance.pk])


def connect_page_deletions():
    """Delete receivers for page models only: a catch-all receiver would disable Django's fast delete everywhere."""
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, Page):
            pre_delete.connect(on_deleting, sender=model, dispatch_uid=f"search-pre-delete-{model._meta.label}")
            post_delete.connect(on_deleted, sender=model, dispatch_uid=f"search-post-delete-{model._meta.label}")


@receiver(post_save)
def on_term_saved(sender, instance, created, **kwargs):
    if created or sender._meta.app_label != "taxonomy" or sender.__name__ not in TAXONOMY_MODELS:
        return
    from .indexing import indexable_models

    page_ids = []
    for model in indexable_models():
        for field in model._meta.get_fields():
            if getattr(field, "related_model", None) is sender and (field.many_to_many or field.many_to_one):
                page_ids += model.objects.filter(**{field.name: instance}).values_list("pk", flat=True)
    enqueue(page_ids)

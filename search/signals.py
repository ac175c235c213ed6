"""Page lifecycle → indexing outbox. The web request only writes a queue row."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

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


@receiver(post_page_move)
def on_moved(sender, instance, **kwargs):
    enqueue(_subtree_ids(instance))  # URLs, centre and privacy may all have changed


@receiver(pre_delete)
def on_deleting(sender, instance, **kwargs):
    if isinstance(instance, Page) and type(instance) is Page:
        instance._search_subtree = _subtree_ids(instance)


@receiver(post_delete)
def on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        enqueue(getattr(instance, "_search_subtree", None) or [instance.pk])


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

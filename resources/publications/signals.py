from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model

from .models import DocumentText
from .tasks import extract_document_text_task

# Saves that only record what Wagtail computed from the file (size, hash) change nothing to extract.
METADATA_FIELDS = {"file_hash", "file_size"}


@receiver(post_save, sender=get_document_model())
def queue_text_extraction(sender, instance, raw=False, update_fields=None, **kwargs):
    """Extract the text of a new or replaced file, after the upload is committed (a worker must see it)."""
    if raw or (update_fields and set(update_fields) <= METADATA_FIELDS):
        return
    if instance.file_hash and DocumentText.objects.filter(document=instance, file_hash=instance.file_hash).exists():
        return  # title or collection edited, same file
    document_id = instance.pk
    # robust: a queue outage is logged, the editor's upload still succeeds.
    transaction.on_commit(lambda: extract_document_text_task.enqueue(document_id), robust=True)

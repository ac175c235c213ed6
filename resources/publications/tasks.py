"""Background tasks (django-tasks): inline in development and tests, a worker in production."""

from django_tasks import task
from wagtail.documents import get_document_model

from .services import extract_document_text


@task()
def extract_document_text_task(document_id, force=False):
    """Extract one document's text. Takes the primary key: the worker loads its own, current copy.

    `force` re-reads a file already read (the admin's « Relancer » after a failure).
    """
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return None  # deleted before the worker got to it
    record = extract_document_text(document, force=force)
    return {"document": document_id, "characters": len(record.text), "error": record.error}

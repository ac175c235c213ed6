"""The production task queue: django-tasks-db with a real `manage.py db_worker` process.

Every other test runs tasks inline (ImmediateBackend). Here tasks are written to the database
and a worker started like the compose `worker` service runs them: indexing (the search outbox
drain) and document text extraction. The worker reads committed rows only, so this test commits
(transaction=True); pytest-django runs such tests after the others and empties the test database
at the end, which is why it creates what it needs itself.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import connection
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model

from portal.centres.models import CentrePage
from resources.publications.models import DocumentText, PublicationDocument, PublicationPage
from resources.publications.pdf import text_pdf
from resources.taxonomy.models import ResourceType
from search.models import IndexQueue, SearchEntry

SENTENCE = "Les ateliers de Quimbrelle-sur-Loire rassemblent quarante habitantes."


def worker_database_url():
    """The test database (pytest-django's `test_…` name) as a DATABASE_URL for the worker."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True)
def test_db_worker_runs_indexing_and_text_extraction(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

    document = get_document_model()(title="Compte rendu des ateliers")
    document.file.save("ateliers.pdf", ContentFile(text_pdf([("paragraph", SENTENCE)])), save=False)
    document.save()  # queues the extraction task
    section = CentrePage.objects.get(centre__code="irev")
    page = PublicationPage(
        title="Ateliers de Quimbrelle",
        slug=f"ateliers-{uuid.uuid4().hex[:8]}",
        resource_type=ResourceType.objects.get(slug="etude"),
        summary="Résumé.",
    )
    section.add_child(instance=page)
    page.documents.add(PublicationDocument(document=document))
    page.save_revision().publish()  # writes the outbox row and queues its drain

    # Nothing has run: the tasks wait in the database.
    assert DBTaskResult.objects.filter(status="READY").count() >= 2
    assert not DocumentText.objects.filter(document=document, extracted_at__isnull=False).exists()
    assert IndexQueue.objects.filter(page_id=page.pk).exists()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": worker_database_url(),
        "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5", "--no-reload"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:

        def entry_has_the_text():
            entry = SearchEntry.objects.filter(page_id=page.pk).first()
            return entry is not None and "quarante habitantes" in entry.body

        assert wait_for(entry_has_the_text), "the worker did not index the publication with its document's text"
        record = DocumentText.objects.get(document=document)
        assert SENTENCE in " ".join(record.text.split()) and record.error == ""
        assert not IndexQueue.objects.filter(page_id=page.pk).exists()
        assert wait_for(lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists())
        assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    finally:
        worker.send_signal(signal.SIGTERM)  # what `docker compose stop` sends
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode is not None, output
    assert "Traceback" not in output, output

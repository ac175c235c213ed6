"""Maintenance runs from the admin: one at a time, exactly once, with progress and an outcome."""

import pytest

from search import lifecycle
from search.maintenance import AlreadyRunning, execute, request_run
from search.models import MaintenanceRun, SearchEntry

from .conftest import rebuild

pytestmark = pytest.mark.django_db
URL = "/admin/recherche/etat/"


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw")


def test_one_run_at_a_time(settings, admin, django_capture_on_commit_callbacks):
    settings.OPENSEARCH_URL = ""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        run = request_run(MaintenanceRun.Action.CHECK, admin)
        with pytest.raises(AlreadyRunning):
            request_run(MaintenanceRun.Action.FIX, admin)
    assert MaintenanceRun.objects.count() == 1 and len(queued) == 1
    assert execute(run.pk) == MaintenanceRun.Status.DONE
    assert execute(run.pk) is None  # a second delivery of the task does nothing
    run.refresh_from_db()
    assert run.active is None and run.finished_at and run.started_at
    request_run(MaintenanceRun.Action.CHECK, admin)  # the next one is accepted once it has ended


def test_repair_reports_progress_and_fixes_the_drift(settings, portal_tree, admin, django_capture_on_commit_callbacks):
    settings.OPENSEARCH_URL = ""
    lifecycle.check(fix=True)
    missing = list(SearchEntry.objects.values_list("page_id", flat=True)[:3])
    SearchEntry.objects.filter(page_id__in=missing).delete()
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(MaintenanceRun.Action.FIX, admin)
    run.refresh_from_db()
    assert run.status == MaintenanceRun.Status.DONE
    assert (run.total, run.done, run.percent) == (3, 3, 100)
    assert "database : 3 manquant(s)" in run.report and "3 écart(s) réparé(s)" in run.report
    assert SearchEntry.objects.filter(page_id__in=missing).count() == 3


def test_rebuild_from_the_admin(search_engine, corpus, client, admin, django_capture_on_commit_callbacks):
    rebuild()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"action": "rebuild"})
    assert response.status_code == 302
    run = MaintenanceRun.objects.get()
    assert run.status == MaintenanceRun.Status.DONE and "alias basculé" in run.report
    assert run.total == run.done == lifecycle.count_indexable()
    html = client.get(URL).content.decode()
    assert f'<progress max="{run.total}" value="{run.total}">100 %</progress>' in html


def test_the_page_shows_a_run_under_way_and_refuses_another(client, admin, settings):
    settings.OPENSEARCH_URL = ""
    client.force_login(admin)
    run = MaintenanceRun.objects.create(action=MaintenanceRun.Action.FIX, status="running", total=200, done=50)
    fragment = client.get(URL, {"fragment": "runs"}).content.decode()
    assert f'data-active-run="{run.pk}"' in fragment and '<progress max="200" value="50">25 %</progress>' in fragment
    page = client.post(URL, {"action": "check"}, follow=True).content.decode()
    assert "déjà en file ou en cours" in page and MaintenanceRun.objects.count() == 1
    assert "Reconstruction de l&#x27;index" not in page  # no engine: nothing to rebuild
    assert client.post(URL, {"action": "rebuild"}, follow=True).status_code == 200
    page = client.post(URL, {"action": "n'importe quoi"}, follow=True).content.decode()
    assert "Opération inconnue" in page


def test_a_run_no_worker_took_does_not_block_the_next_forever(settings, admin):
    from datetime import timedelta

    from django.utils import timezone

    settings.OPENSEARCH_URL = ""
    stuck = MaintenanceRun.objects.create(action=MaintenanceRun.Action.CHECK)
    with pytest.raises(AlreadyRunning):
        request_run(MaintenanceRun.Action.CHECK, admin)  # queued a moment ago: still expected to run
    MaintenanceRun.objects.filter(pk=stuck.pk).update(requested_at=timezone.now() - timedelta(hours=2))
    fresh = request_run(MaintenanceRun.Action.CHECK, admin)
    stuck.refresh_from_db()
    assert stuck.status == MaintenanceRun.Status.FAILED and stuck.active is None
    assert "aucun worker" in stuck.report
    assert execute(stuck.pk) is None  # a worker waking up late does not run it any more
    assert MaintenanceRun.objects.get(pk=fresh.pk).active

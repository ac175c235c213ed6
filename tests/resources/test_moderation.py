"""Moderation (SPEC §7): editors submit, their centre's moderators or the national team approve, through the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import (
    GroupApprovalTask,
    PageLogEntry,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from portal.accounts.roles import NATIONAL_ADMINS, sync_roles
from portal.centres.models import CentrePage
from resources.experiences.models import ExperienceSheetPage
from tests.resources.sheets import sheet_form
from tests.users import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(portal_tree):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    national = Group.objects.get(name=NATIONAL_ADMINS)
    return {
        "a": a,
        "b": b,
        "editor_a": make_user("editor_a", a.editors_group),
        "editor_b": make_user("editor_b", b.editors_group),
        "moderator_a": make_user("moderator_a", a.moderators_group),
        "moderator_b": make_user("moderator_b", b.moderators_group),
        "national": make_user("national", national),
    }


def create_and_submit(client, user, centre, title):
    """The editor's path: create the sheet in the admin and click « Soumettre à la modération »."""
    client.force_login(user)
    section = CentrePage.objects.get(centre=centre)
    slug = slugify(title)
    response = client.post(
        f"/admin/pages/add/experiences/experiencesheetpage/{section.id}/",
        {**sheet_form(title, slug), "action-submit": "submit"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return ExperienceSheetPage.objects.child_of(section).get(slug=slug)


def task_state(page):
    return page.current_workflow_state.current_task_state


def act(client, user, page, action, comment=""):
    """A moderator's click in the admin's workflow menu (approve / request changes)."""
    client.force_login(user)
    state = task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.id, action, state.id))
    response = client.post(url, {"comment": comment})
    client.logout()
    page.refresh_from_db()
    return response


def log(page):
    entries = PageLogEntry.objects.filter(page=page).order_by("timestamp", "id")
    return list(entries.values_list("action", "user__username"))


def test_each_centre_section_has_its_moderation_workflow(portal_tree):
    national = Group.objects.get(name=NATIONAL_ADMINS)
    for centre in portal_tree.values():
        section = CentrePage.objects.get(centre=centre)
        workflow = WorkflowPage.objects.get(page=section).workflow
        assert workflow.name == f"Relecture — {centre.name}" and workflow.active
        tasks = list(workflow.tasks.specific())
        assert [task.name for task in tasks] == [f"Validation par les modérateurs — {centre.code}"]
        assert isinstance(tasks[0], GroupApprovalTask)
        assert set(tasks[0].groups.all()) == {centre.moderators_group, national}


def test_workflow_sync_is_idempotent_and_keeps_admin_renames(portal_tree):
    centre = portal_tree["oriv"]
    workflow = WorkflowPage.objects.get(page=CentrePage.objects.get(centre=centre)).workflow
    workflow.name = "Relecture renommée dans l'admin"
    workflow.save()

    def counts():
        return (
            Workflow.objects.count(),
            WorkflowPage.objects.count(),
            WorkflowTask.objects.count(),
            Task.objects.count(),
            GroupApprovalTask.groups.through.objects.count(),
        )

    before = counts()
    sync_roles()
    sync_roles()
    assert counts() == before
    workflow.refresh_from_db()
    assert workflow.name == "Relecture renommée dans l'admin"


def test_sheets_follow_their_centre_workflow(portal_tree):
    for code in ("labo-cites", "cr-csur"):
        sheet = ExperienceSheetPage.objects.live().filter(centre__code=code).first()
        assert sheet.get_workflow().name == f"Relecture — {portal_tree[code].name}"


def test_editor_submits_and_cannot_publish(client, world):
    page = create_and_submit(client, world["editor_a"], world["a"], "Fiche soumise")
    assert not page.live
    assert page.centre == world["a"]
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by == world["editor_a"]
    assert task_state(page).task.name == "Validation par les modérateurs — labo-cites"
    assert ("wagtail.workflow.start", "editor_a") in log(page)
    assert not page.permissions_for_user(world["editor_a"]).can_publish()
    assert client.get(page.url).status_code == 404  # still a draft for the public

    # Publishing from the edit form is not an editor's action either.
    client.force_login(world["editor_a"])
    client.post(f"/admin/pages/{page.id}/edit/", {**sheet_form("Fiche soumise", page.slug), "action-publish": "1"})
    page.refresh_from_db()
    assert not page.live


def test_moderator_of_another_centre_cannot_approve(client, world):
    page = create_and_submit(client, world["editor_a"], world["a"], "Fiche de Labo Cités")
    outsider = world["moderator_b"]
    task = task_state(page).task.specific
    assert task.get_actions(page, outsider) == []
    assert not page.permissions_for_user(outsider).can_publish()
    assert not TaskState.objects.reviewable_by(outsider).filter(pk=task_state(page).pk).exists()

    # Refused by the admin: 403, or the "no permission" redirect to the dashboard.
    response = act(client, outsider, page, "approve")
    assert response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")
    assert not page.live
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not any(action == "wagtail.workflow.approve" for action, _user in log(page))


def test_moderator_of_the_centre_approves_and_publishes(client, world):
    page = create_and_submit(client, world["editor_a"], world["a"], "Fiche à valider")
    moderator = world["moderator_a"]
    assert TaskState.objects.reviewable_by(moderator).filter(pk=task_state(page).pk).exists()

    response = act(client, moderator, page, "approve", comment="Très claire, merci.")
    assert response.status_code == 302
    assert page.live and page.first_published_at
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_APPROVED
    entries = log(page)
    assert ("wagtail.workflow.approve", "moderator_a") in entries
    assert ("wagtail.publish", "moderator_a") in entries
    actions = [action for action, _user in entries]
    assert actions.index("wagtail.workflow.start") < actions.index("wagtail.workflow.approve")
    assert page.revisions.count() >= 1
    assert client.get(page.url).status_code == 200


def test_national_team_approves_any_centre(client, world):
    page = create_and_submit(client, world["editor_b"], world["b"], "Fiche de l'IREV")
    assert act(client, world["national"], page, "approve").status_code == 302
    assert page.live
    assert ("wagtail.workflow.approve", "national") in log(page)


def test_rejection_sends_the_sheet_back_to_the_editor(client, world):
    editor = world["editor_a"]
    page = create_and_submit(client, editor, world["a"], "Fiche à reprendre")
    response = act(client, world["moderator_a"], page, "reject", comment="Préciser les résultats.")
    assert response.status_code == 302
    assert not page.live
    state = WorkflowState.objects.for_instance(page).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    rejected = TaskState.objects.for_instance(page).get(status=TaskState.STATUS_REJECTED)
    assert rejected.comment == "Préciser les résultats." and rejected.finished_by == world["moderator_a"]
    assert ("wagtail.workflow.reject", "moderator_a") in log(page)

    # Back with the editor, who can edit and resubmit: the same workflow resumes.
    assert page.permissions_for_user(editor).can_edit()
    lock = page.get_lock()
    assert lock is None or not lock.for_user(editor)
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/{page.id}/edit/", {**sheet_form("Fiche à reprendre", page.slug), "action-submit": "1"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not page.live
    assert ("wagtail.workflow.resume", "editor_a") in log(page)

"""Roles as Django groups, kept in step with the centres by `sync_roles`.

- centre editors: draft pages in their centre's section, manage its images and documents;
- centre moderators: the same, plus publish, lock and unlock in that section;
- national administrators (CGET/ANCT): every page, collection and setting;
- regional correspondents: admin access only (their reports come with the reporting module).

Each centre also has a moderation workflow on its section: editors submit, the centre's
moderators (or the national team) approve, which publishes, or request changes.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from portal.centres.models import Centre, CentrePage

NATIONAL_ADMINS = "Équipe nationale (ANCT)"
REGIONAL_CORRESPONDENTS = "Correspondants régionaux"

EDITOR_PAGE_PERMISSIONS = ["add", "change"]
MODERATOR_PAGE_PERMISSIONS = ["add", "change", "publish", "lock", "unlock"]
NATIONAL_PAGE_PERMISSIONS = ["add", "change", "publish", "bulk_delete", "lock", "unlock"]


def is_national(user):
    """Whether the user works for the national team (or is a superuser): sees every centre's data."""
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=NATIONAL_ADMINS).exists())


MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
MODERATOR_MEDIA_EXTRA = {"wagtailimages": ["delete_image"], "wagtaildocs": ["delete_document"]}

# Installed apps that are not ours but whose models the national team manages (media, redirects, tags).
# Our own apps declare `content_app = True` on their AppConfig and are found by `national_app_labels`.
NATIONAL_PLATFORM_APPS = ["wagtailimages", "wagtaildocs", "wagtailredirects", "taggit"]


def national_app_labels():
    """The apps whose model permissions the national team holds: every declared content app, plus the platform's."""
    declared = [config.label for config in apps.get_app_configs() if getattr(config, "content_app", False)]
    return declared + NATIONAL_PLATFORM_APPS


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _access_admin():
    return _permission("wagtailadmin", "access_admin")


def _page_permission(kind):
    page_type = ContentType.objects.get_for_model(Page)
    return Permission.objects.get(content_type=page_type, codename=f"{kind}_page")


def _grant_pages(group, page, kinds):
    for kind in kinds:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_page_permission(kind))


def _grant_collection(group, collection, perms_by_app):
    for app_label, codenames in perms_by_app.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )


def _centre_group(centre, field, label, page_kinds, media):
    group = getattr(centre, field)
    if group is None:
        group, _ = Group.objects.get_or_create(name=f"{centre.code} · {label}")
        setattr(centre, field, group)
        centre.save(update_fields=[field])
    group.permissions.add(_access_admin())
    _grant_pages(group, CentrePage.objects.get(centre=centre), page_kinds)
    _grant_collection(group, centre.collection, media)
    return group


def workflow_name(centre):
    return f"Relecture — {centre.name}"


def task_name(centre):
    return f"Validation par les modérateurs — {centre.code}"


def _centre_workflow(centre, moderators):
    """The section's moderation workflow: one group-approval step for the centre's moderators and the national team.

    Keyed by the section's workflow assignment, so renaming the centre or the workflow in the admin
    does not create a second one; only what is missing is added.
    """
    section = CentrePage.objects.get(centre=centre)
    assignment = WorkflowPage.objects.filter(page=section).select_related("workflow").first()
    if assignment:
        workflow = assignment.workflow
    else:
        workflow, _ = Workflow.objects.get_or_create(name=workflow_name(centre))
        WorkflowPage.objects.create(page=section, workflow=workflow)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.filter(name=task_name(centre)).first()
        task = task or GroupApprovalTask.objects.create(name=task_name(centre))
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    national, _ = Group.objects.get_or_create(name=NATIONAL_ADMINS)
    for task in workflow.tasks.specific():
        if isinstance(task, GroupApprovalTask):
            task.groups.add(moderators, national)
    return workflow


@transaction.atomic
def sync_centre_roles(centre):
    moderator_media = {app: MEDIA_PERMISSIONS[app] + MODERATOR_MEDIA_EXTRA[app] for app in MEDIA_PERMISSIONS}
    editors = _centre_group(centre, "editors_group", "éditeurs", EDITOR_PAGE_PERMISSIONS, MEDIA_PERMISSIONS)
    moderators = _centre_group(centre, "moderators_group", "modérateurs", MODERATOR_PAGE_PERMISSIONS, moderator_media)
    _centre_workflow(centre, moderators)
    return editors, moderators


@transaction.atomic
def sync_national_roles():
    national, _ = Group.objects.get_or_create(name=NATIONAL_ADMINS)
    national.permissions.add(_access_admin())
    national.permissions.add(*Permission.objects.filter(content_type__app_label__in=national_app_labels()))
    _grant_pages(national, Page.get_first_root_node(), NATIONAL_PAGE_PERMISSIONS)
    all_media = {
        "wagtailimages": MEDIA_PERMISSIONS["wagtailimages"] + MODERATOR_MEDIA_EXTRA["wagtailimages"],
        "wagtaildocs": MEDIA_PERMISSIONS["wagtaildocs"] + MODERATOR_MEDIA_EXTRA["wagtaildocs"],
    }
    _grant_collection(national, Collection.get_first_root_node(), all_media)

    correspondents, _ = Group.objects.get_or_create(name=REGIONAL_CORRESPONDENTS)
    correspondents.permissions.add(_access_admin())
    return national, correspondents


def sync_roles(progress=None):
    """Groups for the national level and for every centre that has a section."""
    sync_national_roles()
    for centre in Centre.objects.exclude(collection=None):
        sync_centre_roles(centre)
        if progress:
            progress()

"""Helping to compose an issue: what the centre has published since its last sent issue."""

from django.apps import apps
from wagtail.models import Page

from .issues import ITEM_PAGE_TYPES


def last_sent_at(centre_id, exclude_issue_id=None):
    """When the centre's last issue started going out (None when it has never sent one)."""
    from .delivery import ARCHIVED_STATES, IssueSend

    sends = IssueSend.objects.filter(issue__centre_id=centre_id, state__in=ARCHIVED_STATES, started_at__isnull=False)
    if exclude_issue_id:
        sends = sends.exclude(issue_id=exclude_issue_id)
    last = sends.order_by("-started_at").first()
    return last.started_at if last else None


def whats_new(issue, limit=30):
    """The centre's sheets, publications, events and training first published since its last sent issue.

    Returns [{page, label, already}] newest first; `already` marks those the issue already holds.
    """
    centre_id = issue.centre_id or (issue.owning_centre().pk if issue.owning_centre() else None)
    if centre_id is None:
        return []
    since = last_sent_at(centre_id, exclude_issue_id=issue.pk)
    in_issue = {block.value["page"].pk for block in issue.body if block.block_type == "item" and block.value["page"]}
    found = []
    for label in ITEM_PAGE_TYPES:
        model = apps.get_model(label)
        pages = model.objects.live().public().filter(centre_id=centre_id)
        if since:
            pages = pages.filter(first_published_at__gt=since)
        found += list(pages.order_by("-first_published_at")[:limit])
    found.sort(key=lambda page: page.first_published_at, reverse=True)
    return [
        {"page": page, "label": page.content_kind.label, "already": page.pk in in_issue, "since": since}
        for page in found[:limit]
    ]


def add_items(issue, pages):
    """Append item blocks for these pages to the issue's draft (a new revision); returns how many were added."""
    present = {block.value["page"].pk for block in issue.body if block.block_type == "item" and block.value["page"]}
    added = [page for page in pages if page.pk not in present]
    for page in added:
        issue.body.append(("item", {"page": Page.objects.get(pk=page.pk), "note": ""}))
    if added:
        issue.save_revision()
    return len(added)

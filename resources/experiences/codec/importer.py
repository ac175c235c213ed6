"""Import: upsert sheets on their `id`, all or nothing per file (or per sheet with `skip_invalid`)."""

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published, published

from ..models import ExperienceSheetPage
from .canonical import canonical, sheet_content
from .catalogue import Catalogue
from .checks import validate_items
from .errors import ImportReport, Issue, SheetImportError, as_items
from .export import export_queryset, export_sheet
from .schema import parse_datetime
from .writer import apply_fields, apply_relations, apply_sheet, insert_relations, validation_messages


class _Importer:
    def __init__(self, catalogue, *, publish, user, base_url):
        self.catalogue = catalogue
        self.publish = publish
        self.user = user
        self.base_url = (base_url or "").rstrip("/")
        self.slugs = {}  # section page id → slugs taken among its children
        self.pages = {}  # page id → existing sheet, prefetched for the comparison

    def prefetch(self, sheets, chunk_size=200):
        """Load the sheets that already exist with their children, a few queries per chunk."""
        page_ids = [self.catalogue.existing[s["id"]][0] for s in sheets if s["id"] in self.catalogue.existing]
        for start in range(0, len(page_ids), chunk_size):
            chunk = export_queryset(include_drafts=True).filter(pk__in=page_ids[start : start + chunk_size])
            self.pages.update({page.pk: page for page in chunk})

    def free_slug(self, section, title):
        taken = self.slugs.get(section.pk)
        if taken is None:
            taken = self.slugs[section.pk] = set(section.get_children().values_list("slug", flat=True))
        base = slugify(title)[:80].strip("-") or "fiche"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        return slug

    def upsert(self, sheet):
        """Create or update one sheet; returns 'created', 'updated' or 'unchanged'."""
        centre = self.catalogue.centres[sheet["centre"]]
        existing = self.catalogue.existing.get(sheet["id"])
        if existing is None:
            page = self.create(sheet, centre)
            self.catalogue.existing[sheet["id"]] = (page.pk, centre.code)
            return "created"
        page = self.pages.get(existing[0]) or ExperienceSheetPage.objects.get(pk=existing[0])
        latest = page.get_latest_revision_as_object()
        if sheet_content(export_sheet(latest, self.base_url)) == sheet_content(sheet):
            if not self.publish or (page.live and not page.has_unpublished_changes):
                return "unchanged"
            revision = page.get_latest_revision() or page.save_revision(user=self.user, log_action=True)
        else:
            apply_sheet(latest, sheet, self.catalogue, self.base_url)
            # Publishing validates the page in full (Page.save of a live page): no need to do it twice.
            revision = latest.save_revision(user=self.user, log_action=True, clean=not self.publish)
        if self.publish:
            first_publication = page.first_published_at is None
            # Permissions are the caller's business (the command is run by an administrator).
            revision.publish(user=self.user, log_action=True, skip_permission_checks=True)
            if first_publication:
                self._keep_timestamps(page.pk, sheet)
        return "updated"

    def create(self, sheet, centre):
        section = self.catalogue.sections[centre.pk]
        page = ExperienceSheetPage(
            uuid=sheet["id"],
            centre=centre,
            owner=self.user,
            slug=self.free_slug(section, sheet["title"]),
            locale_id=section.locale_id,  # else Wagtail looks the default locale up for every page
        )
        apply_fields(page, sheet, self.catalogue)
        # Saved as a draft first, as the admin does: Wagtail then only checks title and slug, the
        # checks above having covered every field. Page.save() logs the creation itself.
        page.live = False
        section.add_child(instance=page)
        apply_relations(page, sheet, self.catalogue)
        insert_relations(page)
        revision = page.save_revision(user=self.user, log_action=True, clean=False, changed=not self.publish)
        if self.publish:
            self.publish_new(page, revision, sheet)
        return page

    def publish_new(self, page, revision, sheet):
        """What revision.publish() leaves for a page that did not exist, without its cost.

        publish() rebuilds the page from its revision and saves it again with every child row,
        the longest step of an import. Nothing else it handles applies to a page just created (no
        schedule, workflow, comments or aliases); the audit log and the signals are the same.
        """
        now = timezone.now()
        fields = {
            "live": True,
            "live_revision": revision,
            "has_unpublished_changes": False,
            # An exported sheet keeps its publication dates in its new home (export → import → export).
            "first_published_at": parse_datetime(sheet["published_at"] or "") or now,
            "last_published_at": parse_datetime(sheet["updated_at"] or "") or now,
        }
        Page.objects.filter(pk=page.pk).update(**fields)
        for name, value in fields.items():
            setattr(page, name, value)
        log(instance=page, action="wagtail.publish", user=self.user, revision=revision, content_changed=True)
        published.send(sender=ExperienceSheetPage, instance=page, revision=revision)
        page_published.send(sender=ExperienceSheetPage, instance=page, revision=revision)

    @staticmethod
    def _keep_timestamps(page_id, sheet):
        # An exported sheet keeps its publication dates in its new home (export → import → export is stable).
        dates = {
            name: parse_datetime(sheet[key])
            for name, key in (("first_published_at", "published_at"), ("last_published_at", "updated_at"))
            if sheet[key]
        }
        if dates:
            Page.objects.filter(pk=page_id).update(**dates)


@contextmanager
def _deferred_indexing():
    """Within: no reference-index or search-index work on each save; `_reindex` does it once per sheet.

    A sheet is saved several times on import (creation, revision, publication), and its child
    rows too: Wagtail's per-save indexing made up a third of the import time.
    The reference index switch is Wagtail's own (thread-local); the search handler is a global
    signal, so a sheet saved by another thread of the same process during an import is indexed
    by the next `update_index` only.
    """
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        disconnected = post_save.disconnect(post_save_signal_handler, sender=ExperienceSheetPage)
        try:
            yield
        finally:
            if disconnected:
                post_save.connect(post_save_signal_handler, sender=ExperienceSheetPage)


def _reindex(page_ids, chunk_size=200):
    """The reference index and Wagtail's search index of these sheets, in bulk (inside the transaction)."""
    from modelsearch.backends import get_search_backends
    from wagtail.models import ReferenceIndex

    page_ids = sorted(set(page_ids))
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(page_ids), chunk_size):
        pages = list(export_queryset(include_drafts=True).filter(pk__in=page_ids[start : start + chunk_size]))
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        for backend in backends:
            backend.add_bulk(ExperienceSheetPage, pages)


def import_sheets(
    items,
    *,
    publish=False,
    user=None,
    source="",
    skip_invalid=False,
    dry_run=False,
    base_url=None,
    progress=None,
):
    """Upsert sheets (dicts of the format, or `SourceItem`s) and return an `ImportReport`.

    All or nothing: any invalid sheet raises `SheetImportError` and nothing is written, unless
    `skip_invalid`, where invalid sheets are reported in `report.skipped`/`report.errors` and the
    others imported. `dry_run` does everything, then rolls back. `base_url` is the portal's address,
    used to recognise the addresses of its own documents and links in incoming sheets.
    """
    from django.conf import settings

    if base_url is None:
        base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    items = as_items(items)
    report = ImportReport(source=source, dry_run=dry_run)
    catalogue = Catalogue()
    importer = _Importer(catalogue, publish=publish, user=user, base_url=base_url)
    valid = []
    for item, errors in validate_items(items, catalogue, source):
        if errors:
            report.errors += errors
            report.skipped.append(item.position)
        else:
            valid.append((item, canonical(item.data, catalogue)))
    if report.errors and not skip_invalid:
        raise SheetImportError(report.errors, report)

    touched = []
    with transaction.atomic(), _deferred_indexing():
        importer.prefetch([sheet for _item, sheet in valid])
        for item, sheet in valid:
            try:
                if skip_invalid:
                    with transaction.atomic():  # a savepoint: one failing sheet leaves the others
                        outcome = importer.upsert(sheet)
                else:
                    outcome = importer.upsert(sheet)
            except (ValidationError, DatabaseError) as error:
                if isinstance(error, ValidationError):
                    issues = [Issue(source, item.position, p, m) for p, m in validation_messages(error)]
                else:  # a limit the checks above missed: still a French message, never a traceback
                    message = _("refusée par la base de données : %(reason)s") % {"reason": str(error).strip()}
                    issues = [Issue(source, item.position, "", message)]
                report.errors += issues
                report.skipped.append(item.position)
                if not skip_invalid:
                    raise SheetImportError(report.errors, report) from None
            else:
                getattr(report, outcome).append(sheet["id"])
                if outcome != "unchanged":
                    touched.append(catalogue.existing[sheet["id"]][0])
            if progress:
                progress(1)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _reindex(touched)
    return report

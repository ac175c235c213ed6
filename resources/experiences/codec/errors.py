"""What the codec reports: an `Issue` per problem (in French), the `ImportReport`, `SheetImportError`.

Kept apart so that every reader (JSON, CSV) and the importer share them without importing each other.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Issue:
    """One problem in an input file: where (file, sheet or row, key path) and what, in French."""

    source: str
    position: str
    path: str
    message: str

    def __str__(self):
        where = ", ".join(part for part in (self.source, self.position, self.path) if part)
        return f"{where} : {self.message}" if where else self.message


@dataclass
class SourceItem:
    """One sheet read from a file, with its position ('fiche 3', 'ligne 4') and any reading errors."""

    data: object
    position: str
    errors: list = field(default_factory=list)  # (path, message) found while reading (CSV)


@dataclass
class ImportReport:
    source: str = ""
    dry_run: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # positions of the sheets left out
    errors: list = field(default_factory=list)  # Issue

    def summary(self):
        return _("%(created)d créées, %(updated)d mises à jour, %(unchanged)d inchangées, %(skipped)d ignorées") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }


class SheetImportError(Exception):
    """The file is rejected: nothing was imported. `errors` lists every Issue."""

    def __init__(self, errors, report=None):
        self.errors = list(errors)
        self.report = report
        super().__init__("\n".join(str(error) for error in self.errors))


def as_items(items):
    return [
        item if isinstance(item, SourceItem) else SourceItem(item, _("fiche %(n)d") % {"n": index})
        for index, item in enumerate(items, start=1)
    ]

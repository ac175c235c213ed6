"""The `crpv-experience/1` exchange format (SPEC §3): export, validation and import of experience sheets.

- `export_sheet(page)` gives the JSON of one sheet, keys in SPEC order; `export_sheets()` many (`export`).
- `validate_items()` checks items against the JSON Schema (`schema`), then against the database
  (`catalogue`, `checks`), and reports every problem in French with its file, position and key path (`errors`).
- `import_sheets()` upserts sheets on their `id` (`importer`, writing pages with `writer`): all or nothing
  per file (or per sheet with `skip_invalid`), a new revision only when something changed, published only
  when asked.
- `load_file()` reads a .json or .csv file (`files`, `csv_format`), within `IMPORT_MAX_BYTES`.

The canonical form is the export (`canonical`): an incoming sheet is first normalised into exactly what
its export would be, so "did anything change?" is a plain dict comparison, and export → import → export
gives the same JSON. HTML sanitising lives in `resources/experiences/sanitize.py`.
"""

from .canonical import canonical, canonical_amount
from .catalogue import Catalogue
from .checks import sheet_id, validate_items
from .csv_format import HEADER, flatten, load_csv, sheets_to_csv, split_items
from .errors import ImportReport, Issue, SheetImportError, SourceItem
from .export import dump_json, export_amount, export_queryset, export_sheet, export_sheets, format_datetime
from .files import decode_text, load_file, load_json
from .importer import import_sheets
from .schema import FORMAT, SCHEMA_URL, SECTION_KEYS, format_path, schema

__all__ = [
    "FORMAT",
    "HEADER",
    "SCHEMA_URL",
    "SECTION_KEYS",
    "Catalogue",
    "ImportReport",
    "Issue",
    "SheetImportError",
    "SourceItem",
    "canonical",
    "canonical_amount",
    "decode_text",
    "dump_json",
    "export_amount",
    "export_queryset",
    "export_sheet",
    "export_sheets",
    "flatten",
    "format_datetime",
    "format_path",
    "import_sheets",
    "load_csv",
    "load_file",
    "load_json",
    "schema",
    "sheet_id",
    "sheets_to_csv",
    "split_items",
    "validate_items",
]

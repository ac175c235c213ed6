"""CSV form of `crpv-experience/1` (SPEC §3): one sheet per row, for spreadsheets.

- UTF-8 with a BOM (so spreadsheets detect the encoding), `;` between cells, CRLF line ends,
  quotes where a cell holds `;`, quotes or line breaks (the csv module's minimal quoting).
- One column per leaf of the JSON, named by its dotted path: `territory.region`, `period.start`,
  `sections.context`, `contact.email`…
- A list of strings is one cell, items joined by ` | ` (`partners`, `themes`, `tags`…).
- A list of objects is one column per sub-key, each joined by ` | ` in the same order:
  `territory.communes.insee` = `69123 | 69266` and `territory.communes.name` = `Lyon | Villeurbanne`.
  A null inside such a list is an empty item (`funders.amount_eur` = `1000 |  | 250`).
- Inside a list cell, `|` and `\\` in a value are written `\\|` and `\\\\`; spaces around items are ignored.
- Booleans are `true` / `false`; null is an empty cell; `contact` is null when its four cells are empty.

`parse_rows` gives back exactly the dicts of the JSON export, so both files import the same way.
"""

import csv
import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .errors import Issue, SheetImportError, SourceItem
from .schema import SECTION_KEYS

# How an empty or filled cell becomes JSON: kept text, a code (empty = null), a boolean, a number, a list.
TEXT, CODE, BOOL, NUMBER, LIST = "text", "code", "bool", "number", "list"

# Lists of objects: prefix → [(sub-key, kind of each item)].
OBJECT_LISTS = {
    "territory.communes": [("insee", TEXT), ("name", TEXT)],
    "territory.qpv": [("code", TEXT), ("name", TEXT)],
    "funders": [("name", TEXT), ("type", TEXT), ("amount_eur", NUMBER)],
    "documents": [("title", TEXT), ("url", TEXT)],
    "links": [("title", TEXT), ("url", TEXT)],
}


def _object_list(prefix):
    return [(f"{prefix}.{key}", prefix) for key, _kind in OBJECT_LISTS[prefix]]


# Every column in SPEC order: (name, kind); object lists have the kind of their prefix.
COLUMNS = [
    ("format", TEXT),
    ("id", CODE),
    ("title", TEXT),
    ("summary", TEXT),
    ("centre", TEXT),
    ("author", TEXT),
    ("written_on", CODE),
    ("period.start", CODE),
    ("period.end", CODE),
    ("period.ongoing", BOOL),
    ("status", CODE),
    ("territory.region", CODE),
    ("territory.departement", CODE),
    ("territory.epci", CODE),
    *_object_list("territory.communes"),
    *_object_list("territory.qpv"),
    ("territory.hors_qpv", BOOL),
    ("porteur.name", TEXT),
    ("porteur.type", CODE),
    ("partners", LIST),
    *_object_list("funders"),
    ("budget_eur", NUMBER),
    ("pillars", LIST),
    ("transversal_axes", LIST),
    ("themes", LIST),
    ("publics", LIST),
    ("tags", LIST),
    *[(f"sections.{key}", TEXT) for key in SECTION_KEYS],
    ("contact.name", TEXT),
    ("contact.organisation", TEXT),
    ("contact.email", TEXT),
    ("contact.phone", TEXT),
    *_object_list("documents"),
    *_object_list("links"),
    ("chantier", CODE),
    ("published_at", CODE),
    ("updated_at", CODE),
]
HEADER = [name for name, _kind in COLUMNS]
KINDS = dict(COLUMNS)
CONTACT_COLUMNS = ["contact.name", "contact.organisation", "contact.email", "contact.phone"]
DIALECT = {"delimiter": ";", "quotechar": '"', "lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}

_CSV_MESSAGES = {
    "expected after": gettext_noop(
        '« ; » attendu après un guillemet fermant (un guillemet dans une cellule s\'écrit "")'
    ),
    "unexpected end of data": gettext_noop("fin du fichier dans une cellule entre guillemets (guillemet non fermé ?)"),
    "NUL": gettext_noop("caractère nul dans le fichier"),
    "field larger than field limit": gettext_noop("cellule trop longue"),
}
_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


# --------------------------------------------------------------------------- writing


def _escape(item):
    return item.replace("\\", "\\\\").replace("|", "\\|")


def _join(items):
    return " | ".join(_escape(item) for item in items)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return str(value)


def _lookup(sheet, dotted):
    value = sheet
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def flatten(sheet):
    """One CSV row (list of cells, in HEADER order) for one exported sheet."""
    row = []
    for name, kind in COLUMNS:
        if kind in OBJECT_LISTS:
            prefix, sub_key = name.rsplit(".", 1)
            items = _lookup(sheet, prefix) or []
            row.append(_join(_cell(item.get(sub_key)) for item in items))
        elif kind == LIST:
            row.append(_join(_lookup(sheet, name) or []))
        else:
            row.append(_cell(_lookup(sheet, name)))
    return row


def sheets_to_csv(sheets):
    """The CSV file of a list of exported sheets, as text that starts with the BOM (write it as UTF-8)."""
    return "".join(csv_chunks(sheets))


def csv_chunks(sheets, rows_per_chunk=100):
    """The same CSV text in pieces (BOM and header first), for a streamed download."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, **DIALECT)
    writer.writerow(HEADER)
    for number, sheet in enumerate(sheets, start=1):
        writer.writerow(flatten(sheet))
        if number % rows_per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


# --------------------------------------------------------------------------- reading


def split_items(cell):
    """'a | b\\|c' → ['a', 'b|c']; an empty cell is an empty list."""
    if cell.strip() == "":
        return []
    items, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, "\\"))
        elif char == "|":
            items.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    items.append("".join(current).strip())
    return items


def _number(text):
    """A number cell: int or float when it reads as one (',' accepted as decimal mark), else the text itself."""
    text = text.strip()
    if text == "":
        return None
    if not _NUMBER_RE.match(text):
        return text  # the schema then says "un nombre attendu"
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


def _value(text, kind):
    if kind == TEXT:
        return text
    if kind == CODE:
        return text or None
    if kind == NUMBER:
        return _number(text)
    if kind == BOOL:
        lowered = text.strip().lower()
        return {"true": True, "false": False}.get(lowered, text)
    return split_items(text)  # LIST


def _set(target, dotted, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = value


def parse_row(header, cells):
    """(sheet dict, [(path, message)]) for one CSV row; only the columns present in the header become keys."""
    sheet, errors = {}, []
    cells = dict(zip(header, cells, strict=True))
    lists = {}
    for name, text in cells.items():
        kind = KINDS[name]
        if kind in OBJECT_LISTS:
            lists.setdefault(kind, {})[name.rsplit(".", 1)[1]] = split_items(text)
        elif (kind == BOOL or name == "id") and text.strip() == "":
            continue  # no value: the default (false, or a new id), as when the JSON leaves the key out
        elif name in CONTACT_COLUMNS:
            continue
        else:
            _set(sheet, name, _value(text, kind))
    for prefix, columns in lists.items():
        count = max(len(items) for items in columns.values())
        kinds = dict(OBJECT_LISTS[prefix])
        for sub_key, items in columns.items():
            if len(items) not in (0, count) or (not items and count > 1):
                errors.append(
                    (
                        f"{prefix}.{sub_key}",
                        _("%(got)d valeur(s) séparées par « | » pour %(count)d élément(s)")
                        % {"got": len(items), "count": count},
                    )
                )
        objects = []
        for index in range(count):
            entry = {}
            for sub_key, items in columns.items():
                text = items[index] if index < len(items) else ""
                entry[sub_key] = _number(text) if kinds[sub_key] == NUMBER else text
            objects.append(entry)
        _set(sheet, prefix, objects)
    present = [name for name in CONTACT_COLUMNS if name in cells]
    if present:
        contact = {name.split(".")[1]: cells[name] for name in present}
        sheet["contact"] = contact if any(contact.values()) else None
    return sheet, errors


def load_csv(text, source=""):
    """The sheets of a CSV file as `SourceItem`s ('ligne N' = the row's first line in the file)."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";", strict=True)
    try:
        header = next(reader, None)
        if not header or not any(cell.strip() for cell in header):
            raise SheetImportError(
                [Issue(source, "", "", _("fichier CSV vide : la première ligne doit nommer les colonnes"))]
            )
        header = [cell.strip() for cell in header]
        problems = [_("colonne inconnue « %(name)s »") % {"name": name} for name in header if name not in KINDS] + [
            _("colonne en double « %(name)s »") % {"name": name}
            for name in dict.fromkeys(header)
            if header.count(name) > 1
        ]
        if problems:
            raise SheetImportError([Issue(source, _("ligne 1"), "", problem) for problem in problems])
        items, line = [], reader.line_num
        for cells in reader:
            position = _("ligne %(n)d") % {"n": line + 1}
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # blank rows, as spreadsheets leave them at the end
            if len(cells) != len(header):
                message = _("%(got)d cellules au lieu de %(expected)d (un « ; » non protégé par des guillemets ?)")
                errors = [("", message % {"got": len(cells), "expected": len(header)})]
                items.append(SourceItem(None, position, errors))  # unreadable: no point checking its keys
                continue
            sheet, errors = parse_row(header, cells)
            items.append(SourceItem(sheet, position, errors))
    except csv.Error as error:
        reason = next((_(text) for key, text in _CSV_MESSAGES.items() if key in str(error)), _("syntaxe invalide"))
        message = _("CSV mal formé, ligne %(line)d : %(reason)s") % {"line": reader.line_num, "reason": reason}
        raise SheetImportError([Issue(source, "", "", message)]) from None
    return items

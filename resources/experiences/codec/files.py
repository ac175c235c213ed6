"""Reading import files: size limit, UTF-8, JSON syntax; CSV is in `csv_format`."""

import json
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .csv_format import load_csv
from .errors import Issue, SheetImportError, as_items

_JSON_MESSAGES = {
    "Expecting value": gettext_noop("valeur attendue"),
    "Expecting ',' delimiter": gettext_noop("virgule attendue"),
    "Expecting ':' delimiter": gettext_noop("deux-points attendus"),
    "Expecting property name enclosed in double quotes": gettext_noop("nom de clé entre guillemets doubles attendu"),
    "Unterminated string starting at": gettext_noop("chaîne de caractères non terminée"),
    "Invalid control character at": gettext_noop(
        "caractère de contrôle dans une chaîne (un retour à la ligne s'écrit \\n)"
    ),
    "Invalid \\escape": gettext_noop("séquence d'échappement invalide"),
    "Extra data": gettext_noop("données en trop après la fin du JSON"),
}


# A sheet is about five levels deep: anything much deeper is not a sheet, and would exhaust the stack.
MAX_DEPTH = 64


def check_size(size, source):
    """Refuse a file over `IMPORT_MAX_BYTES` before reading it: an import holds the whole file in memory."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        message = _("fichier trop volumineux (%(size)d octets) : %(max)d octets au plus (réglage IMPORT_MAX_BYTES)")
        raise SheetImportError([Issue(source, "", "", message % {"size": size, "max": limit})])


def decode_text(raw, source):
    """UTF-8 text of a file (a BOM is allowed), within the size limit; a French error otherwise."""
    check_size(len(raw), source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetImportError(
            [
                Issue(
                    source,
                    "",
                    "",
                    _(
                        "le fichier n'est pas encodé en UTF-8 (octet %(byte)s à la position %(pos)d) : "
                        "enregistrez-le en UTF-8 (« CSV UTF-8 » dans un tableur)"
                    )
                    % {"byte": hex(raw[error.start]), "pos": error.start},
                )
            ]
        ) from None


class _NotJson(ValueError):
    pass


def _refuse_constant(name):
    # Python's json accepts NaN, Infinity and -Infinity, which JSON does not: no amount can be NaN.
    raise _NotJson(name)


def _deeper_than(data, limit):
    """Whether lists and objects nest more than `limit` levels (iteratively: no recursion to exhaust)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return False


def load_json(text, source=""):
    """The sheets of a JSON file (a list of sheets, or one sheet) as `SourceItem`s."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
        if _deeper_than(data, MAX_DEPTH):
            raise RecursionError
    except _NotJson as error:
        message = _("JSON mal formé : « %(value)s » n'est pas une valeur JSON (un nombre, ou null)")
        raise SheetImportError([Issue(source, "", "", message % {"value": error.args[0]})]) from None
    except RecursionError:
        message = _("JSON mal formé : imbrication trop profonde (plus de %(max)d niveaux)") % {"max": MAX_DEPTH}
        raise SheetImportError([Issue(source, "", "", message)]) from None
    except json.JSONDecodeError as error:
        reason = next((text for key, text in _JSON_MESSAGES.items() if error.msg.startswith(key)), "syntaxe invalide")
        message = _("JSON mal formé, ligne %(line)d, colonne %(col)d : %(reason)s") % {
            "line": error.lineno,
            "col": error.colno,
            "reason": _(reason),
        }
        raise SheetImportError([Issue(source, "", "", message)]) from None
    if isinstance(data, dict) and "format" in data:
        data = [data]
    if not isinstance(data, list):
        raise SheetImportError([Issue(source, "", "", _("le fichier JSON doit contenir une liste de fiches"))])
    return as_items(data)


def load_file(path):
    """The sheets of a .json or .csv file, as `SourceItem`s; `SheetImportError` with a French message otherwise."""

    path = Path(path)
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        message = _("format de fichier non reconnu « %(ext)s » : un fichier .json ou .csv est attendu")
        raise SheetImportError([Issue(source, "", "", message % {"ext": suffix or path.name})])
    try:
        check_size(path.stat().st_size, source)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SheetImportError([Issue(str(path), "", "", _("fichier introuvable"))]) from None
    except IsADirectoryError:
        raise SheetImportError([Issue(str(path), "", "", _("c'est un dossier, pas un fichier"))]) from None
    except OSError as error:
        message = _("lecture impossible (%(reason)s)") % {"reason": error.strerror}
        raise SheetImportError([Issue(str(path), "", "", message)]) from None
    text = decode_text(raw, source)
    return load_json(text, source) if suffix == ".json" else load_csv(text, source)

"""French prepositions and articles before place names: « au Port », « en Guyane », « d'Ozanam ».

Generated sentences (demo text, centre introductions) put a place name after « à », « de », « en »
or « pour »; French contracts and elides according to the place's article and first letter. The
article of regions, départements and organisations is data (data/places.json); a commune's
official name carries its own (« Le Port », « Les Abymes »), so the rules follow from the name.
A name of several places (« Bretagne, Pays de la Loire ») is each of them, joined by « et ».
"""

import json
import re
from functools import cache
from pathlib import Path

from django.utils.text import capfirst

DATA = Path(__file__).parent / "data" / "places.json"
VOWELS = "AEIOUYÂÀÉÈÊËÎÏÔÖÛÜŒaeiouyâàéèêëîïôöûüœ"
APOSTROPHE = "'"  # the one the templates use most, in every generated sentence


@cache
def _data():
    return json.loads(DATA.read_text(encoding="utf-8"))


def _entry(name):
    return _data()["names"].get(name)


def _parts(name):
    return [part.strip() for part in name.split(", ") if part.strip()]


def _elides(name):
    return name[:1] in VOWELS or (name[:1] in "Hh" and name not in _data()["aspirated_h"])


def _own_article(name):
    """(article, rest) of a name that carries its article (« Le Port » → ("le", "Port"))."""
    match = re.match(r"^(Le|La|Les) (.+)$", name) or re.match(r"^(L)['’](.+)$", name)
    return (match.group(1).lower(), match.group(2)) if match else ("", name)


def with_article(name):
    """« la Guyane », « l'Essonne », « les Hauts-de-France »; « Le Port » and « Paris » unchanged."""
    return " et ".join(_with_article(part) for part in _parts(name))


def _with_article(name):
    entry = _entry(name)
    article = entry["article"] if entry else ""
    if not article:
        return name
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def at(name):
    """Where: « à Paris », « au Port », « aux Abymes », « à La Réunion », « en Guyane », « dans le Grand Est »."""
    return " et ".join(_at(part) for part in _parts(name))


def _at(name):
    entry = _entry(name)
    if entry and entry["in"] == "en":
        return f"en {name}"
    if entry and entry["in"] == "dans":
        return f"dans {_with_article(name)}"
    if entry and entry["article"]:
        return _contract("à", entry["article"], name)
    article, rest = _own_article(name)
    if article in ("le", "les"):
        return _contract("à", article, rest)
    return f"à {name}"


def of(name):
    """Of: « de Paris », « du Port », « des Abymes », « de La Réunion », « de la Guyane », « d'Ozanam »."""
    return " et ".join(_of(part) for part in _parts(name))


def _of(name):
    entry = _entry(name)
    if entry and entry["article"]:
        return _contract("de", entry["article"], name)
    article, rest = _own_article(name)
    if article in ("le", "les"):
        return _contract("de", article, rest)
    return f"d{APOSTROPHE}{name}" if _elides(name) else f"de {name}"


def for_(name):
    """« pour la Guyane », « pour Mayotte », « pour l'Essonne »."""
    return f"pour {with_article(name)}"


def subject(name):
    """A name opening a sentence: « Le Centre de ressources de Paris », « L'IREV », « Labo Cités »."""
    return capfirst(with_article(name))


def _contract(preposition, article, name):
    forms = {
        ("à", "le"): "au ",
        ("à", "les"): "aux ",
        ("de", "le"): "du ",
        ("de", "les"): "des ",
        ("à", "la"): "à la ",
        ("de", "la"): "de la ",
        ("à", "l'"): "à l'",
        ("de", "l'"): "de l'",
    }
    return forms[(preposition, article)].replace("'", APOSTROPHE) + name


# In text already written with a bare « à » / « de » before a name: « à Le Port », « de Ozanam ».
_BARE = re.compile(r"\b([àÀ]|[dD]e) (Le|Les) (?=[A-ZÀ-Ý])")
_DE_VOWEL = re.compile(rf"\b([dD])e (?=[{VOWELS[:19]}][\w-])")


def contract(text):
    """Fix « à Le X » → « au X », « de Les X » → « des X », « de Ozanam » → « d'Ozanam » in generated text.

    Only before a capitalised word: a place or an organisation inserted into a sentence template.
    """

    def bare(match):
        preposition = "à" if match.group(1) in "àÀ" else "de"
        contracted = _contract(preposition, match.group(2).lower(), "")
        return capfirst(contracted) if match.group(1)[0].isupper() else contracted

    text = _BARE.sub(bare, text)
    return _DE_VOWEL.sub(lambda match: f"{match.group(1)}{APOSTROPHE}", text)

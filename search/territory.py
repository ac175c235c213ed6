"""Territory understanding: a query naming a commune, a département or a region boosts its items.

The gazetteer comes from the database: the départements and regions of the taxonomy, and the
communes the indexed pages name (the optional classmethod `search_communes()` of an indexable
model yields (INSEE code, name) pairs: sheets give their `SheetCommune` rows). Names are
compared folded (accents, case, hyphens and apostrophes forgiven: « seine saint denis »).

`parse(q)` splits a query into the place it names and the rest. The rest is matched as usual
(every word required); the place is never required as text: its items (by their INSEE keys:
`commune`, `departement`, `region`) are boosted, and the place's words found in the text count
too. A query that is only a place returns that place's items first, then the texts naming it.

Département codes (« 93 », « 2A ») count only when they clearly are one: alone, in parentheses,
after « département » (or « dép. », « dpt »), at the end after « le / du / au » (« dans le 93 »),
or next to the département's name. « 100 jeunes » or « 13 quartiers » are quantities.
"""

import re
import time
from dataclasses import dataclass, field

from django.apps import apps

from .declarations import indexable_models
from .indexing import fold

# Names that are also everyday words: a place only when the query is just that name, or when
# it is written with its capital and the query names no other place (« jeunes La Réunion »).
COMMON_WORDS = {
    "nord", "cher", "lot", "somme", "manche", "landes", "creuse", "marne", "orne", "vienne", "la reunion",
    "tours", "orange", "sens", "grasse", "vire", "charente", "loire", "indre", "centre", "le port",
}  # fmt: skip
# Usual abbreviations of regions (code → aliases).
REGION_ALIASES = {"93": ["paca"], "11": ["idf"]}
# Words announcing a département code, and the small words left before a place (« à Marseille »).
CODE_MARKERS = {"departement", "dep", "dept", "dpt"}
COLLOQUIAL_CODE = {"le", "du", "au"}  # « dans le 93 », « jeunes du 93 »
LEADING_WORDS = {"a", "en", "dans", "de", "du", "des", "le", "la", "les", "l", "d", "au", "aux", "sur", "pour"}
TOKEN = re.compile(r"[^\W_]+")
ARRONDISSEMENT = re.compile(r"^(.*?)\s+\d+\s*(?:er|e|eme)?\s+arrondissement$")
MIN_NAME_LENGTH = 3
CACHE_SECONDS = 300

# Boost of the items of each level of a place (engine: multiplies the text score; database: orders).
# The place's own level counts most; the wider territory holding it a little.
WEIGHTS = {"commune": 4.0, "departement": 4.0, "region": 4.0}
WIDER_WEIGHT = {"commune": ("departement", 2.0), "departement": ("region", 1.5)}


def departement_of(insee):
    """The département code of a commune's INSEE code: 3 characters overseas (974…), else 2 (2A, 75…)."""
    return insee[:3] if insee.startswith("97") else insee[:2]


@dataclass(frozen=True)
class Place:
    level: str  # "commune", "departement" or "region"
    name: str  # as people read it: « Seine-Saint-Denis »
    codes: tuple  # INSEE codes at its level (a commune name may cover homonyms or arrondissements)
    wider: tuple = ()  # codes of the level above (the communes' départements, the département's region)
    label: str = ""  # filter label: « Seine-Saint-Denis (93) »

    def boosts(self):
        """[(search key, codes, weight)] of the items to boost, most specific first."""
        keys = [(self.level, self.codes, WEIGHTS[self.level])]
        if self.level in WIDER_WEIGHT and self.wider:
            facet, weight = WIDER_WEIGHT[self.level]
            keys.append((facet, self.wider, weight))
        return keys

    def offer(self):
        """The filter the search page offers: (facet, value, label), or None (a commune has no filter of its
        own: its département's, when all its codes are in one)."""
        if self.level in ("departement", "region"):
            return self.level, self.codes[0], self.label
        if len(self.wider) == 1:
            return "departement", self.wider[0], _gazetteer().departement_labels.get(self.wider[0], self.wider[0])
        return None


@dataclass
class Gazetteer:
    names: dict = field(default_factory=dict)  # folded tokens (tuple) → Place
    departement_codes: dict = field(default_factory=dict)  # folded code → Place
    departement_labels: dict = field(default_factory=dict)  # code → « Seine-Saint-Denis (93) »
    longest: int = 1


def tokens(text):
    return [fold(token) for token in TOKEN.findall(text)]


def build():
    """The gazetteer, from the taxonomy and the communes the indexed pages name."""
    gazetteer = Gazetteer()
    region_model = apps.get_model("taxonomy", "Region")
    departement_model = apps.get_model("taxonomy", "Departement")
    regions = dict(region_model.objects.values_list("code", "name"))
    communes = {}
    for model in indexable_models():
        for insee, name in getattr(model, "search_communes", list)():
            communes.setdefault(insee, name)
    # Communes first: a département or region of the same name (Paris, La Réunion) replaces them.
    by_name = {}  # folded name → (name shown, INSEE codes)
    for insee, name in communes.items():
        folded = " ".join(tokens(name))
        # « Marseille 3e Arrondissement » is also « Marseille ».
        base = ARRONDISSEMENT.match(folded)
        if base:
            by_name.setdefault(base.group(1), (re.split(r"\s+\d", name)[0], set()))[1].add(insee)
        by_name.setdefault(folded, (name, set()))[1].add(insee)
    for key, (name, codes) in by_name.items():
        if len(key) >= MIN_NAME_LENGTH:
            codes = tuple(sorted(codes))
            wider = tuple(sorted({departement_of(code) for code in codes}))
            gazetteer.names[tuple(key.split())] = Place("commune", name, codes, wider)
    for code, name in regions.items():
        place = Place("region", name, (code,), label=name)
        for alias in [name, *REGION_ALIASES.get(code, [])]:
            gazetteer.names[tuple(tokens(alias))] = place
    for code, name, region in departement_model.objects.values_list("code", "name", "region__code"):
        label = f"{name} ({code})"
        place = Place("departement", name, (code,), wider=(region,) if region else (), label=label)
        gazetteer.names[tuple(tokens(name))] = place
        gazetteer.departement_codes[fold(code)] = place
        gazetteer.departement_labels[code] = label
    gazetteer.longest = max((len(key) for key in gazetteer.names), default=1)
    return gazetteer


_cache = {"at": 0.0, "gazetteer": None}


def _gazetteer():
    """The gazetteer of this process, rebuilt every few minutes (new communes appear as sheets do)."""
    if _cache["gazetteer"] is None or time.monotonic() - _cache["at"] > CACHE_SECONDS:
        _cache.update(gazetteer=build(), at=time.monotonic())
    return _cache["gazetteer"]


def forget():
    """Drop the cached gazetteer (the entries changed: a sheet may name a new commune)."""
    _cache["gazetteer"] = None


@dataclass(frozen=True)
class Parsed:
    place: Place | None
    rest: str  # the query without the place: matched as usual
    mention: str = ""  # the place as written: matched as text too, never required


def parse(q):
    """The place a query names (the longest name, a clear département code) and the rest of it."""
    if not q:
        return Parsed(None, q or "")
    gazetteer = _gazetteer()
    found = list(TOKEN.finditer(q))
    words = [fold(match.group()) for match in found]
    mentions = []  # (first token, last token + 1, place)
    i = 0
    while i < len(words):
        for n in range(min(gazetteer.longest, len(words) - i), 0, -1):
            place = gazetteer.names.get(tuple(words[i : i + n]))
            if place:
                mentions.append((i, i + n, place))
                i += n
                break
        else:
            i += 1
    mentions = [m for m in mentions if _counts(m, words, found, len(mentions))]
    if mentions:
        start, stop, place = mentions[0]
        mention = q[found[start].start() : found[stop - 1].end()]
        # « Seine-Saint-Denis (93) », « 93 Seine-Saint-Denis », « Marseille 13 »: the code goes with the name.
        own = {fold(code) for code in (place.codes if place.level == "departement" else place.wider)}
        if stop < len(words) and words[stop] in own:
            stop += 1
        elif start > 0 and words[start - 1] in own:
            start -= 1
    else:
        coded = _code_mention(words, found, q, gazetteer)
        if not coded:
            return Parsed(None, q)
        start, stop, place = coded
        mention = q[found[start].start() : found[stop - 1].end()]
    while start > 0 and words[start - 1] in LEADING_WORDS | CODE_MARKERS:
        start -= 1
    rest = q[: found[start].start()] + " " + q[found[stop - 1].end() :]
    rest = re.sub(r"\(\s*\)", " ", rest)
    rest = " ".join(rest.split()) if re.search(r"[^\W_]", rest) else ""
    return Parsed(place, rest.strip(" ,;-"), mention)


def _counts(mention, words, found, how_many):
    """Whether a name found in the query is the place (not an everyday word: « réunion publique »)."""
    start, stop, place = mention
    key = " ".join(words[start:stop])
    if key not in COMMON_WORDS:
        return True
    if stop - start == len(words):
        return True
    written = found[stop - 1].group()
    return how_many == 1 and written[:1].isupper()


def _code_mention(words, found, q, gazetteer):
    """(start, stop, place) of a département code that clearly is one, or None."""
    for i, word in enumerate(words):
        place = gazetteer.departement_codes.get(word)
        if not place:
            continue
        before = words[i - 1] if i else ""
        last = i == len(words) - 1
        in_parentheses = re.search(rf"\(\s*{re.escape(found[i].group())}\s*\)", q)
        if len(words) == 1 or in_parentheses or before in CODE_MARKERS or (last and before in COLLOQUIAL_CODE):
            return i, i + 1, place
    return None


def answer(parsed):
    """The API's `territory`: the place understood and the filter offered, or None."""
    if not parsed.place:
        return None
    place = parsed.place
    offer = place.offer()
    return {
        "level": place.level,
        "name": place.name,
        "codes": list(place.codes),
        "facet": offer[0] if offer else None,
        "value": offer[1] if offer else None,
        "label": offer[2] if offer else None,
    }


# ---- the engine -------------------------------------------------------------------------


def engine_query(dsl, parsed, text_query):
    """The engine's query for a parsed query with a place: the rest required, the place boosted.

    With other words, the items of the place get their text score multiplied (×4 for the place,
    less for the wider territory); the place's name in the text adds to the score. A query that is
    only a place keeps the items of the place or naming it, the place's items first.
    """
    boosts = [
        {"filter": dsl.Q("terms", **{key: list(codes)}).to_dict(), "weight": weight}
        for key, codes, weight in parsed.place.boosts()
    ]
    named = text_query(dsl, parsed.mention)
    if parsed.rest:
        query = dsl.Q("bool", must=[text_query(dsl, parsed.rest)], should=[named])
        return dsl.Q("function_score", query=query, functions=boosts, score_mode="max", boost_mode="multiply")
    keys = [dsl.Q("terms", **{key: list(codes)}) for key, codes, _weight in parsed.place.boosts()[:1]]
    query = dsl.Q("bool", should=[*keys, named], minimum_should_match=1)
    # Only the territory decides the order (then the date): naming the place is not being there.
    return dsl.Q("function_score", query=query, functions=boosts, score_mode="max", boost_mode="replace")


# ---- the database fallback ----------------------------------------------------------------


def sql_weight(parsed, values_table):
    """(SQL, params): the boost of an entry (alias `e`) for the place: its highest weight, else 1."""
    cases, params = [], []
    for key, codes, weight in parsed.place.boosts():
        cases.append(
            f"WHEN e.page_id IN (SELECT entry_id FROM {values_table} WHERE facet = %s AND value = ANY(%s)) "  # noqa: S608
            f"THEN {float(weight)}"
        )
        params += [key, list(codes)]
    return f"(CASE {' '.join(cases)} ELSE 1.0 END)", params


def sql_in_place(parsed, values_table):
    """(SQL, params): whether an entry (alias `e`) is an item of the place itself."""
    key, codes, _weight = parsed.place.boosts()[0]
    sql = f"e.page_id IN (SELECT entry_id FROM {values_table} WHERE facet = %s AND value = ANY(%s))"  # noqa: S608
    return sql, [key, list(codes)]


def entries_in_place(parsed, facet_values):
    """The entry ids of the place's items (a queryset of `SearchFacetValue`): the ORM path (SQLite)."""
    key, codes, _weight = parsed.place.boosts()[0]
    return facet_values.filter(facet=key, value__in=list(codes)).values("entry_id")

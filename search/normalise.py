"""The words of the database fallback: one normalisation for what is stored and what is asked.

`index_text(text)` is what `SearchEntry.folded` holds and `query_concepts(q)` what the fallback
looks for, both from `words()`: accents folded, elisions dropped (l', d', qu'…), light French
plural stripping (`plural`), and hyphenated compounds split into their words — stored with the
joined form too, so that « adultes-relais » ≡ « adultes relais » ≡
« adulte relais » and « socio-linguistiques » ≡ « sociolinguistiques ». The engine does the same
in its analysers (`documents.py`). Changing these rules changes what entries hold: run
`search_index rebuild --target database`.
"""

import re

from . import indexing
from .documents import FRENCH_ELISIONS, synonym_rules

ELISION = re.compile(rf"\b(?:{'|'.join(FRENCH_ELISIONS)})['’]", re.IGNORECASE)
# A word, or words joined by hyphens (« socio-linguistiques », « Seine-Saint-Denis »).
COMPOUND = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
HYPHENS = re.compile(r"[-‐‑]")
# Plural-looking singulars the stripping must leave alone (« fois » is not the plural of « foi »).
INVARIABLE = frozenset({"bus", "fois", "pays", "temps", "corps", "mois", "prix", "choix", "voix", "gaz", "paix"})


def plural(word):
    """The singular of a (folded) French word, lightly: -eaux/-eux → -eau/-eu, -aux → -al, -s/-x dropped.

    Light on purpose, like the engine's `light_french`: both sides go through it, so a rule only has
    to be the same on both, not right in every case; short words (« gens », « tous ») are kept.
    """
    if len(word) <= 3 or word in INVARIABLE or word.isdigit():
        return word
    if word.endswith(("eaux", "eux")):
        return word[:-1]
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith(("s", "x")) and not word.endswith("ss"):
        return word[:-1]
    return word


def compounds(text):
    """[[part, …], …]: each word of the folded text without elisions, a compound as its parts."""
    folded = indexing.fold(ELISION.sub(" ", text or ""))
    return [HYPHENS.split(match) for match in COMPOUND.findall(folded)]


def joined(parts):
    """The one-word form of a compound (the plural mark is at its end only): socio-linguistiques → sociolinguistique."""
    return plural("".join(parts))


def words(text):
    """The normalised words of a text, in order (compounds split)."""
    return [plural(part) for parts in compounds(text) for part in parts]


def index_text(text):
    """What an entry stores and the fallback matches: the words, a compound joined then split.

    « ateliers socio-linguistiques » → « atelier sociolinguistique socio linguistique »: the
    phrases « atelier sociolinguistique » (a synonym) and « socio linguistique » both hold.
    Starts with a space so that a word is matched from its start (`contains(" " + word)`).
    """
    stored = []
    for parts in compounds(text):
        if len(parts) > 1:
            stored.append(joined(parts))
        stored += [plural(part) for part in parts]
    return " " + " ".join(stored)


def _synonym_groups():
    return [[" ".join(words(term)) for term in rule.split(",") if words(term)] for rule in synonym_rules()]


def _find(sequence, term, taken):
    """Index where `term` (a list of words) starts in `sequence` among words not yet taken, or -1."""
    size = len(term)
    for start in range(len(sequence) - size + 1):
        span = range(start, start + size)
        if [sequence[i] for i in span] == term and not any(i in taken for i in span):
            return start
    return -1


def query_concepts(q):
    """The query as concepts, each a list of alternative phrases (normalised words): [[phrase, …], …].

    A synonym (longest first) becomes its group; a compound its split and joined forms; any other
    word itself. The concepts are AND-ed, the alternatives of a concept OR-ed.
    """
    found = compounds(q)
    sequence = [plural(part) for parts in found for part in parts]
    owner = [n for n, parts in enumerate(found) for _part in parts]  # the compound of each word
    # The same query with each compound joined (« socio-linguistiques » as « sociolinguistique »),
    # so that a synonym written solid is found either way.
    solid = [joined(parts) for parts in found]
    taken, concepts = set(), []
    groups = sorted(_synonym_groups(), key=lambda group: -max(len(term.split()) for term in group))
    for group in groups:
        for term in group:
            size = len(term.split())
            start = _find(sequence, term.split(), taken)
            if start >= 0:
                taken.update(range(start, start + size))
            else:
                start = _find(solid, term.split(), {owner[i] for i in taken})
                if start < 0:
                    continue
                taken.update(i for i, n in enumerate(owner) if start <= n < start + size)
            concepts.append(list(dict.fromkeys(group)))
            break
    for n, parts in enumerate(found):
        left = [i for i, compound in enumerate(owner) if compound == n and i not in taken]
        if len(parts) > 1 and len(left) == len(parts):
            split = " ".join(sequence[i] for i in left)
            concepts.append(list(dict.fromkeys([split, joined(parts)])))
        else:
            concepts += [[sequence[i]] for i in left]
    return concepts

"""« Vouliez-vous dire … » without the engine: a vocabulary table and an edit-distance match.

The vocabulary (`SearchWord`) holds the words of the entries' titles and summaries — what the
engine's `spelling` field holds — folded, with the form people write (accents) and the number of
entries holding each. `write_entries` keeps it by difference (`update`): it reads the entries'
old title and summary before overwriting them, so a write costs one small query and one upsert,
whatever the size of the table. `rebuild()` recounts it from the entries (after
`search_index rebuild --target database`).

A query word is replaced when no entry holds it (nor its singular or plural) and a vocabulary word
of the same initial is close enough: Damerau-Levenshtein distance (RapidFuzz) 1 up to 5 letters,
2 beyond, as the engine's `fuzziness: AUTO` — the closest, then the most frequent.
"""

import re
from collections import Counter

from django.db import connection, transaction
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from .indexing import fold
from .models import SearchEntry, SearchWord
from .normalise import ELISION, plural

# Letters only, three at least (as the engine's `min_word_length`), at most the column's 40.
WORD = re.compile(r"[^\W\d_]{3,40}")
CHUNK = 2000


def vocabulary(*texts):
    """{folded word: form as written, lower case} of some texts."""
    found = {}
    for text in texts:
        for written in WORD.findall(ELISION.sub(" ", text or "")):
            found.setdefault(fold(written), written.lower())
    return found


def _upsert(counts, displays):
    """Add `counts` ({word: delta}) to the table, new words with their `displays`; drop words at 0."""
    # In word order: two concurrent writers lock the rows they share in the same order (no deadlock).
    counted = sorted(counts.items())
    rows = [(word, displays.get(word, word), word[0], len(word), delta) for word, delta in counted if delta]
    if not rows:
        return
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        # Same SQL on PostgreSQL and SQLite (≥ 3.24); an accented form replaces an unaccented one.
        cursor.executemany(
            f"INSERT INTO {table} (word, display, initial, length, entries) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (word) DO UPDATE SET entries = {table}.entries + excluded.entries, "
            f"display = CASE WHEN excluded.display <> excluded.word THEN excluded.display ELSE {table}.display END",
            rows,
        )
        cursor.execute(f"DELETE FROM {table} WHERE entries <= 0")  # noqa: S608


def update(old, new):
    """Apply the change of entries from `old` to `new` ({page_id: (title, summary)}, absent: no entry)."""
    counts, displays = Counter(), {}
    for page_id in old.keys() | new.keys():
        before = vocabulary(*old[page_id]) if page_id in old else {}
        after = vocabulary(*new[page_id]) if page_id in new else {}
        counts.update(dict.fromkeys(after.keys() - before.keys(), 1))
        counts.subtract(dict.fromkeys(before.keys() - after.keys(), 1))
        displays.update(after)
    _upsert(counts, displays)


@transaction.atomic
def rebuild(progress=None):
    """Recount the vocabulary from every entry (chunk by chunk); returns the number of words."""
    counts, displays = Counter(), {}
    rows = SearchEntry.objects.order_by("page_id").values_list("title", "summary")
    for title, summary in rows.iterator(chunk_size=CHUNK):
        words = vocabulary(title, summary)
        counts.update(words.keys())
        for word, written in words.items():
            if written != word or word not in displays:
                displays[word] = written
        if progress:
            progress()
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (SearchWord(word=w, display=displays[w], initial=w[0], length=len(w), entries=n) for w, n in counts.items()),
        batch_size=CHUNK,
    )
    return len(counts)


def _max_distance(word):
    return 1 if len(word) <= 5 else 2


def _correction(word, known):
    """The closest vocabulary word to an unknown `word` (folded), or None."""
    if word in known or plural(word) in known or f"{word}s" in known or f"{word}x" in known:
        return None
    distance = _max_distance(word)
    candidates = {
        row[0]: row
        for row in SearchWord.objects.filter(
            initial=word[0], length__gte=len(word) - distance, length__lte=len(word) + distance
        ).values_list("word", "display", "entries")
    }
    matches = process.extract(
        word, list(candidates), scorer=DamerauLevenshtein.distance, score_cutoff=distance, limit=None
    )
    if not matches:
        return None
    best, _distance, _index = min(matches, key=lambda match: (match[1], -candidates[match[0]][2], match[0]))
    return candidates[best][1]


def did_you_mean(q):
    """The query with its unknown words replaced by their closest indexed word, or None if none is."""
    spans = [(match.start(), match.end(), fold(match.group())) for match in WORD.finditer(q or "")]
    if not spans:
        return None
    asked = {word for _start, _end, word in spans}
    variants = asked | {plural(w) for w in asked} | {f"{w}s" for w in asked} | {f"{w}x" for w in asked}
    known = set(SearchWord.objects.filter(word__in=variants).values_list("word", flat=True))
    text, at, changed = [], 0, False
    for start, end, word in spans:
        correction = _correction(word, known)
        if correction:
            text += [q[at:start], correction]
            at, changed = end, True
    return "".join([*text, q[at:]]) if changed else None


def accented(suggestion):
    """The engine's (folded) suggestion with the words written as in the entries: mediation → médiation."""
    words = suggestion.split()
    displays = dict(SearchWord.objects.filter(word__in=words).values_list("word", "display"))
    return " ".join(displays.get(word, word) for word in words)

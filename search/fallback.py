"""The database implementation of the search service (no engine configured).

Same parameters, same result shape, same filters and facet counts as the engine, from the
`SearchEntry` rows the indexing tasks keep. Text matching: on PostgreSQL, full-text search
with the `french` configuration over accent-folded text, on a stored vector with a GIN index
(migration 0002), count, page and facets in one statement; on SQLite (the demo), substring
matching of each normalised word with the ORM (`normalise.py`: the same words stored and asked).
Synonyms from `data/synonyms.txt` are expanded on the query side in both; "did you mean" comes
from the vocabulary of `spelling.py`. Typo tolerance and similar items are simpler here.
"""

import re

from django.db import connection, transaction
from django.db.models import Case, Count, Q, Value, When
from django.utils.html import escape

from . import collapse, spelling, territory
from .indexing import FACETS, fold, original_span, public_only
from .models import SearchEntry, SearchFacetValue
from .normalise import ELISION, query_concepts
from .normalise import words as normalised_words
from .params import facet_labels, suggestion_items
from .ranking import rank_factor_sql, rank_sql


def query_terms(q):
    """The query as a list of alternatives per concept: [[word-or-phrase, …], …] (`normalise`)."""
    return query_concepts(q)


def _sqlite_filter(alternatives):
    condition = Q()
    for group in alternatives:
        group_condition = Q()
        for term in group:
            # `folded` holds normalised words after a space: a word matches from its start.
            group_condition |= Q(folded__contains=" " + term)
        condition &= group_condition
    return condition


def _apply_filters(queryset, filters):
    for facet, values in filters.items():
        subquery = SearchFacetValue.objects.filter(facet=facet, value__in=[str(v) for v in values]).values("entry_id")
        queryset = queryset.filter(page_id__in=subquery)
    return queryset


def _excerpt(entry, alternatives):
    """The first passage of the summary or body holding a query word, escaped, with <mark>."""
    words = [word for group in alternatives for term in group for word in term.split()]
    for text in (entry.summary, entry.body, entry.title):
        folded = fold(text)
        for word in words:
            stem = word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word
            found = folded.find(stem)
            if found >= 0:
                at, stop = original_span(text, found, found + len(stem))
                start, end = max(at - 80, 0), min(stop + 100, len(text))
                # Cut on word boundaries, never in the middle of a word.
                if start and " " in text[start:at]:
                    start = text.index(" ", start, at) + 1
                if end < len(text) and " " in text[stop:end]:
                    end = text.rindex(" ", stop, end)
                return (
                    ("…" if start else "")
                    + escape(text[start:at])
                    + "<mark>"
                    + escape(text[at:stop])
                    + "</mark>"
                    + escape(text[stop:end])
                    + ("…" if end < len(text) else "")
                )
    return None


# PostgreSQL only: two generated columns of `search_searchentry` that the model does not declare
# (SQLite has no tsvector), added by migration 0002 and read here through SQL.
#   search_vector: to_tsvector('french', folded), with a GIN index: what is matched;
#   search_head: title (weight A) + summary (weight B), a few hundred bytes: what is ranked.
VECTOR_COLUMN = "search_vector"
HEAD_COLUMN = "search_head"


def _tsquery(alternatives):
    """(SQL, params) of the tsquery: the alternatives of each concept OR-ed, the concepts AND-ed.

    Each word or phrase is a `phraseto_tsquery('french', …)`: immutable, so the planner folds the
    whole expression into a constant and can look it up in the GIN index.
    """
    groups, params = [], []
    for group in alternatives:
        groups.append("(" + " || ".join(["phraseto_tsquery('french'::regconfig, %s)"] * len(group)) + ")")
        params += group
    return "(" + " && ".join(groups) + ")", params


def _rank(alternatives, parsed):
    """(SQL, params) of an entry's rank (ranking.py: title and summary bonuses, kinds, fading); a named
    place's items first."""
    if alternatives:
        tsquery, tsquery_params = _tsquery(alternatives)
        sql, params = rank_sql(f"e.{HEAD_COLUMN}", tsquery, tsquery_params, "e")
    else:
        sql, params = rank_factor_sql("e")
    if parsed is not None:
        weight, weight_params = territory.sql_weight(parsed, SearchFacetValue._meta.db_table)
        sql, params = f"({sql} + 1) * {weight}", params + weight_params
    return sql, params


def _postgres_search(params, alternatives, parsed=None):
    """(count, page ids in order, [facet, value, count] rows) in one statement on the stored vector.

    The match (GIN index, then the recheck of phrases) runs once, into a materialised CTE of
    (page_id, date, rank, one flag per filter) that the count, the page and the facets read.
    Facets are disjunctive: a facet counts the matches passing every filter except its own. The
    facets without a filter of their own share the results' scope and are counted by one
    grouped query; a facet with its own filter set gets one of its own. An entry failing two
    filters counts nowhere and is left out of the CTE. Rank: title and summary (`search_head`).
    `parsed`: a query naming a place (territory.py), whose words are not required.
    """
    entries, values = SearchEntry._meta.db_table, SearchFacetValue._meta.db_table
    filters = list(params.filters.items())
    flags = [f"f{i}" for i in range(len(filters))]
    ranked = bool(alternatives or parsed) and params.sort == "relevance"

    columns, column_params = ["e.page_id", "e.date", "e.title_key"], []
    if ranked:
        rank, rank_params = _rank(alternatives, parsed)
        columns.append(f"{rank} AS rank")
        column_params += rank_params
    for flag, (facet, chosen) in zip(flags, filters, strict=True):
        columns.append(
            f"e.page_id IN (SELECT entry_id FROM {values} WHERE facet = %s AND value = ANY(%s)) AS {flag}"  # noqa: S608
        )
        column_params += [facet, [str(value) for value in chosen]]
    conditions, match_params = [], []
    if alternatives:
        tsquery, match_params = _tsquery(alternatives)
        conditions.append(f"e.{VECTOR_COLUMN} @@ {tsquery}")
    elif parsed is not None:
        # Only a place: its items, or the texts naming it.
        in_place, place_params = territory.sql_in_place(parsed, values)
        named, named_params = _tsquery(query_terms(parsed.mention))
        conditions.append(f"({in_place} OR e.{VECTOR_COLUMN} @@ {named})")
        match_params += place_params + named_params
    if params.page_ids is not None:
        conditions.append("e.page_id = ANY(%s)")
        match_params.append(list(params.page_ids))
    match = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    candidates = f"SELECT {', '.join(columns)} FROM {entries} e {match}"  # noqa: S608
    if len(flags) > 1:
        failed = " + ".join(f"(NOT {flag})::int" for flag in flags)
        candidates = f"SELECT * FROM ({candidates}) candidate WHERE {failed} <= 1"  # noqa: S608

    def passes(names):
        return " AND ".join(f"m.{name}" for name in names) or "TRUE"

    scope = passes(flags)
    order = ("rank DESC, " if ranked else "") + "date DESC, page_id DESC"

    def within(names):
        """Condition of the facet values of the matches passing the filters of these flags."""
        if not alternatives and parsed is None and params.page_ids is None and not names:
            return ""  # every entry: no need to look at the matches (the empty search page)
        return f"AND v.entry_id IN (SELECT m.page_id FROM matched m WHERE {passes(names)})"  # noqa: S608

    # Facets without a filter of their own share the results' scope: one grouped query. A facet
    # with its own filter counts the matches passing the other filters: one query each.
    counts = [
        f"SELECT v.facet, v.value, count(*) AS n FROM {values} v WHERE v.facet = ANY(%s) {within(flags)} "  # noqa: S608
        "GROUP BY v.facet, v.value"
    ]
    counts_params = [[facet for facet in params.facets if facet not in params.filters]]
    for flag, (facet, _chosen) in zip(flags, filters, strict=True):
        if facet not in params.facets:
            continue
        others = [other for other in flags if other != flag]
        counts.append(
            f"SELECT v.facet, v.value, count(*) AS n FROM {values} v WHERE v.facet = %s {within(others)} "  # noqa: S608
            "GROUP BY v.facet, v.value"
        )
        counts_params.append(facet)
    # Copies of one title are one result (search/collapse.py): `copy` numbers the matches of a
    # title by the order of results, the first is shown; every other entry of the page's titles
    # is listed under it.
    sql = f"""
        WITH matched AS MATERIALIZED ({candidates}),
        shown AS (
            SELECT m.*, row_number() OVER (PARTITION BY m.title_key ORDER BY {order}) AS copy
            FROM matched m WHERE {scope}
        ),
        page AS (SELECT * FROM shown WHERE copy = 1 ORDER BY {order} LIMIT %s OFFSET %s)
        SELECT
            (SELECT count(*) FROM shown WHERE copy = 1),
            (SELECT array_agg(page_id ORDER BY {order}) FROM page),
            (SELECT array_agg(c.page_id) FROM {entries} c
             WHERE c.title_key IN (SELECT title_key FROM page) AND c.page_id NOT IN (SELECT page_id FROM page)),
            (SELECT json_agg(json_build_array(facet, value, n) ORDER BY facet, n DESC, value)
             FROM ({" UNION ALL ".join(counts)}
             ) counts)
    """  # noqa: S608
    sql_params = [
        *column_params,
        *match_params,
        params.page_size,
        (params.page - 1) * params.page_size,
        *counts_params,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        if alternatives:
            # The planner does not count the detoasting of each row's large vector that a
            # sequential scan does to test the match, so it picks that scan for broad queries,
            # where the GIN bitmap (which reads the vectors only to recheck phrases) is 2 to 8
            # times faster. For this statement only: set back below, or undone by the rollback.
            cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
            previous = cursor.fetchone()[0]
        cursor.execute(sql, sql_params)
        count, page_ids, copy_ids, facet_rows = cursor.fetchone()
        if alternatives:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [previous])
    return count, page_ids or [], copy_ids or [], facet_rows or []


def _postgres_suggest(q, size):
    """Prefix query on the stored vectors: the GIN index narrows, the title vector decides.

    `search_vector` (everything, GIN) finds the candidates, `search_head` restricted to weight A
    (the title) keeps those whose title holds the words; the words go through the `french`
    configuration like the indexed text (« Quimbrelle » and « quimbr » both reach `quimbrel`).
    """
    words = re.findall(r"[^\W_]+", fold(ELISION.sub(" ", q)))
    stored = normalised_words(q)  # as `folded` holds them (singular, compounds split)
    if not words or not stored:
        return []
    anywhere = " & ".join([*stored[:-1], f"{stored[-1]}:*"])
    in_title = " & ".join([*(f"{word}:A" for word in words[:-1]), f"{words[-1]}:*A"])
    entries = SearchEntry._meta.db_table
    sql = (
        f"SELECT page_id, title, url, centre FROM {entries} "  # noqa: S608
        f"WHERE {VECTOR_COLUMN} @@ to_tsquery('french'::regconfig, %s) "
        f"AND {HEAD_COLUMN} @@ to_tsquery('french'::regconfig, %s) "
        "ORDER BY date DESC NULLS LAST, page_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [anywhere, in_title, size])
        return suggestion_items(row[1:] for row in public_only(cursor.fetchall(), page_id_of=lambda row: row[0]))


def _result(entry, alternatives):
    return {
        "id": entry.uuid or str(entry.page_id),
        "type": entry.type or entry.kind,
        "title": entry.title,
        "url": entry.url,
        "centre": entry.centre or None,
        "date": entry.date.isoformat() if entry.date else None,
        "highlight": _excerpt(entry, alternatives) if alternatives else None,
    }


def _copy_link(entry):
    return {"centre": entry.centre or None, "url": entry.url}


def _place_first(entries, parsed, alternatives):
    """The ORM path (SQLite): the place's items first; only a place: its items or the texts naming it."""
    in_place = territory.entries_in_place(parsed, SearchFacetValue.objects)
    if not alternatives:
        entries = entries.filter(Q(page_id__in=in_place) | _sqlite_filter(query_terms(parsed.mention)))
    return entries.annotate(in_place=Case(When(page_id__in=in_place, then=Value(1)), default=Value(0)))


class DatabaseSearch:
    """The search service on the database."""

    name = "database"

    def matching(self, q):
        """(queryset of entries matching the text, alternatives): substring matching (SQLite)."""
        entries = SearchEntry.objects.all()
        alternatives = query_terms(q) if q else []
        if not alternatives:
            return entries, []
        return entries.filter(_sqlite_filter(alternatives)), alternatives

    def search(self, params):
        # A place named in the query is not required as text (territory.py).
        parsed = territory.parse(params.q)
        q, place = (parsed.rest, parsed) if parsed.place else (params.q, None)
        if connection.vendor == "postgresql":
            alternatives = query_terms(q) if q else []
            count, page_ids, copy_ids, facet_rows = _postgres_search(params, alternatives, place)
            found = SearchEntry.objects.in_bulk(page_ids + copy_ids)
            page = [found[page_id] for page_id in page_ids if page_id in found]
            copies = [found[page_id] for page_id in copy_ids if page_id in found]
        else:
            entries, alternatives = self.matching(q)
            order = ["-date", "-page_id"]
            if place:
                entries, order = _place_first(entries, place, alternatives), ["-in_place", *order]
            if params.page_ids is not None:
                entries = entries.filter(page_id__in=params.page_ids)
            results = _apply_filters(entries, params.filters)
            count, page, copies = collapse.orm_page(results, params.page, params.page_size, order)
            facet_rows = self.facet_rows(entries, params)
        if place and not alternatives:
            alternatives = query_terms(parsed.mention)  # what the excerpts show
        groups = collapse.with_copies(page, copies, key_of=lambda entry: entry.title_key)
        results, dropped = collapse.grouped_results(
            groups, lambda entry: entry.page_id, lambda entry: _result(entry, alternatives), _copy_link
        )
        count -= dropped
        return {
            "count": count,
            "results": results,
            "facets": self.facets(facet_rows, params.facets),
            "suggestion": self.did_you_mean(params.q) if params.q and count == 0 else None,
        }

    def facet_rows(self, entries, params):
        """[facet, value, count] rows, one query per facet (the portable way: SQLite)."""
        rows = []
        for facet in params.facets:
            scope = _apply_filters(entries, params.filters_except(facet)).values("page_id")
            rows += [
                [facet, row["value"], row["count"]]
                for row in SearchFacetValue.objects.filter(facet=facet, entry_id__in=scope)
                .values("value")
                .annotate(count=Count("entry_id", distinct=True))
                .order_by("-count", "value")
            ]
        return rows

    def facets(self, rows, names=FACETS):
        """{facet: [{value, label, count}]} of the facets `names` from [facet, value, count] rows
        ordered by count, then value."""
        counts = {facet: [] for facet in names}
        for facet, value, count in rows:
            counts[facet].append((value, count))
        facets = {}
        for facet, items in counts.items():
            labels = facet_labels(facet)
            facets[facet] = [
                {"value": value, "label": labels.get(value, value), "count": count} for value, count in items
            ]
            if facet == "year":
                facets[facet].sort(key=lambda item: item["value"], reverse=True)
        return facets

    def did_you_mean(self, q):
        return spelling.did_you_mean(q)

    def suggest(self, q, size=10):
        """Titles holding every word typed, the last one as a prefix (as the engine's suggestions)."""
        if connection.vendor == "postgresql":
            return _postgres_suggest(q, size)
        words = fold(q).split()
        if not words:
            return []
        condition = Q()
        for word in normalised_words(q):
            condition &= Q(folded__contains=" " + word)
        # SQLite cannot fold the title: `folded` narrows, the title is checked here.
        rows = []
        for page_id, title, url, centre in (
            SearchEntry.objects.filter(condition).order_by("-date").values_list("page_id", "title", "url", "centre")
        ):
            if all(word in fold(title) for word in words):
                rows.append((page_id, title, url, centre))
                if len(rows) == size:
                    break
        return suggestion_items(row[1:] for row in public_only(rows, page_id_of=lambda row: row[0]))

    def similar(self, page_id, size=5, kind=None):
        """Pages sharing themes with this one (of this kind when given)."""
        themes = SearchFacetValue.objects.filter(entry_id=page_id, facet="theme").values("value")
        entries = SearchEntry.objects.filter(facet_values__facet="theme", facet_values__value__in=themes)
        entries = (
            (entries.filter(kind=kind) if kind else entries)
            .exclude(page_id=page_id)
            .annotate(shared=Count("facet_values"))
            .order_by("-shared", "-date")[:size]
        )
        return [_result(entry, []) for entry in public_only(entries, page_id_of=lambda entry: entry.page_id)]

"""The database implementation of the search service (no engine configured).

Same parameters, same result shape, same filters and facet counts as the engine, from the
`SearchEntry` rows the indexing tasks keep. Text matching: on PostgreSQL, full-text search
with the `french` configuration over accent-folded text; on SQLite (the demo), substring
matching of each word. Synonyms from `data/synonyms.txt` are expanded on the query side
in both. Typo tolerance, "did you mean" and similar items are simpler here.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Q
from django.utils.html import escape

from .documents import synonym_rules
from .indexing import FACETS, fold
from .models import SearchEntry, SearchFacetValue
from .params import facet_labels

ELISION = re.compile(r"\b(?:l|m|t|qu|n|s|j|d|c|jusqu|quoiqu|lorsqu|puisqu)['’]", re.IGNORECASE)
WORD = re.compile(r"[\w-]+")


def _synonym_groups():
    groups = []
    for rule in synonym_rules():
        groups.append([fold(term).strip() for term in rule.split(",") if term.strip()])
    return groups


def query_terms(q):
    """The query as a list of alternatives per concept: [[word-or-phrase, …], …]."""
    text = fold(ELISION.sub(" ", q))
    text = " ".join(WORD.findall(text.replace("'", " ")))
    groups = _synonym_groups()
    alternatives = []
    consumed = set()
    # Multi-word synonyms first (longest), then single words.
    for group in sorted(groups, key=lambda g: -max(len(t.split()) for t in g)):
        for term in group:
            if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text) and term not in consumed:
                alternatives.append(group)
                consumed.update(group)
                text = re.sub(rf"(?<![\w-]){re.escape(term)}(?![\w-])", " ", text)
                break
    alternatives += [[word] for word in text.split() if word]
    return alternatives


def _postgres_query(alternatives):
    query = None
    for group in alternatives:
        group_query = None
        for term in group:
            part = SearchQuery(term, config="french", search_type="phrase")
            group_query = part if group_query is None else group_query | part
        query = group_query if query is None else query & group_query
    return query


def _sqlite_filter(alternatives):
    condition = Q()
    for group in alternatives:
        group_condition = Q()
        for term in group:
            # Crude plural folding: "quartiers" also finds "quartier".
            stem = term[:-1] if len(term) > 4 and term.endswith(("s", "x")) else term
            group_condition |= Q(folded__contains=stem)
        condition &= group_condition
    return condition


def _apply_filters(queryset, filters):
    for facet, values in filters.items():
        subquery = SearchFacetValue.objects.filter(facet=facet, value__in=[str(v) for v in values]).values("entry_id")
        queryset = queryset.filter(page_id__in=subquery)
    return queryset


def _excerpt(entry, alternatives):
    """The first passage of the summary or body holding a query word, escaped, with <mark>."""
    words = [term for group in alternatives for term in group]
    for text in (entry.summary, entry.body, entry.title):
        folded = fold(text)
        for word in words:
            stem = word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word
            at = folded.find(stem)
            if at >= 0:
                start, end = max(at - 80, 0), min(at + len(stem) + 100, len(text))
                # Cut on word boundaries, never in the middle of a word.
                if start and " " in text[start:at]:
                    start = text.index(" ", start, at) + 1
                if end < len(text) and " " in text[at:end]:
                    end = text.rindex(" ", at, end)
                return (
                    ("…" if start else "")
                    + escape(text[start:at])
                    + "<mark>"
                    + escape(text[at : at + len(stem)])
                    + "</mark>"
                    + escape(text[at + len(stem) : end])
                    + ("…" if end < len(text) else "")
                )
    return None


class DatabaseSearch:
    """The search service on the database."""

    name = "database"

    def matching(self, q):
        """(queryset of entries matching the text, rank expression or None, alternatives)."""
        entries = SearchEntry.objects.all()
        if not q:
            return entries, None, []
        alternatives = query_terms(q)
        if not alternatives:
            return entries, None, []
        if connection.vendor == "postgresql":
            vector = (
                SearchVector("title", weight="A", config="french")
                + SearchVector("summary", weight="B", config="french")
                + SearchVector("folded", weight="C", config="french")
            )
            query = _postgres_query(alternatives)
            entries = entries.annotate(search=vector).filter(search=query)
            return entries, SearchRank(vector, query), alternatives
        return entries.filter(_sqlite_filter(alternatives)), None, alternatives

    def search(self, params):
        entries, rank, alternatives = self.matching(params.q)
        results = _apply_filters(entries, params.filters)
        count = results.count()
        if rank is not None and params.sort == "relevance":
            results = results.annotate(rank=rank).order_by("-rank", "-date", "-page_id")
        else:
            results = results.order_by("-date", "-page_id")
        start = (params.page - 1) * params.page_size
        page = list(results[start : start + params.page_size])
        return {
            "count": count,
            "results": [
                {
                    "id": entry.uuid or str(entry.page_id),
                    "type": entry.type or entry.kind,
                    "title": entry.title,
                    "url": entry.url,
                    "centre": entry.centre or None,
                    "date": entry.date.isoformat() if entry.date else None,
                    "highlight": _excerpt(entry, alternatives) if alternatives else None,
                }
                for entry in page
            ],
            "facets": self.facets(entries, params),
            "suggestion": self.did_you_mean(params.q) if params.q and count == 0 else None,
        }

    def facets(self, entries, params):
        facets = {}
        for facet in FACETS:
            scope = _apply_filters(entries, params.filters_except(facet)).values("page_id")
            rows = (
                SearchFacetValue.objects.filter(facet=facet, entry_id__in=scope)
                .values("value")
                .annotate(count=Count("entry_id", distinct=True))
                .order_by("-count", "value")
            )
            labels = facet_labels(facet)
            facets[facet] = [
                {"value": row["value"], "label": labels.get(row["value"], row["value"]), "count": row["count"]}
                for row in rows
            ]
            if facet == "year":
                facets[facet].sort(key=lambda item: item["value"], reverse=True)
        return facets

    def did_you_mean(self, q):
        return None  # no spelling dictionary without the engine

    def suggest(self, q, size=10):
        words = fold(q).split()
        if not words:
            return []
        condition = Q()
        for word in words:
            condition &= Q(folded__contains=word)
        entries = SearchEntry.objects.filter(condition).order_by("-date")[:size]
        return [{"title": e.title, "url": e.url} for e in entries]

    def similar(self, page_id, size=5):
        themes = SearchFacetValue.objects.filter(entry_id=page_id, facet="theme").values("value")
        entries = (
            SearchEntry.objects.filter(kind="sheet", facet_values__facet="theme", facet_values__value__in=themes)
            .exclude(page_id=page_id)
            .annotate(shared=Count("facet_values"))
            .order_by("-shared", "-date")[:size]
        )
        return [
            {
                "id": e.uuid or str(e.page_id),
                "type": e.type or e.kind,
                "title": e.title,
                "url": e.url,
                "centre": e.centre or None,
                "date": e.date.isoformat() if e.date else None,
                "highlight": None,
            }
            for e in entries
        ]

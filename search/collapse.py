"""Duplicates: one result per title, « Également publié par » the other centres' copies.

Several centres publish the same guide or cycle under the same title, and a search listed it
once per centre. Documents sharing a `title_key` (`indexing.title_key`: the kind and the folded
title, punctuation and spacing ignored) are one result: the best-ranked copy (the newest under
the date sort) is shown, each other copy is an `also_published_by` item `{centre, url}`.

- Engine: field collapsing on `title_key`, the other copies as `inner_hits`; `from`/`size` and
  the sort apply to groups; the result count is a `cardinality` aggregation of `title_key`
  under the filters.
- Database: a `row_number()` over each key's copies (`fallback.py` on PostgreSQL, `orm_page`
  here for the ORM path); the count is the number of distinct keys.

Facets still count documents (a guide published by three centres counts once per centre); the
result count counts groups, the results listed.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .indexing import public_only

GROUP_FIELD = "title_key"
MAX_COPIES = 50  # more copies than centres: every copy is listed
# The engine's count is exact below this many distinct titles (HyperLogLog's linear counting), within ~1 % beyond.
COUNT_PRECISION = 40000


# ---- engine --------------------------------------------------------------------------------


def collapse_search(search, dsl, filters):
    """The search with one hit per `title_key` and the count of groups under `filters` (clauses).

    The inner hits carry the copies in the main sort, with the main `_source` fields: a copy can
    stand in for a representative the query side finds no longer public.
    """
    body = search.to_dict()
    inner = {"name": "copies", "size": MAX_COPIES, "sort": body.get("sort", ["_score"])}
    if "_source" in body:
        inner["_source"] = body["_source"]
    search = search.extra(collapse={"field": GROUP_FIELD, "inner_hits": inner})
    # Aggregations ignore the post_filter that holds the filters: the count applies them itself.
    groups = dsl.A("filter", dsl.Q("bool", filter=filters))
    groups.metric("count", "cardinality", field=GROUP_FIELD, precision_threshold=COUNT_PRECISION)
    search.aggs.bucket("groups", groups)
    return search


def engine_count(response):
    return response["aggregations"]["groups"]["count"]["value"]


def engine_groups(hits):
    """[(hit, [other copies' hits])] of a collapsed response."""
    groups = []
    for hit in hits:
        inner = hit.get("inner_hits", {}).get("copies", {}).get("hits", {}).get("hits", [])
        groups.append((hit, [copy for copy in inner if copy["_id"] != hit["_id"]]))
    return groups


# ---- database ------------------------------------------------------------------------------


def orm_page(entries, page, page_size):
    """(count of groups, representatives of the page, their other copies) of a SearchEntry queryset.

    The ORM path (SQLite): newest first, as its results are ordered; one row number per copy of a key.
    """
    order = [F("date").desc(), F("page_id").desc()]
    numbered = entries.annotate(copy=Window(RowNumber(), partition_by=[F(GROUP_FIELD)], order_by=order))
    start = (page - 1) * page_size
    shown = list(numbered.filter(copy=1).order_by(*order)[start : start + page_size])
    keys = [entry.title_key for entry in shown]
    copies = list(entries.filter(title_key__in=keys).exclude(page_id__in=[e.page_id for e in shown]))
    return entries.values(GROUP_FIELD).distinct().count(), shown, copies


def with_copies(shown, copies, key_of):
    """[(representative, [its copies])] from the page's representatives and all their copies."""
    by_key = {}
    for copy in copies:
        by_key.setdefault(key_of(copy), []).append(copy)
    return [(item, by_key.get(key_of(item), [])) for item in shown]


# ---- both ----------------------------------------------------------------------------------


def grouped_results(groups, page_id_of, shape, link):
    """(results, groups dropped): one result per group, only copies whose page is live and public.

    `shape(item)` is a result, `link(item)` its `{centre, url}`. When the representative is no
    longer public (the index lags) its next public copy stands in; a group without any is dropped
    (the caller lowers its count).
    """
    everything = [item for representative, copies in groups for item in (representative, *copies)]
    public = {page_id_of(item) for item in public_only(everything, page_id_of)}
    results, dropped = [], 0
    for representative, copies in groups:
        kept = [item for item in (representative, *copies) if page_id_of(item) in public]
        if not kept:
            dropped += 1
            continue
        others = sorted((link(item) for item in kept[1:]), key=lambda other: (other["centre"] or "", other["url"]))
        results.append({**shape(kept[0]), "also_published_by": others})
    return results, dropped

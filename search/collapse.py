"""Duplicates: one result per title, « Également publié par » the other centres' copies.

Several centres publish the same guide or cycle under the same title, and a search listed it
once per centre. Documents sharing a `title_key` (`indexing.title_key`: the kind and the folded
title, punctuation and spacing ignored) are one result: the best-ranked copy (the newest under
the date sort) is shown, each other copy is an `also_published_by` item `{centre, url}`.

- Engine: field collapsing on `title_key` in the page's request; `from`/`size` and the sort
  apply to groups; the result count is a `cardinality` aggregation of `title_key` under the
  filters, in the counting request beside the facets; one more request fetches the page's copies.
- Database: a `row_number()` over each key's matches (`fallback.py` on PostgreSQL, `orm_page`
  here for the ORM path); the count is the number of distinct keys.

The copies listed are every document of the same key, whatever the query and the filters: the
search chooses the copy shown, « also published by » is a fact about the title.

Facets still count documents (a guide published by three centres counts once per centre); the
result count counts groups, the results listed.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .indexing import public_only
from .models import SearchEntry

GROUP_FIELD = "title_key"
MAX_COPIES = 50  # more copies than centres: every copy is listed
# The engine's count is exact below this many distinct titles (HyperLogLog's linear counting), within ~1 % beyond.
COUNT_PRECISION = 40000


# ---- engine --------------------------------------------------------------------------------


def collapse_search(search):
    """The page's search with one hit per `title_key`.

    No `inner_hits`: the engine would run one more search per group of the page (five times
    slower in `bench/collapse_bench.py`); `copies_search` fetches the page's copies in one.
    """
    return search.extra(collapse={"field": GROUP_FIELD})


def count_groups(search, dsl, filters):
    """Add to the counting search (queries.build_facets) the number of groups under `filters`."""
    # Aggregations ignore the post_filter that holds the filters: the count applies them itself.
    groups = dsl.A("filter", dsl.Q("bool", filter=filters))
    groups.metric("count", "cardinality", field=GROUP_FIELD, precision_threshold=COUNT_PRECISION)
    search.aggs.bucket("groups", groups)


def engine_count(response):
    return response["aggregations"]["groups"]["count"]["value"]


def hit_key(hit):
    return hit["fields"][GROUP_FIELD][0] if "fields" in hit else hit["_source"][GROUP_FIELD]


def copies_search(dsl, index, hits, source):
    """The search of every other copy of these collapsed hits (whatever the query and filters)."""
    keys = list({hit_key(hit) for hit in hits})
    ids = [hit["_id"] for hit in hits]
    query = dsl.Q("bool", filter=[dsl.Q("terms", **{GROUP_FIELD: keys})], must_not=[dsl.Q("ids", values=ids)])
    size = min(len(keys) * MAX_COPIES, 10_000)
    return dsl.Search(index=index).query(query).source([*source, GROUP_FIELD]).sort("page_id").extra(size=size)


# ---- database ------------------------------------------------------------------------------


def orm_page(entries, page, page_size, order_by=("-date", "-page_id")):
    """(count of groups, representatives of the page, their other copies) of a SearchEntry queryset.

    The ORM path (SQLite): in the results' order (newest first, a named place's items before);
    one row number per copy of a key.
    """
    order = [F(name[1:]).desc() if name.startswith("-") else F(name).asc() for name in order_by]
    numbered = entries.annotate(copy=Window(RowNumber(), partition_by=[F(GROUP_FIELD)], order_by=order))
    start = (page - 1) * page_size
    shown = list(numbered.filter(copy=1).order_by(*order)[start : start + page_size])
    keys = [entry.title_key for entry in shown]
    copies = list(SearchEntry.objects.filter(title_key__in=keys).exclude(page_id__in=[e.page_id for e in shown]))
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

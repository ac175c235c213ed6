"""Query building and result shaping for the engine (OpenSearch, or Elasticsearch by setting).

`build_search(params, dsl, index)` only builds a DSL object: unit tests compare its body
for both engines' DSLs. `EngineSearch` runs it and shapes the answer like the fallback does.
"""

from . import collapse, engine, spelling, territory
from .indexing import FACETS, public_only
from .params import facet_labels, suggestion_items
from .ranking import FIELD_BONUSES, MATCH_BOOST, PHRASE_BOOST, ranked

TEXT_FIELDS = ["title^4", "summary^2", "tags^2", "sections", "attachments^0.5"]
PHRASE_FIELDS = ["title^6", "summary^3", "sections^2"]
HIGHLIGHT_FIELDS = ["summary", "sections", "attachments", "title"]
FACET_SIZE = 200
# What results show (a copy can stand in for a result no longer public: the same fields).
COPY_SOURCE = ["page_id", "uuid", "kind", "type", "title", "url", "centre", "date", "summary"]
# The page of results counts this many matches at most; the facets request counts them all.
HITS_TRACKED = 1000
WITHIN_FILTERS = "within_filters"  # the aggregation holding the facets without a filter of their own
SUGGEST_FIELDS = ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"]


def filter_clauses(dsl, filters):
    return [dsl.Q("terms", **{facet: list(values)}) for facet, values in filters.items()]


def text_query(dsl, q):
    """Which pages match the words, and how well (docs/relevance.md, measured with `search_eval`).

    A page matches literally (synonyms applied), with a typo, or with a typo of an unstemmed word;
    only the best of the three counts (`dis_max`): a literal word and a typo of it are one match.
    On top, flat bonuses when the whole query is in the title or the summary — however it is
    written: the match goes through the synonyms, so a title saying « ASL » earns what one saying
    « ateliers sociolinguistiques » earns (BM25 alone pays two matched words more than one) — and
    a phrase bonus for the words in order.
    """
    literal = dsl.Q("multi_match", query=q, fields=TEXT_FIELDS, type="best_fields", operator="and")
    # Fuzzy matching uses the index analyzer: the synonym graph cannot be made fuzzy.
    fuzzy = dsl.Q(
        "multi_match",
        query=q,
        fields=TEXT_FIELDS,
        type="best_fields",
        operator="and",
        fuzziness="AUTO",
        prefix_length=1,
        analyzer="fr_index",
        boost=0.5,
    )
    # A typo can be too far from the stem of its word (« mediaton » vs `medi`, the stem of
    # « médiation »): the same fuzzy match on the unstemmed title and summary.
    spelling = dsl.Q(
        "match", spelling={"query": q, "operator": "and", "fuzziness": "AUTO", "prefix_length": 1, "boost": 0.5}
    )
    bonuses = [
        dsl.Q("constant_score", filter=dsl.Q("match", **{name: {"query": q, "operator": "and"}}), boost=bonus)
        for name, bonus in FIELD_BONUSES.items()
    ]
    phrase = dsl.Q("multi_match", query=q, fields=PHRASE_FIELDS, type="phrase", slop=2, boost=PHRASE_BOOST)
    matched = dsl.Q("dis_max", queries=[literal, fuzzy, spelling], boost=MATCH_BOOST)
    return dsl.Q("bool", must=[matched], should=[*bonuses, phrase])


def ranked_text_query(dsl, q):
    return ranked(dsl, text_query(dsl, q))


def query_for(dsl, q, rank=True):
    """The ranked text query, or the territory's when the query names a place (territory.py).

    The kinds' weights and fading (ranking.py) order the words' matches; a query that is only a
    place is ordered by the territory alone (its items first), so they do not apply to it.
    `rank=False`: only which pages match (the counting request, where scores are not read).
    """
    words = ranked_text_query if rank else text_query
    parsed = territory.parse(q)
    return territory.engine_query(dsl, parsed, words) if parsed.place else words(dsl, q)


def build_search(params, dsl, index):
    """The page of results. It does not count every match (`build_facets` does): the engine may
    then skip the matches that cannot reach the page (WAND on scores, points on dates)."""
    search = dsl.Search(index=index)
    search = search.query(query_for(dsl, params.q) if params.q else dsl.Q("match_all"))
    if params.page_ids is not None:
        search = search.filter("terms", page_id=list(params.page_ids))
    for clause in filter_clauses(dsl, params.filters):
        search = search.filter(clause)
    if params.sort == "date" or not params.q:
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, {"page_id": "desc"})
    else:
        search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}})
    search = search.highlight_options(
        encoder="html", fragment_size=180, number_of_fragments=1, pre_tags=["<mark>"], post_tags=["</mark>"]
    ).highlight(*HIGHLIGHT_FIELDS)
    start = (params.page - 1) * params.page_size
    search = search.extra(track_total_hits=HITS_TRACKED, from_=start, size=params.page_size)
    # One result per title published by several centres (search/collapse.py).
    return collapse.collapse_search(search.source(COPY_SOURCE))


def build_facets(params, dsl, index):
    """The exact count and the facets asked for (`params.facets`): no hit, no score.

    The text query is a filter here (nothing to rank), and `size: 0` lets the engine's request
    cache keep the answer until the index changes. Facets are disjunctive: each counts with
    every filter but its own, so picking a value never hides the other values of the same facet;
    the count uses all filters (`post_filter`). The facets without a filter of their own all
    count within every filter: one `filter` aggregation holds them (none without filters), so
    each match is tested once, not once per facet.
    """
    search = dsl.Search(index=index)
    if params.q:
        search = search.filter(query_for(dsl, params.q, rank=False))
    if params.page_ids is not None:
        search = search.filter("terms", page_id=list(params.page_ids))
    if params.filters:
        search = search.post_filter("bool", filter=filter_clauses(dsl, params.filters))
        shared = search.aggs.bucket(WITHIN_FILTERS, "filter", dsl.Q("bool", filter=filter_clauses(dsl, params.filters)))
    else:
        shared = search.aggs
    for facet in params.facets:
        if facet in params.filters:
            others = dsl.Q("bool", filter=filter_clauses(dsl, params.filters_except(facet)))
            search.aggs.bucket(facet, "filter", others).bucket(facet, "terms", field=facet, size=FACET_SIZE)
        else:
            shared.bucket(facet, "terms", field=facet, size=FACET_SIZE)
    collapse.count_groups(search, dsl, filter_clauses(dsl, params.filters))
    return search.extra(track_total_hits=True, size=0)


def build_suggest(dsl, index, q, size=10):
    return (
        dsl.Search(index=index)
        # Every word typed narrows the list (the last one as a prefix), as people expect while typing.
        .query(dsl.Q("multi_match", query=q, type="bool_prefix", operator="and", fields=SUGGEST_FIELDS))
        .source(["page_id", "title", "url", "kind", "centre"])
        .extra(size=size)
    )


def build_spelling(dsl, index, q):
    return (
        dsl.Search(index=index)
        .suggest("spelling", q, term={"field": "spelling", "suggest_mode": "always", "min_word_length": 3})
        .extra(size=0)
    )


def build_similar(dsl, index, page_id, size=5, kind=None):
    search = (
        dsl.Search(index=index)
        .query(
            dsl.Q(
                "more_like_this",
                fields=["title", "summary", "sections", "tags"],
                like=[{"_index": index, "_id": f"page-{page_id}"}],
                min_term_freq=1,
                min_doc_freq=1,
                max_query_terms=40,
            )
        )
        .source(["page_id", "uuid", "kind", "type", "title", "url", "centre", "date"])
        .extra(size=size)
    )
    return search.filter("term", kind=kind) if kind else search


def page_id_of(hit):
    return hit["_source"]["page_id"]


def shape_hit(hit):
    source = hit["_source"]
    highlight = hit.get("highlight", {})
    excerpt = next((highlight[f][0] for f in HIGHLIGHT_FIELDS if f in highlight), None)
    return {
        "id": source.get("uuid") or str(source["page_id"]),
        "type": source.get("type") or source.get("kind"),
        "title": source["title"],
        "url": source["url"],
        "centre": source.get("centre") or None,
        "date": source.get("date"),
        "highlight": excerpt,
    }


def copy_link(hit):
    return {"centre": hit["_source"].get("centre") or None, "url": hit["_source"]["url"]}


def shape_facets(aggregations):
    facets = {}
    found = {**aggregations, **aggregations.get(WITHIN_FILTERS, {})}
    for facet in (name for name in FACETS if name in found):
        labels = facet_labels(facet)
        values = found[facet]
        buckets = values.get(facet, values)["buckets"]  # the `terms` under its own `filter`, or alone
        facets[facet] = [
            {"value": str(b["key"]), "label": labels.get(str(b["key"]), str(b["key"])), "count": b["doc_count"]}
            for b in buckets
        ]
        if facet == "year":
            facets[facet].sort(key=lambda item: item["value"], reverse=True)
    return facets


class EngineSearch:
    """The search service on the engine."""

    name = "engine"

    def __init__(self, client=None):
        self.client = client or engine.query_client()
        self.index = engine.alias_name()
        self.dsl = engine.dsl

    def search(self, params):
        # Two requests in one round trip, run side by side by the engine: the page, and the count
        # with the facets (cached by the engine: `size: 0`); then the copies of the page's titles.
        page, counted = self.msearch(
            [
                ({}, build_search(params, self.dsl, self.index)),
                ({"request_cache": True}, build_facets(params, self.dsl, self.index)),
            ]
        )
        hits = page["hits"]["hits"]
        copies = self.copies(hits) if hits else []
        groups = collapse.with_copies(hits, copies, key_of=collapse.hit_key)
        results, dropped = collapse.grouped_results(groups, page_id_of, shape_hit, copy_link)
        count = collapse.engine_count(counted) - dropped
        suggestion = self.did_you_mean(params.q) if params.q and count == 0 else None
        return {
            "count": count,
            "results": results,
            "facets": shape_facets(counted.get("aggregations", {})),
            "suggestion": suggestion,
        }

    def copies(self, hits):
        """The other copies of these results' titles (« également publié par »)."""
        body = collapse.copies_search(self.dsl, self.index, hits, COPY_SOURCE).to_dict()
        return self.client.search(index=self.index, body=body)["hits"]["hits"]

    def msearch(self, requests):
        """The responses to [(header options, DSL search)], in order; raises if one was refused."""
        lines = []
        for options, search in requests:
            lines += [{"index": self.index, **options}, search.to_dict()]
        responses = self.client.msearch(body=lines)["responses"]
        for response in responses:
            if "error" in response:
                raise engine.RequestFailed(response["error"])
        return responses

    def did_you_mean(self, q):
        body = build_spelling(self.dsl, self.index, q).to_dict()
        entries = self.client.search(index=self.index, body=body)["suggest"]["spelling"]
        words, changed = [], False
        for entry in entries:
            if entry["options"]:
                words.append(entry["options"][0]["text"])
                changed = True
            else:
                words.append(entry["text"])
        # Shown as the entries write them (accents), from the fallback's vocabulary.
        return spelling.accented(" ".join(words)) if changed else None

    def suggest(self, q, size=10):
        body = build_suggest(self.dsl, self.index, q, size).to_dict()
        hits = public_only(self.client.search(index=self.index, body=body)["hits"]["hits"], page_id_of)
        return suggestion_items((h["_source"]["title"], h["_source"]["url"], h["_source"].get("centre")) for h in hits)

    def similar(self, page_id, size=5, kind=None):
        """Pages like this one (of this kind when given)."""
        body = build_similar(self.dsl, self.index, page_id, size, kind).to_dict()
        try:
            hits = self.client.search(index=self.index, body=body)["hits"]["hits"]
        except engine.NotFoundError:
            return []
        return [shape_hit(hit) for hit in public_only(hits, page_id_of)]

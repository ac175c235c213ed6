"""The database fallback on PostgreSQL: stored vector + GIN index, one statement, grouped facets.

The answers must equal what plain ORM queries count (the contract suite checks the shape and the
French analysis); these tests fail when the index is not used, when the match runs more than once,
when the grouped facet pass counts differently from one query per facet, or when a write fails.
"""

import datetime
import random
from collections import Counter

import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.fallback import DatabaseSearch, query_terms
from search.indexing import FACETS, fold, write_entries
from search.models import SearchEntry, SearchFacetValue
from search.params import SearchParams

pytestmark = pytest.mark.django_db

FIRST_ID = 9_000_000_000  # page ids of synthetic entries: SearchEntry.page_id is not a foreign key
WORDS = ["jardin", "compost", "tutorat", "mediation", "sante", "numerique", "emploi", "logement"]
THEMES = ["alimentation", "education", "insertion", "sante", "habitat"]
CENTRES = ["irev", "oriv", "labo-cites"]
REGIONS = ["84", "93", "11", "32"]


@pytest.fixture(autouse=True)
def entries_without_pages(monkeypatch):
    """The synthetic entries have no page: the check that results are public pages (tested in
    test_privacy.py) would drop them all; here the statement's own answers are compared."""
    monkeypatch.setattr("search.fallback.public_only", lambda items, page_id_of: list(items))
    monkeypatch.setattr("search.collapse.public_only", lambda items, page_id_of: list(items))


def document(n, title, summary="", sections="", **facets):
    return {
        "kind": "sheet",
        "type": "fiche-experience",
        "title": title,
        "summary": summary,
        "sections": sections,
        "url": f"/test/{n}/",
        "uuid": "",
        "date": facets.pop("date", datetime.date(2020, 1, 1) + datetime.timedelta(days=n)),
        **facets,
    }


@pytest.fixture
def synthetic(settings):
    """120 entries with random words and overlapping facet values (several themes, two regions…)."""
    settings.OPENSEARCH_URL = ""
    rng = random.Random(20261129)
    documents = {}
    for n in range(120):
        words = rng.sample(WORDS, 3)
        year = rng.choice([2021, 2022, 2023])
        documents[FIRST_ID + n] = document(
            n,
            f"Fiche {n} : {words[0]}",
            summary=f"Un projet de {words[1]} dans un quartier prioritaire." if n % 3 else f"Projet {words[1]}.",
            sections=f"Le {words[2]} au QPV." if n % 4 else f"Le {words[2]} des habitants.",
            centre=rng.choice(CENTRES),
            theme=rng.sample(THEMES, rng.randint(0, 3)),
            region=rng.sample(REGIONS, rng.randint(1, 2)),
            year=year,
            date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
        )
    write_entries(documents)
    return documents


def matching_ids(q):
    """Entries matching the text, computed the old way: a vector built at query time over `folded`."""
    entries = SearchEntry.objects.all()
    alternatives = query_terms(q) if q else []
    if alternatives:
        query = None
        for group in alternatives:
            group_query = None
            for term in group:
                part = SearchQuery(term, config="french", search_type="phrase")
                group_query = part if group_query is None else group_query | part
            query = group_query if query is None else query & group_query
        entries = entries.annotate(vector=SearchVector("folded", config="french")).filter(vector=query)
    return set(entries.values_list("page_id", flat=True))


def passing(ids, filters):
    for facet, values in filters.items():
        ids = ids & set(
            SearchFacetValue.objects.filter(facet=facet, value__in=[str(v) for v in values]).values_list(
                "entry_id", flat=True
            )
        )
    return ids


def reference(q, filters):
    """(count, ids by date, {facet: {value: count}}) from plain ORM queries, one facet at a time."""
    ids = matching_ids(q)
    results = passing(ids, filters)
    facets = {}
    for facet in FACETS:
        others = {name: values for name, values in filters.items() if name != facet}
        scope = passing(ids, others)
        facets[facet] = dict(
            Counter(SearchFacetValue.objects.filter(facet=facet, entry_id__in=scope).values_list("value", flat=True))
        )
    dates = dict(SearchEntry.objects.filter(page_id__in=results).values_list("page_id", "date"))
    by_date = sorted(results, key=lambda page_id: (dates[page_id], page_id), reverse=True)
    return len(results), by_date, facets


def run(q="", sort="relevance", page=1, page_size=500, **filters):
    return DatabaseSearch().search(SearchParams(q=q, filters=filters, sort=sort, page=page, page_size=page_size))


FILTERS = [
    {},
    {"theme": ["alimentation"]},
    {"theme": ["alimentation", "education"]},  # two values of one facet: OR
    {"theme": ["alimentation"], "centre": ["irev"]},  # two facets: AND, each facet ignores its own
    {"region": ["84", "93"], "type": ["fiche-experience"]},
    {"theme": ["sante", "habitat"], "centre": ["oriv", "irev"], "year": [2022]},
]


@pytest.mark.parametrize("q", ["", "compost", "qpv", "jardin quartier prioritaire"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f) or "none")
def test_count_page_and_facets_equal_plain_orm_counts(synthetic, q, filters):
    count, by_date, facets = reference(q, filters)
    answer = run(q, sort="date", **filters)
    assert answer["count"] == count
    assert [int(r["url"].split("/")[2]) + FIRST_ID for r in answer["results"] if r["url"].startswith("/test/")] == [
        page_id for page_id in by_date if page_id >= FIRST_ID
    ]
    got = {facet: {item["value"]: item["count"] for item in items} for facet, items in answer["facets"].items()}
    assert got == facets
    for facet, items in answer["facets"].items():
        keys = [item["value"] for item in items]
        if facet == "year":
            assert keys == sorted(keys, reverse=True)
        else:
            assert keys == [item["value"] for item in sorted(items, key=lambda item: (-item["count"], item["value"]))]


def test_the_filters_and_the_text_are_tested_on_non_trivial_sets(synthetic):
    # Guards the test above: its combinations must select something, and not everything.
    total = len(matching_ids(""))
    for q in ["compost", "qpv"]:
        assert 0 < len(matching_ids(q)) < total
    for filters in FILTERS[1:]:
        assert 0 < len(passing(matching_ids(""), filters)) < total


def test_pages_follow_each_other(synthetic):
    _count, by_date, _facets = reference("qpv", {})
    pages = [run("qpv", sort="date", page=page, page_size=7)["results"] for page in (1, 2, 3)]
    ids = [int(r["url"].split("/")[2]) + FIRST_ID for page in pages for r in page if r["url"].startswith("/test/")]
    assert ids == [page_id for page_id in by_date if page_id >= FIRST_ID][: len(ids)]
    assert len({r["url"] for page in pages for r in page}) == 21


def test_title_then_summary_matches_rank_first_then_date(settings):
    settings.OPENSEARCH_URL = ""
    write_entries(
        {
            FIRST_ID + 1: document(1, "Atelier Quorvanel à l'école", date=datetime.date(2019, 1, 1)),
            # Distinct titles: copies of one title would be one result (collapse.py).
            FIRST_ID + 2: document(
                2, "Atelier du mardi", summary="Le Quorvanel du quartier.", date=datetime.date(2021, 1, 1)
            ),
            FIRST_ID + 3: document(3, "Atelier du jeudi", sections="Un Quorvanel.", date=datetime.date(2024, 1, 1)),
            FIRST_ID + 4: document(4, "Atelier du samedi", sections="Un Quorvanel.", date=datetime.date(2023, 1, 1)),
            # Accented in the title: ranked through the SQL fold of the title (the query is folded).
            FIRST_ID + 5: document(5, "Éphélidor Quorvanel", date=datetime.date(2018, 1, 1)),
            FIRST_ID + 6: document(6, "Atelier du soir", sections="Pour l’éphélidor.", date=datetime.date(2025, 1, 1)),
        }
    )
    urls = [f"/test/{n}/" for n in (1, 5, 2, 3, 4)]  # title (then date), summary, body only (by date)
    assert [r["url"] for r in run("quorvanel")["results"]] == urls
    assert [r["url"] for r in run("quorvanel", sort="date")["results"]] == [f"/test/{n}/" for n in (3, 4, 2, 1, 5)]
    assert [r["url"] for r in run("Éphélidor")["results"]] == ["/test/5/", "/test/6/"]


@pytest.mark.parametrize(
    "title, summary",
    [
        ("Égalité des chances à l'ÉCOLE", "Résumé : la fin de l’été…"),
        ("Ça, c'est Noël : cœur, œuvre, ﬁn", "Déjà vu – naïveté ÂÎÔÛ Ÿ"),
        ("Quartier prioritaire", ""),
    ],
)
def test_search_head_is_the_folded_title_and_summary(settings, title, summary):
    settings.OPENSEARCH_URL = ""
    write_entries({FIRST_ID: document(0, title, summary=summary)})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_head = setweight(to_tsvector('french', %s), 'A')"
            " || setweight(to_tsvector('french', %s), 'B') FROM search_searchentry WHERE page_id = %s",
            [fold(title), fold(summary), FIRST_ID],
        )
        assert cursor.fetchone() == (True,)


def test_match_runs_once_on_the_gin_index(settings):
    settings.OPENSEARCH_URL = ""
    documents = {
        FIRST_ID + n: document(n, f"Fiche {n}", sections=f"Texte {WORDS[n % 8]} numéro {n}.") for n in range(3000)
    }
    documents[FIRST_ID + 3000] = document(3000, "Fiche rare", sections="Le Vrombuldor des habitants.")
    write_entries(documents)
    with connection.cursor() as cursor:
        # What autovacuum does after a load: merge the index's pending list, refresh the statistics.
        cursor.execute("SELECT gin_clean_pending_list('search_searchentry_vector_gin')")
        cursor.execute("ANALYZE search_searchentry")
        cursor.execute("ANALYZE search_searchfacetvalue")
    for q, filters in [("vrombuldor", {}), ("vrombuldor qpv", {"theme": ["sante"]})]:
        with CaptureQueriesContext(connection) as queries:
            answer = run(q, **filters)
        matches = [query["sql"] for query in queries if "@@" in query["sql"]]
        # One statement matches (count, page and facets); the page's rows are then read by key.
        assert len(matches) == 1, matches
        assert "to_tsvector" not in matches[0]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + matches[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "search_searchentry_vector_gin" in plan, plan
        assert f"Seq Scan on {SearchEntry._meta.db_table}" not in plan, plan
        if not filters:
            assert [r["title"] for r in answer["results"]] == ["Fiche rare"]


def test_phrase_and_synonym_queries_can_use_the_gin_index(synthetic):
    with CaptureQueriesContext(connection) as queries:
        run("jardin qpv", theme=["alimentation"], centre=["irev"])
    (sql,) = [query["sql"] for query in queries if "@@" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: show the index can serve it
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_searchentry_vector_gin" in plan, plan


def test_upsert_recomputes_the_stored_vectors(settings):
    settings.OPENSEARCH_URL = ""
    write_entries({FIRST_ID: document(0, "Zyglotte", sections="Le Brindavel.")})
    assert run("brindavel")["count"] == 1
    write_entries({FIRST_ID: document(0, "Zyglotte", sections="Le Caboulard.")})
    assert run("brindavel")["count"] == 0
    assert run("caboulard")["count"] == 1
    write_entries({FIRST_ID: None})
    assert run("caboulard")["count"] == 0


def test_a_huge_text_is_written_and_its_beginning_found(settings):
    # PostgreSQL refuses a tsvector over 1 MB: the generated column cuts such a text, the write succeeds.
    settings.OPENSEARCH_URL = ""
    tokens = " ".join(f"w{n:x}z" for n in range(250_000))  # 2 MB of distinct words
    write_entries({FIRST_ID: document(0, "Énorme annexe", sections="Vrillonde " + tokens)})
    assert run("vrillonde")["count"] == 1
    assert run("w10z")["count"] == 1

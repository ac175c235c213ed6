"""What orders the results besides the words, the same on the engine and the database fallback.

Every figure here was chosen on the tuning half of the judged query set (`search_eval`, see
docs/relevance.md) and checked on the held-out half:
- a flat bonus when the whole query — synonyms applied — is in the title (or the summary, or the
  tags on the engine), so an acronym-titled page ranks with one that spells the expansion out;
- the kinds' declared weights (`ContentKind.search_weight`: experience sheets, what people come for,
  count 1.5, so one is not buried under publications repeating the words; a newsletter issue, which repeats the
  titles of what it announced, counts 0.3);
- the fading of the kinds that age (`ContentKind.ages`, events and training): full weight within
  AGE_OFFSET_DAYS of today, then a Gaussian fade (half weight AGE_SCALE_DAYS further), never under
  AGE_FLOOR: last year's edition of a meeting stays findable, below this year's and below the sheets.
"""

from django.utils import timezone

from .declarations import ranking_kinds

FIELD_BONUSES = {"title": 20, "summary": 6, "tags": 6}
PHRASE_BOOST = 1
MATCH_BOOST = 0.3
AGE_OFFSET_DAYS, AGE_SCALE_DAYS, AGE_FLOOR = 120, 120, 0.1


def ranked(dsl, query):
    """`query` (engine DSL) scaled by the kinds' weights and the fading of the kinds that age."""
    weights, ageing = ranking_kinds()
    if ageing:
        is_ageing = dsl.Q("terms", kind=ageing)
        # Today's date rather than `now`: the engine does not cache a request that reads the clock.
        today = timezone.localdate().isoformat()
        fade = {"origin": today, "offset": f"{AGE_OFFSET_DAYS}d", "scale": f"{AGE_SCALE_DAYS}d", "decay": 0.5}
        query = dsl.Q(
            "function_score",
            query=query,
            functions=[
                {"filter": ~is_ageing, "weight": 1},
                {"filter": is_ageing, "weight": AGE_FLOOR},
                {"filter": is_ageing, "gauss": {"date": fade}, "weight": 1 - AGE_FLOOR},
            ],
            score_mode="sum",
            boost_mode="multiply",
        )
    if weights:
        query = dsl.Q(
            "function_score",
            query=query,
            functions=[{"filter": dsl.Q("term", kind=slug), "weight": weight} for slug, weight in weights.items()],
            score_mode="multiply",
            boost_mode="multiply",
        )
    return query


def rank_sql(head, tsquery, tsquery_params, alias="e"):
    """(SQL, params): the fallback's rank (PostgreSQL), built like the engine's score.

    `head` is the title (weight A) and summary (weight B) vector: the same flat bonuses when the
    whole query is in the title or the summary (`ts_filter` keeps one weight's lexemes), plus
    `ts_rank` to order within, times the kinds' weights and fading.
    """
    bonuses = " + ".join(
        f"(CASE WHEN ts_filter({head}, '{{{weight}}}') @@ {tsquery} THEN %s ELSE 0 END)" for weight in ("a", "b")
    )
    params = [*tsquery_params, FIELD_BONUSES["title"], *tsquery_params, FIELD_BONUSES["summary"]]
    factor, factor_params = rank_factor_sql(alias)
    return f"({bonuses} + ts_rank({head}, {tsquery})) * {factor}", [*params, *tsquery_params, *factor_params]


def rank_factor_sql(alias="e"):
    """(SQL, params): the same weights and fading as a factor of the fallback's rank (PostgreSQL).

    The engine's Gaussian decay: 0.5 ** ((max(0, |days from today| − offset) / scale) ** 2).
    """
    weights, ageing = ranking_kinds()
    sql, params = "1.0", []
    if weights:
        cases = " ".join("WHEN %s THEN %s" for _ in weights)
        sql = f"(CASE {alias}.kind {cases} ELSE 1.0 END)"
        params = [value for item in weights.items() for value in item]
    if ageing:
        distance = f"greatest(abs(current_date - {alias}.date) - %s, 0)::float / %s"
        fade = f"power(0.5, power({distance}, 2))"
        sql += (
            f" * (CASE WHEN {alias}.kind = ANY(%s) AND {alias}.date IS NOT NULL "
            f"THEN %s + (1 - %s) * {fade} ELSE 1.0 END)"
        )
        params += [ageing, AGE_FLOOR, AGE_FLOOR, AGE_OFFSET_DAYS, AGE_SCALE_DAYS]
    return sql, params

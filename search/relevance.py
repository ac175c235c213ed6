"""How good the ranking is, measured against a judged query set.

The judgements (`search/data/judgements.toml`) were written by reading the demo corpus, before
any tuning: each query has the documents that matter, graded 0–3 by title (3: what the query
is about, 2: clearly useful, 1: related; unjudged documents count as 0). Titles rather than ids
because a person writes and reviews them; a judged title missing from the corpus is an error,
so the set cannot silently drift away from the content. Off-topic queries (`expect = "nothing"`)
pass when nothing of ours comes back.

A quarter of the queries is `split = "held-out"`: they were never looked at while tuning, so
their scores tell whether a change generalises or only fits the tuning half.

Metrics, over the first ten results: nDCG@10 (gain 2^grade − 1), the reciprocal rank of the
first document graded 2 or more, and precision@3 (documents graded 2 or more in the first three).
"""

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.http import QueryDict

from .params import parse

JUDGEMENTS = Path(__file__).parent / "data" / "judgements.toml"
DEPTH = 10
RELEVANT = 2  # the grade from which a document counts for MRR and P@3
SPLITS = ("tune", "held-out")


@dataclass
class Judged:
    q: str
    split: str
    grades: dict  # title → grade 0–3
    filters: dict = field(default_factory=dict)  # facet → [values], as in the query string
    category: str = ""
    expect_nothing: bool = False

    def params(self):
        querydict = QueryDict(mutable=True)
        querydict["q"] = self.q
        for facet, values in self.filters.items():
            querydict.setlist(facet, [str(v) for v in values])
        return parse(querydict)


@dataclass
class Outcome:
    judged: Judged
    titles: list  # the first DEPTH result titles
    count: int
    ndcg: float = 0.0
    rr: float = 0.0
    p3: float = 0.0

    @property
    def passed_silence(self):
        return self.count == 0


class JudgementError(ValueError):
    pass


def load(path=JUDGEMENTS):
    """The judged queries of a TOML file (`[[query]]` tables: q, split, grades, filters, category, expect)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise JudgementError(f"Jeu de requêtes illisible ({path}) : {exc}") from exc
    queries = []
    for n, item in enumerate(data.get("query", []), start=1):
        split = item.get("split", "tune")
        expect_nothing = item.get("expect") == "nothing"
        grades = item.get("grades", {})
        if split not in SPLITS:
            raise JudgementError(f"Requête {n} « {item.get('q')} » : split « {split} » inconnu ({', '.join(SPLITS)}).")
        if not item.get("q"):
            raise JudgementError(f"Requête {n} : texte « q » manquant.")
        if not grades and not expect_nothing:
            raise JudgementError(f'Requête {n} « {item["q"]} » : ni jugements, ni expect = "nothing".')
        if any(grade not in (0, 1, 2, 3) for grade in grades.values()):
            raise JudgementError(f"Requête {n} « {item['q']} » : les notes vont de 0 à 3.")
        queries.append(
            Judged(
                q=item["q"],
                split=split,
                grades=grades,
                filters=item.get("filters", {}),
                category=item.get("category", ""),
                expect_nothing=expect_nothing,
            )
        )
    return queries


def missing_titles(queries, known_titles):
    """Judged titles the corpus does not hold (the judgements no longer describe the content)."""
    known = set(known_titles)
    return sorted({title for judged in queries for title in judged.grades if title not in known})


def dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades))


def score(judged, titles, count):
    outcome = Outcome(judged, titles[:DEPTH], count)
    if judged.expect_nothing:
        return outcome
    gains, seen = [], set()
    for title in outcome.titles:  # a title shown twice (copies from several centres) gains once
        gains.append(0 if title in seen else judged.grades.get(title, 0))
        seen.add(title)
    ideal = dcg(sorted(judged.grades.values(), reverse=True)[:DEPTH])
    outcome.ndcg = dcg(gains) / ideal if ideal else 0.0
    first = next((rank for rank, grade in enumerate(gains) if grade >= RELEVANT), None)
    outcome.rr = 1 / (first + 1) if first is not None else 0.0
    outcome.p3 = sum(1 for grade in gains[:3] if grade >= RELEVANT) / 3
    return outcome


def run(service, queries):
    """One Outcome per query, asked of a search implementation (engine or database)."""
    outcomes = []
    for judged in queries:
        answer = service.search(judged.params())
        outcomes.append(score(judged, [result["title"] for result in answer["results"]], answer["count"]))
    return outcomes


@dataclass
class Summary:
    queries: int
    judged: int  # queries with judgements (the others are off-topic)
    ndcg: float
    mrr: float
    p3: float
    silent: int  # off-topic queries that returned nothing
    off_topic: int

    def line(self):
        silence = f", hors sujet muettes {self.silent}/{self.off_topic}" if self.off_topic else ""
        if not self.judged:
            return f"{self.queries} requêtes{silence}"
        return f"{self.queries} requêtes : nDCG@10 {self.ndcg:.3f}, MRR {self.mrr:.3f}, P@3 {self.p3:.3f}{silence}"


def summarise(outcomes):
    judged = [o for o in outcomes if not o.judged.expect_nothing]
    off_topic = [o for o in outcomes if o.judged.expect_nothing]
    n = len(judged) or 1
    return Summary(
        queries=len(outcomes),
        judged=len(judged),
        ndcg=sum(o.ndcg for o in judged) / n,
        mrr=sum(o.rr for o in judged) / n,
        p3=sum(o.p3 for o in judged) / n,
        silent=sum(1 for o in off_topic if o.passed_silence),
        off_topic=len(off_topic),
    )


def by_split(outcomes):
    return {split: summarise([o for o in outcomes if o.judged.split == split]) for split in SPLITS}


def worst(outcomes, n=10):
    """The judged queries with the lowest nDCG@10, then the off-topic ones that answered."""
    judged = sorted((o for o in outcomes if not o.judged.expect_nothing), key=lambda o: (o.ndcg, o.judged.q))
    noisy = [o for o in outcomes if o.judged.expect_nothing and not o.passed_silence]
    return judged[:n] + noisy

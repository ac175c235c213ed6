"""The relevance measures themselves: worked examples, and the loader's French messages."""

import math

import pytest

from search import relevance
from search.relevance import Judged, JudgementError, score, summarise


def judged(**grades):
    return Judged(q="x", split="tune", grades=grades)


def test_perfect_order_scores_one():
    outcome = score(judged(a=3, b=2, c=1), ["a", "b", "c", "z"], 4)
    assert outcome.ndcg == pytest.approx(1.0)
    assert outcome.rr == 1.0
    assert outcome.p3 == pytest.approx(2 / 3)  # c is graded 1: related, not relevant


def test_worked_example_of_ndcg_mrr_and_precision():
    outcome = score(judged(a=3, b=2), ["z", "b", "a"], 3)
    got = (3 / math.log2(3) + 7 / math.log2(4)) / (7 / math.log2(2) + 3 / math.log2(3))
    assert outcome.ndcg == pytest.approx(got)
    assert outcome.rr == pytest.approx(1 / 2)
    assert outcome.p3 == pytest.approx(2 / 3)


def test_a_title_shown_twice_gains_once():
    once = score(judged(a=3), ["a", "z"], 2)
    twice = score(judged(a=3), ["a", "a"], 2)
    assert twice.ndcg == once.ndcg == pytest.approx(1.0)


def test_nothing_relevant_scores_zero():
    outcome = score(judged(a=3), ["y", "z"], 2)
    assert (outcome.ndcg, outcome.rr, outcome.p3) == (0.0, 0.0, 0.0)


def test_off_topic_queries_count_apart():
    quiet = score(Judged(q="x", split="tune", grades={}, expect_nothing=True), [], 0)
    noisy = score(Judged(q="y", split="tune", grades={}, expect_nothing=True), ["a"], 1)
    summary = summarise([quiet, noisy, score(judged(a=3), ["a"], 1)])
    assert (summary.silent, summary.off_topic, summary.judged) == (1, 2, 1)
    assert summary.ndcg == pytest.approx(1.0)  # off-topic queries do not dilute the judged mean


def test_the_repository_set_is_well_formed():
    queries = relevance.load()
    assert len(queries) >= 60
    held_out = [q for q in queries if q.split == "held-out"]
    assert len(held_out) >= len(queries) // 4
    assert any(q.expect_nothing for q in queries)
    assert any(q.filters for q in queries)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[query]]\nq = "a"\nsplit = "train"\ngrades = { "t" = 3 }\n', "split « train » inconnu"),
        ('[[query]]\nq = "a"\n', "ni jugements"),
        ('[[query]]\nq = "a"\ngrades = { "t" = 5 }\n', "de 0 à 3"),
        ("[[query]\n", "illisible"),
    ],
)
def test_bad_judgement_files_are_refused_in_french(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JudgementError, match=message):
        relevance.load(path)

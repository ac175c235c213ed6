"""State funding by the financial annex (SPEC §6): the pure computation and the command's contract."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from network.reporting.funding import ANNEX_SCALE, CentreFigures, Scale, simulate
from network.reporting.funding_input import FundingInputError, parse_simulation_input
from network.reporting.models import FundingScale

# The annex's published overseas table, within a national set whose QPV counts span 7–198 and
# median distances 18–161.9 km (the two metropolitan centres below give the maxima and minimum).
OVERSEAS_TABLE = [
    # code, qpv, km, qpv index, distance index, index
    ("martinique", 7, 21, "0.0", "0.2", "0.1"),
    ("guadeloupe", 18, 41, "0.6", "1.6", "0.9"),
    ("guyane", 32, 20, "1.3", "0.1", "1.0"),
    ("mayotte", 36, 25, "1.5", "0.5", "1.2"),
    ("reunion", 48, 43, "2.1", "1.7", "2.0"),
]


def figures(code, qpv, km, overseas=False):
    return CentreFigures(code=code, name=code.title(), overseas=overseas, qpv_count=qpv, median_distance_km=Decimal(km))


def national_set():
    centres = [figures(code, qpv, km, overseas=True) for code, qpv, km, *_ in OVERSEAS_TABLE]
    centres += [figures("grand-est", 198, "18"), figures("occitanie", 120, "161.9")]
    return centres


def by_code(simulation):
    return {result.centre.code: result for result in simulation.results}


def test_fixed_parts_of_the_annex():
    assert ANNEX_SCALE.metro_fixed_budget == 288_000
    assert ANNEX_SCALE.metro_fixed_budget * ANNEX_SCALE.state_share == 144_000
    assert ANNEX_SCALE.overseas_fixed_budget == 247_000
    assert ANNEX_SCALE.overseas_fixed_budget * ANNEX_SCALE.state_share == 123_500
    assert ANNEX_SCALE.extra_fte_cost == 72_000
    assert ANNEX_SCALE.extra_fte_cost * ANNEX_SCALE.state_share == 36_000


@pytest.mark.parametrize("code,qpv,km,qpv_index,distance_index,index", OVERSEAS_TABLE)
def test_published_overseas_table(code, qpv, km, qpv_index, distance_index, index):
    result = by_code(simulate(national_set()))[code]
    assert (result.qpv_index, result.distance_index, result.index) == tuple(
        Decimal(v) for v in (qpv_index, distance_index, index)
    )
    # Overseas: the indices are shown but have no effect.
    assert (result.extra_fte, result.total_fte) == (0, 3)
    assert (result.total_budget, result.state_funding) == (247_000, 123_500)


def test_overseas_stays_at_three_fte_even_with_the_highest_index():
    results = by_code(simulate([figures("reunion", 300, "200", overseas=True), figures("metro", 0, "0")]))
    assert results["reunion"].index == 10
    assert (results["reunion"].extra_fte, results["reunion"].total_fte) == (0, 3)
    assert results["reunion"].state_funding == 123_500


@pytest.mark.parametrize(
    "rounded_index,extra",
    [("0.0", 0), ("2.0", 0), ("2.1", 1), ("4.0", 1), ("4.1", 2), ("6.0", 2), ("6.1", 3), ("10.0", 3)],
)
def test_bracket_edges(rounded_index, extra):
    assert ANNEX_SCALE.extra_fte(Decimal(rounded_index)) == extra


def test_index_is_rounded_half_up_before_its_bracket():
    # Set: QPV 0–1000, distances 0–100 km. 249 QPV + 10 km → 1.743 + 0.3 = 2.043 → 2.0 → no extra FTE;
    # 250 QPV + 10 km → 1.75 + 0.3 = 2.05 → 2.1 (half up, not half even) → +1 FTE.
    centres = [figures("min", 0, "0"), figures("max", 1000, "100"), figures("a", 249, "10"), figures("b", 250, "10")]
    results = by_code(simulate(centres))
    assert (results["a"].index, results["a"].extra_fte, results["a"].total_fte) == (Decimal("2.0"), 0, 4)
    assert (results["b"].index, results["b"].extra_fte, results["b"].total_fte) == (Decimal("2.1"), 1, 5)
    assert results["a"].total_budget == 288_000 and results["a"].state_funding == 144_000
    assert results["b"].variable_budget == 72_000
    assert results["b"].total_budget == 360_000 and results["b"].state_funding == 180_000
    assert results["max"].extra_fte == 3 and results["max"].state_funding == 144_000 + 3 * 36_000


def test_a_set_where_every_centre_is_equal_gets_zero_indices():
    results = simulate([figures("a", 12, "30"), figures("b", 12, "30")]).results
    assert [result.index for result in results] == [0, 0]


def test_another_scale_changes_the_amounts():
    scale = Scale(year=2030, salary_junior=Decimal(55_000), state_share=Decimal("0.60"))
    result = simulate([figures("a", 0, "0"), figures("b", 10, "10")], scale).results[0]
    assert result.fixed_budget == 294_000 and result.state_funding == Decimal("176400")


@pytest.mark.parametrize(
    "data,message",
    [
        ({"centres": []}, "Clé manquante : « year »"),
        (
            {"year": 2016, "centres": [{"code": "a", "name": "A", "overseas": False, "qpv_count": 3}]},
            "median_distance_km",
        ),
        (
            {
                "year": 2016,
                "centres": [{"code": "a", "name": "A", "overseas": False, "qpv_count": -1, "median_distance_km": 3}] * 1
                + [{"code": "b", "name": "B", "overseas": False, "qpv_count": 1, "median_distance_km": 3}],
            },
            "ne peut pas être négatif",
        ),
        (
            {
                "year": 2016,
                "centres": [{"code": "a", "name": "A", "overseas": False, "qpv_count": 1, "median_distance_km": 3}],
            },
            "au moins deux centres",
        ),
        (
            {
                "year": 2016,
                "centres": [{"code": "a", "name": "A", "overseas": False, "qpv_count": 1, "median_distance_km": 3}] * 2,
            },
            "Code en double : « a »",
        ),
        (
            {
                "year": 2016,
                "centres": [{"code": "a", "name": "A", "overseas": "non", "qpv_count": 1.5, "median_distance_km": "x"}],
            },
            "« overseas » doit valoir true ou false",
        ),
        ([1, 2], "objet JSON"),
    ],
)
def test_bad_input_is_reported_in_french(data, message):
    with pytest.raises(FundingInputError) as error:
        parse_simulation_input(data)
    assert message in str(error.value)


# The command-line contract, against the database's scale (the annex, seeded by a migration).


def write_input(tmp_path, data):
    path = tmp_path / "centres.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def national_input():
    centres = [
        {"code": code, "name": code.title(), "overseas": True, "qpv_count": qpv, "median_distance_km": km}
        for code, qpv, km, *_ in OVERSEAS_TABLE
    ]
    centres += [
        {"code": "grand-est", "name": "Grand Est", "overseas": False, "qpv_count": 198, "median_distance_km": 18},
        {"code": "occitanie", "name": "Occitanie", "overseas": False, "qpv_count": 120, "median_distance_km": 161.9},
    ]
    return {"year": 2016, "centres": centres}


@pytest.mark.django_db
def test_simulate_command_writes_the_contract(tmp_path):
    output = tmp_path / "out.json"
    call_command(
        "funding", "simulate", "--input", str(write_input(tmp_path, national_input())), "--output", str(output)
    )
    result = json.loads(output.read_text(encoding="utf-8"))
    assert (result["year"], result["scale"]) == (2016, 2016)
    reunion = next(centre for centre in result["centres"] if centre["code"] == "reunion")
    assert reunion == {
        "code": "reunion",
        "qpv_index": 2.1,
        "distance_index": 1.7,
        "index": 2.0,
        "extra_fte": 0,
        "total_fte": 3,
        "fixed_budget": 247000,
        "variable_budget": 0,
        "total_budget": 247000,
        "state_funding": 123500,
    }
    grand_est = next(centre for centre in result["centres"] if centre["code"] == "grand-est")
    # 198 QPV (10) and 18 km (0): 0.7 × 10 = 7.0 → +3 FTE.
    assert (grand_est["index"], grand_est["total_fte"], grand_est["state_funding"]) == (7.0, 7, 252000)


@pytest.mark.django_db
def test_simulate_command_uses_the_scale_of_the_year(tmp_path):
    FundingScale.objects.create(year=2024, **{**FundingScale.fields_from_scale(ANNEX_SCALE), "state_share": "0.55"})
    data = {**national_input(), "year": 2025}
    output = tmp_path / "out.json"
    call_command("funding", "simulate", "--input", str(write_input(tmp_path, data)), "--output", str(output))
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["scale"] == 2024
    assert next(c for c in result["centres"] if c["code"] == "reunion")["state_funding"] == 135850
    call_command(
        "funding", "simulate", "--input", str(write_input(tmp_path, data)), "--output", str(output), "--scale", "2016"
    )
    assert json.loads(output.read_text(encoding="utf-8"))["scale"] == 2016


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content,message",
    [
        ('{"year": 2016, "centres": [{"code": "a"}]}', "clé manquante « name »"),
        ("{pas du json", "n'est pas un JSON valide"),
        (
            json.dumps(
                {
                    "year": 2016,
                    "centres": [{"code": "a", "name": "A", "overseas": False, "qpv_count": -4, "median_distance_km": 1}]
                    * 2,
                }
            ),
            "ne peut pas être négatif",
        ),
    ],
)
def test_simulate_command_exits_2_with_a_french_message(tmp_path, content, message):
    path = tmp_path / "centres.json"
    path.write_text(content, encoding="utf-8")
    output = tmp_path / "out.json"
    with pytest.raises(CommandError) as error:
        call_command("funding", "simulate", "--input", str(path), "--output", str(output))
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not output.exists()


@pytest.mark.django_db
def test_simulate_command_refuses_an_unknown_scale(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("funding", "simulate", "--input", str(write_input(tmp_path, national_input())), "--scale", "1999")
    assert error.value.returncode == 2 and "Pas de barème pour l'année 1999" in str(error.value)

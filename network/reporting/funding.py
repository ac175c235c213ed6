"""State funding of the centres by the financial annex (SPEC §6), as pure functions.

Nothing here reads the database: `simulate(centres, scale)` takes the centres' territory figures
and a `Scale` (the annex's amounts and rules for a year, stored as `FundingScale` rows) and
returns each step of the computation, so that the command, the admin page and the tests show the
same figures.

Two choices the annex leaves implicit, both checked against its published overseas table:
- the index combines the *unrounded* sub-indices (Guyane: 0.7 × 1.309 + 0.3 × 0.139 = 0.958 →
  1.0 as published, whereas the rounded 1.3 and 0.1 would give 0.9);
- when every centre of the set has the same value, that variable's index is 0 for all (the
  0–10 scale has no span to spread them over).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Scale:
    """The annex's amounts and rules for one year. Amounts in euros, rates as fractions."""

    year: int
    salary_direction: Decimal = Decimal(90_000)
    salary_assistant: Decimal = Decimal(40_000)
    salary_senior: Decimal = Decimal(60_000)
    salary_junior: Decimal = Decimal(50_000)
    extra_fte_salary: Decimal = Decimal(60_000)
    metro_running_rate: Decimal = Decimal("0.20")
    overseas_running_rate: Decimal = Decimal("0.30")
    state_share: Decimal = Decimal("0.50")
    qpv_weight: Decimal = Decimal("0.70")
    distance_weight: Decimal = Decimal("0.30")
    # Upper bounds (included) of the index brackets giving 0, +1, +2 extra FTE; above the last, +3.
    brackets: tuple = (Decimal("2.0"), Decimal("4.0"), Decimal("6.0"))

    @property
    def metro_fte(self):
        return 4  # direction, assistant, senior and junior officers

    @property
    def overseas_fte(self):
        return 3  # direction, assistant, senior officer

    @property
    def metro_fixed_budget(self):
        payroll = self.salary_direction + self.salary_assistant + self.salary_senior + self.salary_junior
        return payroll * (1 + self.metro_running_rate)

    @property
    def overseas_fixed_budget(self):
        payroll = self.salary_direction + self.salary_assistant + self.salary_senior
        return payroll * (1 + self.overseas_running_rate)

    @property
    def extra_fte_cost(self):
        return self.extra_fte_salary * (1 + self.metro_running_rate)

    def extra_fte(self, rounded_index):
        """Extra FTE for an index already rounded to one decimal: [0;2] → 0, ]2;4] → 1, ]4;6] → 2, above → 3."""
        for extra, upper in enumerate(self.brackets):
            if rounded_index <= upper:
                return extra
        return len(self.brackets)


ANNEX_YEAR = 2016
ANNEX_SCALE = Scale(year=ANNEX_YEAR)


@dataclass(frozen=True)
class CentreFigures:
    code: str
    name: str
    overseas: bool
    qpv_count: int
    median_distance_km: Decimal


@dataclass(frozen=True)
class CentreFunding:
    """One centre's result, with the unrounded steps kept for the admin page's explanation."""

    centre: CentreFigures
    qpv_index_exact: Decimal
    distance_index_exact: Decimal
    index_exact: Decimal
    extra_fte: int
    total_fte: int
    fixed_budget: Decimal
    variable_budget: Decimal
    total_budget: Decimal
    state_funding: Decimal
    bracket: str = field(default="")

    @property
    def qpv_index(self):
        return round_tenth(self.qpv_index_exact)

    @property
    def distance_index(self):
        return round_tenth(self.distance_index_exact)

    @property
    def index(self):
        return round_tenth(self.index_exact)

    def as_dict(self):
        """The command-line contract's output object for this centre."""
        return {
            "code": self.centre.code,
            "qpv_index": float(self.qpv_index),
            "distance_index": float(self.distance_index),
            "index": float(self.index),
            "extra_fte": self.extra_fte,
            "total_fte": self.total_fte,
            "fixed_budget": euros(self.fixed_budget),
            "variable_budget": euros(self.variable_budget),
            "total_budget": euros(self.total_budget),
            "state_funding": euros(self.state_funding),
        }


@dataclass(frozen=True)
class Simulation:
    scale: Scale
    qpv_range: tuple
    distance_range: tuple
    results: list

    def as_dict(self, year):
        return {"year": year, "scale": self.scale.year, "centres": [result.as_dict() for result in self.results]}


def round_tenth(value):
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)


def euros(amount):
    """Whole euros as an int, otherwise cents as a float (a scale may hold odd rates)."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def relative_index(value, low, high):
    """`value` on a 0–10 scale where the set's minimum is 0 and its maximum 10."""
    if high == low:
        return Decimal(0)
    return (Decimal(value) - Decimal(low)) * 10 / (Decimal(high) - Decimal(low))


def bracket_label(scale, extra):
    bounds = [Decimal(0), *scale.brackets, Decimal(10)]
    opening = "[" if extra == 0 else "]"
    return f"{opening}{bounds[extra]} ; {bounds[extra + 1]}]"


def simulate(centres, scale=ANNEX_SCALE):
    """Every centre's indices, FTE and budgets, the indices relative to this set of centres."""
    qpv_counts = [centre.qpv_count for centre in centres]
    distances = [Decimal(centre.median_distance_km) for centre in centres]
    qpv_range = (min(qpv_counts), max(qpv_counts))
    distance_range = (min(distances), max(distances))
    results = []
    for centre in centres:
        qpv_index = relative_index(centre.qpv_count, *qpv_range)
        distance_index = relative_index(centre.median_distance_km, *distance_range)
        index = scale.qpv_weight * qpv_index + scale.distance_weight * distance_index
        if centre.overseas:
            # The overseas centres' indices are shown but have no effect: always 3 FTE.
            extra, total_fte, fixed = 0, scale.overseas_fte, scale.overseas_fixed_budget
        else:
            extra = scale.extra_fte(round_tenth(index))
            total_fte, fixed = scale.metro_fte + extra, scale.metro_fixed_budget
        variable = extra * scale.extra_fte_cost
        results.append(
            CentreFunding(
                centre=centre,
                qpv_index_exact=qpv_index,
                distance_index_exact=distance_index,
                index_exact=index,
                extra_fte=extra,
                total_fte=total_fte,
                fixed_budget=fixed,
                variable_budget=variable,
                total_budget=fixed + variable,
                state_funding=(fixed + variable) * scale.state_share,
                bracket="" if centre.overseas else bracket_label(scale, extra),
            )
        )
    return Simulation(scale=scale, qpv_range=qpv_range, distance_range=distance_range, results=results)

"""The national dashboard's data for a year (SPEC §4–§5): per centre, per region, national, and trends.

Everything comes from `indicators.compute_years` (figures over all the years shown, in one bounded
set of queries), the activity reports (entered budgets; the commitments frozen at submission)
and the territory figures; the number of queries does not grow with centres or years.
The same `Dashboard` feeds the admin page, the public summary, the PDF and the exports.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from network.programme.models import ContributionStatus
from portal.centres.models import Centre
from resources.taxonomy.models import Chantier, Region

from .commitments import LABELS as COMMITMENT_LABELS
from .commitments import evaluate
from .indicators import compute_years
from .models import FUNDERS, ActivityReport, ReportState, TerritoryFigures

TREND_YEARS = 5
# The columns of the per-centre table and the exports: (key, French header).
COLUMNS = [
    ("events", "Événements"),
    ("events_socle", "dont socle"),
    ("training_sessions", "Sessions de formation"),
    ("half_days", "Demi-journées"),
    ("sessions_elus", "Séances élus"),
    ("registered", "Inscrits"),
    ("present", "Présents"),
    ("sheets_published", "Fiches publiées"),
    ("publications_published", "Publications"),
    ("newsletters_sent", "Lettres envoyées"),
    ("subscribers", "Abonnés"),
    ("chantiers_joined", "Chantiers rejoints"),
    ("contributions_accepted", "Contributions retenues"),
]
TREND_KEYS = ["events", "training_sessions", "present", "sheets_published", "newsletters_sent"]


@dataclass
class Dashboard:
    year: int
    years: list
    centres: list
    rows: dict = field(default_factory=dict)  # centre code → {column: value}
    figures: dict = field(default_factory=dict)  # centre code → every indicator of the year (exports)
    national: dict = field(default_factory=dict)
    regions: list = field(default_factory=list)  # [(region name, {column: value}, [centre names])]
    trends: dict = field(default_factory=dict)  # column → [national value per year]
    budgets: list = field(default_factory=list)  # [(centre name, {funder label: €})]
    grid: list = field(default_factory=list)  # [(centre name, [(commitment label, {state, value})])]
    chantiers: list = field(default_factory=list)  # [(chantier, joined, submitted, accepted)]
    coverage: list = field(default_factory=list)  # [(year, QPV covered, centres with figures)]


def _flatten(figures):
    row = {key: figures[key] for key, _label in COLUMNS if key in figures}
    row["registered"] = sum(figures["registrations"].values())
    row["present"] = sum(figures["attendance"].values())
    return row


def _sum(rows):
    total = defaultdict(float)
    for row in rows:
        for key, _label in COLUMNS:
            total[key] += row.get(key) or 0
    return {key: int(value) if float(value).is_integer() else value for key, value in total.items()}


def build(year, centres=None, trend_years=TREND_YEARS):
    """The dashboard of `year` for the given centres (all State-funded ones by default)."""
    centres = list(centres if centres is not None else Centre.objects.filter(state_funded=True).order_by("name"))
    years = list(range(year - trend_years + 1, year + 1))
    dashboard = Dashboard(year=year, years=years, centres=centres)
    by_year = defaultdict(list)
    figures_of = {}
    for figures in compute_years(years, centres):
        by_year[figures["year"]].append(_flatten(figures))
        if figures["year"] == year:
            figures_of[figures["centre"]] = figures
    dashboard.rows = {centre.code: _flatten(figures_of[centre.code]) for centre in centres}
    dashboard.figures = figures_of
    dashboard.national = _sum(dashboard.rows.values())
    dashboard.trends = {key: [_sum(by_year[y])[key] for y in years] for key in TREND_KEYS}
    dashboard.regions = _regions(centres, dashboard.rows)
    reports = {
        report.centre_id: report
        for report in ActivityReport.objects.filter(year=year, centre__in=centres).select_related("centre")
    }
    for centre in centres:
        report = reports.get(centre.pk)
        if report and report.snapshot is not None and report.state != ReportState.DRAFT:
            commitments = report.snapshot["commitments"]
        else:
            commitments = evaluate(figures_of[centre.code], report.entered_for_commitments() if report else None)
        dashboard.grid.append(
            (centre.name, [(COMMITMENT_LABELS[name], result) for name, result in commitments.items()])
        )
        if report:
            budget = {
                str(label): float(
                    (getattr(report, f"{key}_socle") or 0) + (getattr(report, f"{key}_complementary") or 0)
                )
                for key, label in FUNDERS
            }
            dashboard.budgets.append((centre.name, budget))
    dashboard.chantiers = _chantiers(year, centres)
    dashboard.coverage = [
        (row["year"], row["qpv"], row["n"])
        for row in TerritoryFigures.objects.filter(year__in=years, centre__in=centres)
        .order_by("year")
        .values("year")
        .annotate(qpv=Sum("qpv_count"), n=Count("pk"))
    ]
    return dashboard


def _regions(centres, rows):
    names = dict(Region.objects.values_list("code", "name"))
    members = defaultdict(list)
    for centre in centres:
        # A centre covering two regions counts in each (its figures are not split).
        for code in filter(None, centre.region_codes.split(",")):
            members[names.get(code, code)].append(centre)
    return [
        (name, _sum(rows[centre.code] for centre in group), [centre.name for centre in group])
        for name, group in sorted(members.items())
    ]


def _chantiers(year, centres):
    counts = {
        row["pk"]: row
        for row in Chantier.objects.filter(year=year)
        .annotate(
            joined=Count("participations", filter=Q(participations__centre__in=centres), distinct=True),
            submitted=Count("contributions", filter=Q(contributions__centre__in=centres), distinct=True),
            accepted=Count(
                "contributions",
                filter=Q(contributions__centre__in=centres, contributions__status=ContributionStatus.ACCEPTED),
                distinct=True,
            ),
        )
        .values("pk", "title", "joined", "submitted", "accepted")
    }
    return [(row["title"], row["joined"], row["submitted"], row["accepted"]) for row in counts.values()]

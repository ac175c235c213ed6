"""The funding simulation as the admin page shows and exports it: inputs from the database or a file.

`funding.py` computes; this module gathers the recorded figures of a year and lays the result out
as rows (the same for the HTML table, the CSV and the XLSX), each step a column.
"""

from portal.centres.models import Centre

from .funding import ANNEX_SCALE, CentreFigures, simulate
from .models import FundingScale, TerritoryFigures

COLUMNS = [
    ("code", "Code"),
    ("name", "Centre"),
    ("overseas", "Outre-mer"),
    ("qpv_count", "Nombre de QPV"),
    ("median_distance_km", "Distance médiane (km)"),
    ("qpv_index_exact", "Indice QPV (exact)"),
    ("qpv_index", "Indice QPV"),
    ("distance_index_exact", "Indice distance (exact)"),
    ("distance_index", "Indice distance"),
    ("index_exact", "Indice pondéré (exact)"),
    ("index", "Indice final"),
    ("bracket", "Tranche"),
    ("extra_fte", "ETP supplémentaires"),
    ("total_fte", "ETP estimés"),
    ("fixed_budget", "Budget fixe (€)"),
    ("variable_budget", "Budget variable (€)"),
    ("total_budget", "Budget total (€)"),
    ("state_funding", "Financement de l'État (€)"),
]


def recorded_figures(year):
    """The State-funded centres' figures recorded for `year`, and the centres that have none."""
    rows = TerritoryFigures.objects.filter(year=year, centre__state_funded=True).select_related("centre")
    figures = [
        CentreFigures(
            code=row.centre.code,
            name=row.centre.name,
            overseas=row.centre.overseas,
            qpv_count=row.qpv_count,
            median_distance_km=row.median_distance_km,
        )
        for row in rows
    ]
    missing = list(Centre.objects.filter(state_funded=True).exclude(territory_figures__year=year))
    return figures, missing


def scale_for(year):
    row = FundingScale.objects.for_year(year)
    return row.to_scale() if row else ANNEX_SCALE


def rows(simulation):
    """One dict per centre, keyed by COLUMNS, exact indices to three decimals."""
    table = []
    for result in simulation.results:
        centre = result.centre
        table.append(
            {
                "code": centre.code,
                "name": centre.name,
                "overseas": "oui" if centre.overseas else "non",
                "qpv_count": centre.qpv_count,
                "median_distance_km": centre.median_distance_km,
                "qpv_index_exact": round(result.qpv_index_exact, 3),
                "qpv_index": result.qpv_index,
                "distance_index_exact": round(result.distance_index_exact, 3),
                "distance_index": result.distance_index,
                "index_exact": round(result.index_exact, 3),
                "index": result.index,
                "bracket": result.bracket or "sans effet (outre-mer)",
                "extra_fte": result.extra_fte,
                "total_fte": result.total_fte,
                "fixed_budget": result.fixed_budget,
                "variable_budget": result.variable_budget,
                "total_budget": result.total_budget,
                "state_funding": result.state_funding,
            }
        )
    return table


def run(year, figures=None):
    """(simulation, missing centres) for a year, from the given figures or the recorded ones."""
    missing = []
    if figures is None:
        figures, missing = recorded_figures(year)
    if len(figures) < 2:
        return None, missing
    return simulate(figures, scale_for(year)), missing

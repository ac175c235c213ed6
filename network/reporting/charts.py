"""The dashboard's charts as SVG, drawn on the server with pygal: the same SVG in the page and the PDF.

No JavaScript (`js=[]`): the page works without it, and every chart is also given as a table next
to it (the accessible reading of the same figures). Colours follow the portal's contrast rules.
"""

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1e1e1e",
    foreground_strong="#1e1e1e",
    foreground_subtle="#595959",
    colors=("#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#666666"),
    font_family="Marianne, Arial, sans-serif",
)
OPTIONS = {"style": STYLE, "js": [], "disable_xml_declaration": True, "width": 760, "height": 360}


def _render(chart, title):
    chart.title = title
    return chart.render(is_unicode=True)


def trends(years, series):
    """A line per indicator over the years: series = [(label, [value per year])]."""
    chart = pygal.Line(**OPTIONS, x_label_rotation=0, legend_at_bottom=True)
    chart.x_labels = [str(year) for year in years]
    for label, values in series:
        chart.add(label, values)
    return _render(chart, "Évolution nationale")


def per_centre(names, values, title):
    chart = pygal.HorizontalBar(**{**OPTIONS, "height": 40 + 22 * len(names)}, show_legend=False)
    chart.x_labels = names
    chart.add(title, values)
    return _render(chart, title)


def budgets(rows, funders):
    """Stacked bars of the annual budget by funder: rows = [(centre name, {funder: €})]."""
    chart = pygal.HorizontalStackedBar(**{**OPTIONS, "height": 60 + 22 * len(rows)}, legend_at_bottom=True)
    chart.x_labels = [name for name, _budget in rows]
    for funder in funders:
        chart.add(funder, [budget.get(funder, 0) for _name, budget in rows])
    chart.value_formatter = lambda value: f"{value:,.0f} €".replace(",", " ")
    return _render(chart, "Structure du budget par financeur")

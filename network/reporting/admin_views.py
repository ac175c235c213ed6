"""Admin page of the funding simulation (national team): each step per centre, CSV and XLSX exports.

Inputs are the territory figures recorded for the year, or a JSON file in the `funding simulate`
format (to try figures before recording them). Nothing is stored by a simulation.
"""

import json

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from portal.core.spreadsheet import spreadsheet_response

from . import simulation
from .funding_input import FundingInputError, parse_simulation_input

EXPORT_FORMATS = ("csv", "xlsx")


class SimulationForm(forms.Form):
    year = forms.IntegerField(label="Année", min_value=2000, max_value=2200)
    input_file = forms.FileField(
        label="Ou un fichier JSON (format de « funding simulate »)",
        required=False,
        help_text="Sans fichier, le calcul part des données territoriales enregistrées pour l'année.",
    )

    def figures(self):
        """The uploaded file's centres (and its year), or None to use the recorded figures."""
        upload = self.cleaned_data.get("input_file")
        if not upload:
            return None
        if upload.size > 1_000_000:
            raise forms.ValidationError("Fichier trop volumineux (1 Mo au plus).")
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise forms.ValidationError("Ce fichier n'est pas un JSON valide en UTF-8.") from None
        try:
            year, centres = parse_simulation_input(data)
        except FundingInputError as error:
            raise forms.ValidationError(error.problems) from None
        self.cleaned_data["year"] = year
        return centres


def can_simulate(user):
    return user.is_superuser or user.has_perm("reporting.view_fundingscale")


def simulation_view(request):
    if not can_simulate(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else (request.GET or {"year": timezone.now().year - 1})
    form = SimulationForm(data, request.FILES or None)
    result, missing, figures = None, [], None
    if form.is_valid():
        try:
            figures = form.figures()
        except forms.ValidationError as error:
            form.add_error("input_file", error)
    if form.is_valid():
        year = form.cleaned_data["year"]
        result, missing = simulation.run(year, figures)
        export = data.get("format")
        if result is not None and export in EXPORT_FORMATS:
            rows = simulation.rows(result)
            return spreadsheet_response(simulation.COLUMNS, rows, f"simulation-financement-{year}", export)
    context = {
        "form": form,
        "result": result,
        "rows": simulation.rows(result) if result else [],
        "columns": simulation.COLUMNS,
        "missing": missing,
        "from_file": figures is not None,
    }
    return render(request, "reporting/funding_simulation.html", context)

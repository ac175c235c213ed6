"""Demo territory figures: each State-funded centre's QPV count and median distance for three years.

The overseas figures are the annex's published table; the metropolitan ones are plausible orders
of magnitude for each territory (regions count more QPV than a single département, large rural
regions have the longest distances), with the 2024 revision of the QPV list adding a few.
"""

from decimal import Decimal

from django.utils import timezone

from portal.centres.models import Centre

from .models import TerritoryFigures

# code: (QPV before the 2024 list, QPV from 2024, median distance in km)
FIGURES = {
    "ville-caraibe": (7, 7, "21"),
    "guadeloupe-saint-martin": (18, 19, "41"),
    "crpv-guyane": (32, 34, "20"),
    "cdr-mayotte": (36, 36, "25"),
    "cr-csur": (48, 51, "43"),
    "labo-cites": (141, 152, "98.4"),
    "irev": (199, 206, "71.8"),
    "profession-banlieue": (63, 66, "11.6"),
    "pole-ressources-95": (41, 43, "23.9"),
    "crpve-91": (39, 41, "27.3"),
    "villes-au-carre": (52, 55, "96.2"),
    "resovilles": (78, 83, "142.0"),
    "oriv": (113, 118, "161.9"),
    "trajectoire-ressources": (58, 60, "118.5"),
    "villes-et-territoires": (105, 112, "155.3"),
    "pqn-a": (81, 86, "147.1"),
    "crpv-paca": (129, 134, "86.7"),
}
SOURCE = "Démonstration — ordres de grandeur, pas des données officielles"


def load(command):
    this_year = timezone.now().year
    centres = {centre.code: centre for centre in Centre.objects.filter(code__in=FIGURES)}
    for year in range(this_year - 3, this_year):
        for code, (before, after, km) in FIGURES.items():
            if code not in centres:
                continue
            TerritoryFigures.objects.get_or_create(
                centre=centres[code],
                year=year,
                defaults={
                    "qpv_count": after if year >= 2024 else before,
                    "median_distance_km": Decimal(km),
                    "source": SOURCE,
                },
            )
    command.say(f"Données territoriales : {len(centres)} centres, {this_year - 3}–{this_year - 1}.")

"""Demo territory figures: each State-funded centre's QPV count and median distance for three years.

The overseas figures are the annex's published table; the metropolitan ones are plausible orders
of magnitude for each territory (regions count more QPV than a single département, large rural
regions have the longest distances), with the 2024 revision of the QPV list adding a few.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal.accounts.demo import DEMO_PASSWORD
from portal.accounts.roles import REGIONAL_CORRESPONDENTS
from portal.centres.models import Centre
from resources.taxonomy.models import Region

from .models import ActivityReport, Correspondent, DashboardPublication, ReportState, TerritoryFigures
from .reports import figures

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
    load_reports(command, centres, this_year)
    # The two earlier years are published (public summary, indicators API); the last one is not yet.
    for year in (this_year - 3, this_year - 2):
        DashboardPublication.objects.get_or_create(year=year)


# The last year's reports are at every step; earlier years are validated.
LAST_YEAR_STATES = [ReportState.DRAFT, ReportState.SUBMITTED, ReportState.REVIEWED, ReportState.VALIDATED]
OPINIONS = [
    "Un centre bien identifié par les acteurs du territoire ; la diffusion auprès des élus reste à renforcer.",
    "Une activité soutenue et diversifiée ; les productions écrites gagneraient à être plus nombreuses.",
    "Le centre a su mobiliser les habitants et les associations ; le lien avec les services de l'État est solide.",
]


def load_reports(command, centres, this_year):
    user, _created = get_user_model().objects.get_or_create(
        username="correspondant-aura", defaults={"email": "correspondant-aura@crpv.localhost"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=REGIONAL_CORRESPONDENTS))
    Correspondent.objects.get_or_create(user=user, region=Region.objects.get(code="84"))
    made = 0
    for rank, code in enumerate(sorted(centres)):
        centre = centres[code]
        for year in range(this_year - 3, this_year):
            state = LAST_YEAR_STATES[rank % 4] if year == this_year - 1 else ReportState.VALIDATED
            report, created = ActivityReport.objects.get_or_create(
                centre=centre, year=year, defaults=_entered(rank, year, centre.overseas)
            )
            if not created:
                continue
            made += 1
            if state != ReportState.DRAFT:
                moment = timezone.make_aware(datetime.datetime(year + 1, 3, 15))
                report.snapshot, report.state, report.submitted_at = figures(report), state, moment
                if state in (ReportState.REVIEWED, ReportState.VALIDATED):
                    report.regional_opinion, report.reviewed_at = OPINIONS[(rank + year) % 3], moment
                if state == ReportState.VALIDATED:
                    report.validated_at = moment
                report.save()
    command.say(f"Rapports d'activité : {made} créés ; compte correspondant-aura (Auvergne-Rhône-Alpes).")


def _entered(rank, year, overseas):
    """Plausible entered figures: a 4–7 FTE team, the State near half of the socle, a few services sold."""
    fte = Decimal(3 if overseas else 4 + rank % 4) + Decimal("0.5") * (year % 2)
    state = Decimal(123_500 if overseas else 144_000 + 36_000 * (rank % 4))
    others = [Decimal(60_000 + 5_000 * (rank % 5)), Decimal(15_000), Decimal(35_000 + 2_000 * rank), Decimal(12_000)]
    return {
        "fte_total": fte,
        "fte_socle": fte - Decimal("0.5"),
        "team_training_hours": 40 + 7 * rank,
        "team_training_people": 3 + rank % 4,
        "national_meetings": 2 + rank % 3,
        "state_socle": state,
        "regions_socle": others[0],
        "departements_socle": others[1],
        "communal_socle": others[2],
        "other_socle": others[3],
        "state_complementary": Decimal(0),
        "regions_complementary": Decimal(20_000 + 1_000 * rank),
        "departements_complementary": Decimal(5_000),
        "communal_complementary": Decimal(10_000),
        "other_complementary": Decimal(8_000 + 500 * rank),
        # One centre in five sells more services than the 20 % allowed: the grid shows a red cell.
        "competitive_revenue": Decimal(95_000 if rank % 5 == 0 else 18_000 + 1_000 * rank),
        "comments": "Année marquée par le renouvellement des contrats de ville et l'accueil de nouveaux partenaires.",
    }

"""Demo national programme over three years: chantiers, calls, participations, contributions under review.

Each centre joins two chantiers a year, except a few that join one (so the « ≥ 2 chantiers »
commitment is not met everywhere); each contributes its own published sheets or publications, in
every state of the review, with the national team's comments. Idempotent.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.centres.models import Centre
from resources.experiences.models import ExperienceSheetPage
from resources.publications.models import PublicationPage
from resources.taxonomy.models import Chantier

from .models import ChantierCall, Contribution, ContributionStatus, Participation, ReviewComment

DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def load(command):
    if Contribution.objects.exists():
        command.say("Programme national : déjà chargé.")
        return
    for code, title, year in DATA["chantiers_2024"]:
        Chantier.objects.get_or_create(code=code, defaults={"title": title, "year": year})
    chantiers = {chantier.code: chantier for chantier in Chantier.objects.exclude(year=None)}
    today = timezone.localdate()
    for code, (description, expected) in DATA["calls"].items():
        if code in chantiers:
            year = chantiers[code].year
            deadline = datetime.date(year, 10, 15) if year < today.year else today + datetime.timedelta(days=45)
            ChantierCall.objects.get_or_create(
                chantier=chantiers[code],
                defaults={"description": description, "expected_format": expected, "deadline": deadline},
            )
    reviewer = get_user_model().objects.filter(username="anct").first()
    by_year = {}
    for chantier in sorted(chantiers.values(), key=lambda c: c.code):
        by_year.setdefault(chantier.year, []).append(chantier)
    centres = list(Centre.objects.filter(state_funded=True).order_by("code"))
    contributions = 0
    for position, centre in enumerate(centres):
        pages = [
            *ExperienceSheetPage.objects.live().filter(centre=centre).order_by("slug"),
            *PublicationPage.objects.live().filter(centre=centre).order_by("slug"),
        ]
        for year_rank, (year, year_chantiers) in enumerate(sorted(by_year.items())):
            count = 1 if (position + year_rank) % 5 == 0 else 2
            joined = [year_chantiers[(position + offset) % len(year_chantiers)] for offset in range(count)]
            for chantier in joined:
                Participation.objects.get_or_create(
                    centre=centre, chantier=chantier, defaults={"joined_at": _aware(datetime.date(year, 2, 1))}
                )
            if year_rank < len(pages):
                page = pages[(year_rank + position) % len(pages)]
                contributions += _contribute(page, joined[0], centre, reviewer, year, today, position)
    command.say(f"Programme national : {len(chantiers)} chantiers, {contributions} contributions.")


def _contribute(page, chantier, centre, reviewer, year, today, position):
    if Contribution.objects.filter(chantier=chantier, page=page).exists():
        return 0
    submitted = min(datetime.date(year, 9, 1), today - datetime.timedelta(days=20))
    current = year >= today.year
    # Past years are decided (mostly accepted); this year's are still under review.
    status = (
        [ContributionStatus.SUBMITTED, ContributionStatus.CHANGES_REQUESTED][position % 2]
        if current
        else [ContributionStatus.ACCEPTED, ContributionStatus.ACCEPTED, ContributionStatus.CHANGES_REQUESTED][
            position % 3
        ]
    )
    contribution = Contribution.objects.create(
        chantier=chantier,
        centre=centre,
        page=page,
        status=status,
        submitted_at=_aware(submitted),
        decided_at=None if status == ContributionStatus.SUBMITTED else _aware(submitted + datetime.timedelta(days=12)),
    )
    if status != ContributionStatus.SUBMITTED:
        texts = DATA["review_comments"]["accepted" if status == ContributionStatus.ACCEPTED else "changes"]
        ReviewComment.objects.create(
            contribution=contribution,
            author=reviewer,
            status=status,
            text=texts[position % len(texts)],
            created_at=_aware(submitted + datetime.timedelta(days=12)),
        )
    return 1

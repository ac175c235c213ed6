"""A centre's annual figures, computed from what the portal records (SPEC §5), never typed twice.

`compute(year, centres)` returns one `dict` per centre under stable snake_case keys (documented in
docs/indicators.md). Each figure is one grouped query over all the centres asked for, so the number
of queries does not grow with centres (nor with events). A figure whose source the portal does not
record (yet) is `None` and listed under `not_available`, never a made-up zero.

What counts:
- activities (events and training cycles) that are published and took place as scheduled (a
  cancelled or postponed one did not happen), dated by their start in `year`;
- sheets and publications by the date of their first publication;
- registrations and attendance: the anonymous counts kept per activity and public category
  (they survive the erasure of the people);
- newsletter issues whose sending started in the year; subscribers: distinct addresses with a
  confirmed subscription to one of the centre's lists at the end of the year (national lists
  belong to no centre). An address erased at its owner's request is no longer counted.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Q, Sum
from django.utils import timezone

from network.events.models import (
    AttendanceCount,
    EventPage,
    EventType,
    PublicCategory,
    Status,
    TrainingCyclePage,
    TrainingSession,
)
from network.newsletters.delivery import ARCHIVED_STATES, IssueSend
from network.newsletters.models import Subscription
from network.programme.models import Contribution, ContributionStatus, Participation
from resources.experiences.models import ExperienceSheetPage
from resources.publications.models import PublicationPage
from resources.taxonomy.models import Chantier

from .commitments import evaluate

CATEGORIES = list(PublicCategory.values)


def _by_centre(queryset, field="centre_id", **aggregate):
    """{centre_id: value} of one grouped aggregate (`n` by default: a count)."""
    aggregate = aggregate or {"n": Count("pk")}
    (name,) = aggregate
    # order_by(): a model's default ordering would split the groups.
    return {row[field]: row[name] or 0 for row in queryset.order_by().values(field).annotate(**aggregate)}


def compute(year, centres):
    """[{centre, year, …figures}] for the given centres (a list of Centre), in their order."""
    ids = [centre.pk for centre in centres]
    events = EventPage.objects.live().filter(centre_id__in=ids, starts_at__year=year, status=Status.SCHEDULED)
    cycles = TrainingCyclePage.objects.live().filter(centre_id__in=ids, starts_at__year=year, status=Status.SCHEDULED)
    event_rows = list(events.values_list("pk", "centre_id", "event_type", "mission", "is_socle", "half_days"))
    cycle_rows = list(cycles.values_list("pk", "centre_id", "mission", "is_socle", "half_days"))
    activity_centre = {pk: centre for pk, centre, *_ in event_rows} | {pk: centre for pk, centre, *_ in cycle_rows}

    sessions = _by_centre(
        TrainingSession.objects.filter(
            page__centre_id__in=ids, page__live=True, page__status=Status.SCHEDULED, starts_at__year=year
        ),
        field="page__centre_id",
    )
    counts = defaultdict(lambda: {"registered": Counter(), "present": Counter()})
    attendance = (
        AttendanceCount.objects.filter(activity_id__in=list(activity_centre))
        .order_by()
        .values("activity_id", "public_category")
        .annotate(registered=Sum("registered"), present=Sum("present"))
    )
    for row in attendance:
        figures = counts[activity_centre[row["activity_id"]]]
        figures["registered"][row["public_category"]] += row["registered"]
        figures["present"][row["public_category"]] += row["present"]

    sheets = _by_centre(ExperienceSheetPage.objects.filter(centre_id__in=ids, first_published_at__year=year))
    publications = _by_centre(PublicationPage.objects.filter(centre_id__in=ids, first_published_at__year=year))
    issues_sent = _by_centre(
        IssueSend.objects.filter(issue__centre_id__in=ids, state__in=ARCHIVED_STATES, started_at__year=year),
        field="issue__centre_id",
    )
    subscribers = _by_centre(
        _subscribed_at(year_end(year)).filter(mailing_list__centre_id__in=ids),
        field="mailing_list__centre_id",
        n=Count("subscriber_id", distinct=True),
    )
    chantiers_open = Chantier.objects.filter(year=year).count()
    joined = _by_centre(Participation.objects.filter(centre_id__in=ids, chantier__year=year))
    contributions = {
        row["centre_id"]: row
        for row in Contribution.objects.filter(centre_id__in=ids, chantier__year=year)
        .order_by()
        .values("centre_id")
        .annotate(submitted=Count("pk"), accepted=Count("pk", filter=Q(status=ContributionStatus.ACCEPTED)))
    }

    events_of, cycles_of = defaultdict(list), defaultdict(list)
    for row in event_rows:
        events_of[row[1]].append(row)
    for row in cycle_rows:
        cycles_of[row[1]].append(row)
    results = []
    for centre in centres:
        mine_events, mine_cycles = events_of[centre.pk], cycles_of[centre.pk]
        by_type = Counter(row[2] for row in mine_events)
        by_mission = Counter(row[3] for row in mine_events) + Counter(row[2] for row in mine_cycles)
        socle = sum(1 for row in mine_events if row[4]) + sum(1 for row in mine_cycles if row[3])
        figures = {
            "centre": centre.code,
            "year": year,
            "events": len(mine_events),
            "events_by_type": {key: by_type.get(key, 0) for key in EventType.values},
            "events_socle": sum(1 for row in mine_events if row[4]),
            "training_cycles": len(mine_cycles),
            "training_sessions": sessions.get(centre.pk, 0) + by_type.get(EventType.TRAINING_SESSION, 0),
            "actions_by_mission": dict(sorted(by_mission.items())),
            "actions_socle": socle,
            "actions_hors_socle": len(mine_events) + len(mine_cycles) - socle,
            "half_days": float(sum(row[5] or 0 for row in mine_events) + sum(row[4] or 0 for row in mine_cycles)),
            "sessions_elus": by_type.get(EventType.ELECTED_OFFICIALS, 0),
            "registrations": {key: counts[centre.pk]["registered"].get(key, 0) for key in CATEGORIES},
            "attendance": {key: counts[centre.pk]["present"].get(key, 0) for key in CATEGORIES},
            "sheets_published": sheets.get(centre.pk, 0),
            "publications_published": publications.get(centre.pk, 0),
            "newsletters_sent": issues_sent.get(centre.pk, 0),
            "subscribers": subscribers.get(centre.pk, 0),
            "chantiers_open": chantiers_open,
            "chantiers_joined": joined.get(centre.pk, 0),
            "contributions_submitted": contributions.get(centre.pk, {}).get("submitted", 0),
            "contributions_accepted": contributions.get(centre.pk, {}).get("accepted", 0),
        }
        figures["not_available"] = [key for key, value in figures.items() if value is None]
        figures["commitments"] = evaluate(figures)
        results.append(figures)
    return results


def year_end(year):
    """The last instant of the year (Paris time)."""
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1)) - datetime.timedelta(microseconds=1)


def _subscribed_at(moment):
    """Subscriptions confirmed at `moment`: confirmed before it and not left by then."""
    return Subscription.objects.filter(confirmed_at__lte=moment).filter(
        Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gt=moment)
    )

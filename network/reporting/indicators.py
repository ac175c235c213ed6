"""A centre's annual figures, computed from what the portal records (SPEC §5), never typed twice.

`compute(year, centres)` returns one `dict` per centre under stable snake_case keys (documented in
docs/indicators.md); `compute_years(years, centres)` does the same for several years at once (the
dashboard's trends). Each figure is one query grouped by centre and year over everything asked
for, so the number of queries grows neither with centres, nor with years, nor with events. A
figure whose source the portal does not record is `None` and listed under `not_available`, never
a made-up zero.

What counts:
- activities (events and training cycles) that are published and took place as scheduled (a
  cancelled or postponed one did not happen), dated by their start;
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
from django.db.models.functions import ExtractYear
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


def _grouped(queryset, centre_field, date_field, years, **aggregate):
    """{(centre_id, year): value} of one aggregate (`n`: a count, by default) grouped by centre and year."""
    aggregate = aggregate or {"n": Count("pk")}
    (name,) = aggregate
    rows = (
        queryset.filter(**{f"{date_field}__year__in": years})
        .order_by()  # a model's default ordering would split the groups
        .annotate(year=ExtractYear(date_field))
        .values(centre_field, "year")
        .annotate(**aggregate)
    )
    return {(row[centre_field], row["year"]): row[name] or 0 for row in rows}


def compute(year, centres):
    """[{centre, year, …figures}] for the given centres (a list of Centre), in their order."""
    return compute_years([year], centres)


def compute_years(years, centres):
    """The figures of each centre for each year: a list ordered by year, then by the centres' order."""
    years, ids = sorted(set(years)), [centre.pk for centre in centres]
    activities = _activities(years, ids)
    sessions = _grouped(
        TrainingSession.objects.filter(page__centre_id__in=ids, page__live=True, page__status=Status.SCHEDULED),
        "page__centre_id",
        "starts_at",
        years,
    )
    people = _attendance(activities)
    sheets = _grouped(ExperienceSheetPage.objects.filter(centre_id__in=ids), "centre_id", "first_published_at", years)
    publications = _grouped(PublicationPage.objects.filter(centre_id__in=ids), "centre_id", "first_published_at", years)
    issues_sent = _grouped(
        IssueSend.objects.filter(issue__centre_id__in=ids, state__in=ARCHIVED_STATES),
        "issue__centre_id",
        "started_at",
        years,
    )
    subscribers = _subscribers(years, ids)
    chantiers_open = dict(
        Chantier.objects.filter(year__in=years)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    joined = {
        (row["centre_id"], row["chantier__year"]): row["n"]
        for row in Participation.objects.filter(centre_id__in=ids, chantier__year__in=years)
        .order_by()
        .values("centre_id", "chantier__year")
        .annotate(n=Count("pk"))
    }
    contributions = {
        (row["centre_id"], row["chantier__year"]): row
        for row in Contribution.objects.filter(centre_id__in=ids, chantier__year__in=years)
        .order_by()
        .values("centre_id", "chantier__year")
        .annotate(submitted=Count("pk"), accepted=Count("pk", filter=Q(status=ContributionStatus.ACCEPTED)))
    }

    results = []
    for year in years:
        for centre in centres:
            key = (centre.pk, year)
            events, cycles = activities["events"][key], activities["cycles"][key]
            by_type = Counter(row["event_type"] for row in events)
            by_mission = Counter(row["mission"] for row in events + cycles)
            socle = sum(1 for row in events + cycles if row["is_socle"])
            figures = {
                "centre": centre.code,
                "year": year,
                "events": len(events),
                "events_by_type": {value: by_type.get(value, 0) for value in EventType.values},
                "events_socle": sum(1 for row in events if row["is_socle"]),
                "training_cycles": len(cycles),
                "training_sessions": sessions.get(key, 0) + by_type.get(EventType.TRAINING_SESSION, 0),
                "actions_by_mission": dict(sorted(by_mission.items())),
                "actions_socle": socle,
                "actions_hors_socle": len(events) + len(cycles) - socle,
                "half_days": float(sum(row["half_days"] or 0 for row in events + cycles)),
                "sessions_elus": by_type.get(EventType.ELECTED_OFFICIALS, 0),
                "registrations": {value: people[key]["registered"].get(value, 0) for value in CATEGORIES},
                "attendance": {value: people[key]["present"].get(value, 0) for value in CATEGORIES},
                "sheets_published": sheets.get(key, 0),
                "publications_published": publications.get(key, 0),
                "newsletters_sent": issues_sent.get(key, 0),
                "subscribers": subscribers.get(key, 0),
                "chantiers_open": chantiers_open.get(year, 0),
                "chantiers_joined": joined.get(key, 0),
                "contributions_submitted": contributions.get(key, {}).get("submitted", 0),
                "contributions_accepted": contributions.get(key, {}).get("accepted", 0),
            }
            figures["not_available"] = [name for name, value in figures.items() if value is None]
            figures["commitments"] = evaluate(figures)
            results.append(figures)
    return results


def _activities(years, ids):
    """{"events"|"cycles": {(centre_id, year): [rows]}, "by_pk": {pk: (centre_id, year)}}: two queries."""
    fields = ("pk", "centre_id", "mission", "is_socle", "half_days", "year")
    found = {"events": defaultdict(list), "cycles": defaultdict(list), "by_pk": {}}
    for kind, model, extra in (("events", EventPage, ("event_type",)), ("cycles", TrainingCyclePage, ())):
        rows = (
            model.objects.live()
            .filter(centre_id__in=ids, starts_at__year__in=years, status=Status.SCHEDULED)
            .annotate(year=ExtractYear("starts_at"))
            .values(*fields, *extra)
        )
        for row in rows:
            found[kind][(row["centre_id"], row["year"])].append(row)
            found["by_pk"][row["pk"]] = (row["centre_id"], row["year"])
    return found


def _attendance(activities):
    """{(centre_id, year): {"registered": Counter, "present": Counter}} from the anonymous counts."""
    people = defaultdict(lambda: {"registered": Counter(), "present": Counter()})
    rows = (
        AttendanceCount.objects.filter(activity_id__in=list(activities["by_pk"]))
        .order_by()
        .values("activity_id", "public_category")
        .annotate(registered=Sum("registered"), present=Sum("present"))
    )
    for row in rows:
        figures = people[activities["by_pk"][row["activity_id"]]]
        figures["registered"][row["public_category"]] += row["registered"]
        figures["present"][row["public_category"]] += row["present"]
    return people


def year_end(year):
    """The last instant of the year (Paris time)."""
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1)) - datetime.timedelta(microseconds=1)


def _subscribers(years, ids):
    """{(centre_id, year): distinct addresses confirmed on the centre's lists at the year's end}: one query."""
    ends = {year: year_end(year) for year in years}
    rows = (
        Subscription.objects.filter(mailing_list__centre_id__in=ids, confirmed_at__lte=ends[years[-1]])
        .order_by()
        .values_list("mailing_list__centre_id", "subscriber_id", "confirmed_at", "unsubscribed_at")
    )
    present = defaultdict(set)
    for centre_id, subscriber_id, confirmed_at, unsubscribed_at in rows:
        for year, end in ends.items():
            if confirmed_at <= end and (unsubscribed_at is None or unsubscribed_at > end):
                present[(centre_id, year)].add(subscriber_id)
    return {key: len(addresses) for key, addresses in present.items()}


def flatten(figures, prefix=""):
    """One level of dotted keys (`registrations.elu`, `commitments.x.state`), for CSV and spreadsheets."""
    flat = {}
    for key, value in figures.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = " ".join(value)
        else:
            flat[name] = "" if value is None else value
    return flat

"""Annual indicators computed from the portal, checked against counts built independently here."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.events.models import Registration
from network.events.services import refresh_counts, register
from network.newsletters.delivery import IssueSend, SendState
from network.newsletters.models import Subscription
from network.programme.models import Contribution, ContributionStatus, Participation
from network.reporting.indicators import compute, compute_years
from portal.centres.models import Centre
from resources.experiences.models import ExperienceSheetPage
from resources.publications.models import PublicationPage
from resources.taxonomy.models import Chantier
from tests.network.factories import at, make_cycle, make_event
from tests.network.newsletter_helpers import make_issue, make_list, subscribe

YEAR = 2034  # no demo content is dated then: every figure below comes from this test


@pytest.fixture
def activity(demo_content):
    centre = Centre.objects.get(code="labo-cites")
    elus = make_event(
        "labo-cites", "Séance élus 2034", start=at(YEAR, 3, 14), event_type="seance-elus", half_days=Decimal("1")
    )
    webinar = make_event(
        "labo-cites",
        "Webinaire commandé",
        start=at(YEAR, 4, 2),
        event_type="webinaire",
        single_institution_order=True,
        half_days=Decimal("0.5"),
    )
    make_event("labo-cites", "Rencontre annulée", start=at(YEAR, 5, 2), status="cancelled", half_days=Decimal("1"))
    make_event("labo-cites", "Rencontre de l'an d'avant", start=at(YEAR - 1, 12, 31, 10), half_days=Decimal("1"))
    cycle = make_cycle(
        "labo-cites",
        "Cycle 2034",
        sessions=[(at(YEAR, 6, 1), at(YEAR, 6, 1, 17)), (at(YEAR, 7, 1), at(YEAR, 7, 1, 17))],
        half_days=Decimal("4"),
    )
    people = [("elu", "present"), ("elu", "absent"), ("habitant", "present"), ("association", "present")]
    for number, (category, attendance) in enumerate(people):
        registration, _ = register(
            elus, name=f"P{number}", email=f"p{number}@example.org", organisation="Ville", public_category=category
        )
        Registration.objects.filter(pk=registration.pk).update(attendance=attendance)
    register(cycle, name="Q", email="q@example.org", organisation="Centre social", public_category="bailleur")
    refresh_counts(elus.pk)
    refresh_counts(cycle.pk)
    sheets = list(ExperienceSheetPage.objects.live().filter(centre=centre)[:2])
    ExperienceSheetPage.objects.filter(pk__in=[s.pk for s in sheets]).update(first_published_at=at(YEAR, 2, 1))
    publication = PublicationPage.objects.live().filter(centre=centre).first()
    PublicationPage.objects.filter(pk=publication.pk).update(first_published_at=at(YEAR, 9, 1))
    first, _second = (Chantier.objects.create(code=f"ind-{n}", title=f"Chantier {n}", year=YEAR) for n in (1, 2))
    Participation.objects.create(centre=centre, chantier=first)
    Contribution.objects.create(chantier=first, centre=centre, page=sheets[0], status=ContributionStatus.ACCEPTED)
    # Newsletters: two addresses confirmed on the centre's list during the year, one gone before its end;
    # one issue sent in the year, one still a draft.
    demo_subscribers = (
        Subscription.objects.filter(mailing_list__centre=centre, status="confirmed")
        .values("subscriber_id")
        .distinct()
        .count()
    )
    mailing_list = make_list("labo-cites")
    for address, unsubscribed in (("a@example.org", None), ("b@example.org", at(YEAR, 6, 1))):
        subscription = subscribe(address, mailing_list).subscriptions.get()
        Subscription.objects.filter(pk=subscription.pk).update(
            confirmed_at=at(YEAR, 1, 10), unsubscribed_at=unsubscribed
        )
    sent, _draft = make_issue("labo-cites", [mailing_list]), make_issue("labo-cites", [mailing_list])
    IssueSend.objects.create(issue=sent, state=SendState.SENT, started_at=at(YEAR, 3, 1), finished_at=at(YEAR, 3, 1))
    return {"centre": centre, "webinar": webinar, "sheets": len(sheets), "demo_subscribers": demo_subscribers}


def test_every_figure_matches_what_was_recorded(activity):
    (figures,) = compute(YEAR, [activity["centre"]])
    assert figures["events"] == 2  # the cancelled one and last year's do not count
    assert figures["events_by_type"]["seance-elus"] == 1 and figures["events_by_type"]["webinaire"] == 1
    assert figures["events_socle"] == 1  # the webinar is a single institution's order
    assert figures["training_cycles"] == 1 and figures["training_sessions"] == 2
    assert figures["actions_socle"] == 2 and figures["actions_hors_socle"] == 1
    assert figures["actions_by_mission"] == {"animation": 2, "competences": 1}
    assert figures["half_days"] == 5.5
    assert figures["sessions_elus"] == 1
    assert figures["registrations"] == {
        "elu": 2, "etat": 0, "collectivite": 0, "association": 1, "bailleur": 1,
        "acteur_economique": 0, "habitant": 1, "autre": 0,
    }  # fmt: skip
    assert figures["attendance"]["elu"] == 1 and sum(figures["attendance"].values()) == 3
    assert (figures["sheets_published"], figures["publications_published"]) == (activity["sheets"], 1)
    assert (figures["chantiers_open"], figures["chantiers_joined"]) == (2, 1)
    assert (figures["contributions_submitted"], figures["contributions_accepted"]) == (1, 1)
    # Subscribed at the end of 2034: the demo's confirmed addresses, and "a" (b left in June).
    assert (figures["newsletters_sent"], figures["subscribers"]) == (1, activity["demo_subscribers"] + 1)
    assert figures["not_available"] == []
    commitments = figures["commitments"]
    assert commitments["formalised_production"] == {"state": "met", "value": activity["sheets"] + 1}
    assert commitments["elected_officials_session"] == {"state": "met", "value": 1}
    assert commitments["diversity_of_publics"] == {"state": "not_met", "value": 3}
    assert commitments["national_programme"] == {"state": "not_met", "value": 1}
    assert commitments["active_diffusion"] == {"state": "met", "value": 1}
    assert commitments["state_share_of_socle"]["state"] == "not_available"


def test_a_centre_with_nothing_recorded(demo_content):
    (figures,) = compute(YEAR, [Centre.objects.get(code="irev")])
    assert figures["events"] == 0 and figures["commitments"]["formalised_production"]["state"] == "not_met"
    assert figures["commitments"]["diversity_of_publics"]["state"] == "not_applicable"
    assert figures["commitments"]["national_programme"]["state"] == "not_applicable"  # no chantier in 2034


def test_queries_do_not_grow_with_centres_years_or_events(activity):
    centres = list(Centre.objects.order_by("code"))
    with CaptureQueriesContext(connection) as one:
        compute(YEAR, [activity["centre"]])
    make_event("irev", "Encore une", start=at(YEAR, 10, 1))
    with CaptureQueriesContext(connection) as every:
        rows = compute_years(range(YEAR - 9, YEAR + 1), centres)
    assert len(every) == len(one) <= 12
    assert len(rows) == 10 * len(centres)


def test_several_years_at_once_match_one_year_at_a_time(activity):
    centre = activity["centre"]
    both = compute_years([YEAR - 1, YEAR], [centre])
    assert [row["year"] for row in both] == [YEAR - 1, YEAR]
    assert both[0]["events"] == 1  # « Rencontre de l'an d'avant »
    assert both == compute(YEAR - 1, [centre]) + compute(YEAR, [centre])


def test_export_command_json_and_csv(activity, tmp_path):
    output = tmp_path / "indicators.json"
    call_command("indicators", "export", "--year", str(YEAR), "--format", "json", "--output", str(output))
    rows = json.loads(output.read_text(encoding="utf-8"))
    assert len(rows) == Centre.objects.count()
    mine = next(row for row in rows if row["centre"] == "labo-cites")
    assert mine["events"] == 2 and mine["commitments"]["formalised_production"]["state"] == "met"
    csv_path = tmp_path / "indicators.csv"
    call_command("indicators", "export", "--year", str(YEAR), "--centre", "labo-cites", "--format", "csv",
                 "--output", str(csv_path))  # fmt: skip
    header, line = csv_path.read_text(encoding="utf-8-sig").splitlines()
    values = dict(zip(header.split(";"), line.split(";"), strict=True))
    assert values["registrations.elu"] == "2" and values["commitments.national_programme.state"] == "not_met"

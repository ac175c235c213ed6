"""Annual activity reports: snapshot on submission, states, who sees what, commitments on entered budgets."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from network.reporting import reports
from network.reporting.models import ActivityReport, Correspondent, ReportState
from portal.accounts.roles import NATIONAL_ADMINS, REGIONAL_CORRESPONDENTS
from portal.centres.models import Centre
from resources.taxonomy.models import Region
from tests.network.factories import at, make_event
from tests.users import make_user

YEAR = 2035


@pytest.fixture
def world(demo_content):
    a, b = Centre.objects.get(code="labo-cites"), Centre.objects.get(code="irev")
    correspondent = make_user("corr-aura", Group.objects.get(name=REGIONAL_CORRESPONDENTS))
    Correspondent.objects.create(user=correspondent, region=Region.objects.get(code="84"))  # Auvergne-Rhône-Alpes
    entered = {"fte_total": Decimal("5.5"), "fte_socle": Decimal("4"), "state_socle": Decimal("150000")}
    return {
        "a": a,
        "report_a": ActivityReport.objects.create(centre=a, year=YEAR, **entered),
        "report_b": ActivityReport.objects.create(centre=b, year=YEAR, **entered),
        "staff_a": make_user("rep-a", a.moderators_group),
        "staff_b": make_user("rep-b", b.moderators_group),
        "correspondent": correspondent,
        "national": make_user("rep-nat", Group.objects.get(name=NATIONAL_ADMINS)),
    }


def test_submission_freezes_the_computed_figures(world):
    report = world["report_a"]
    make_event("labo-cites", "Rencontre 2035", start=at(YEAR, 3, 3))
    assert reports.figures(report)["events"] == 1
    reports.submit(report, world["staff_a"])
    make_event("labo-cites", "Rencontre ajoutée après", start=at(YEAR, 4, 4))
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert reports.figures(report)["events"] == 1  # the snapshot, not the live count (now 2)
    with pytest.raises(reports.ReportError, match="déjà été transmis"):
        reports.submit(report, world["staff_a"])
    reports.send_back(report, world["national"], "Complétez les commentaires.")
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and reports.figures(report)["events"] == 2


def test_submission_needs_the_entered_essentials(world):
    report = world["report_a"]
    ActivityReport.objects.filter(pk=report.pk).update(fte_socle=None, state_socle=None)
    with pytest.raises(reports.ReportError, match="complétez : les ETP sur le socle, le financement de l'État"):
        reports.submit(report, world["staff_a"])
    with pytest.raises(reports.ReportError, match="Seule l'équipe du centre"):
        reports.submit(world["report_b"], world["staff_a"])


def test_states_in_order_and_in_the_audit_log(world):
    report = world["report_a"]
    with pytest.raises(reports.ReportError, match="après l'avis régional"):
        reports.validate(report, world["national"])
    reports.submit(report, world["staff_a"])
    with pytest.raises(reports.ReportError, match="Seul le correspondant régional"):
        reports.give_opinion(report, world["staff_a"], "Très bien")
    with pytest.raises(reports.ReportError, match="Seul le correspondant régional"):
        reports.give_opinion(world["report_b"], world["correspondent"], "Pas ma région")
    reports.give_opinion(report, world["correspondent"], "Un centre actif, une diffusion à renforcer.")
    with pytest.raises(reports.ReportError, match="Seule l'équipe nationale"):
        reports.validate(report, world["staff_a"])
    reports.validate(report, world["national"])
    report.refresh_from_db()
    assert report.state == ReportState.VALIDATED and report.regional_opinion.startswith("Un centre actif")
    actions = list(ModelLogEntry.objects.for_instance(report).order_by("timestamp").values_list("action", flat=True))
    assert actions == ["reporting.submit", "reporting.review", "reporting.validate"]


def test_who_sees_which_report(client, world):
    reports.submit(world["report_a"], world["staff_a"])
    visible = {user: set(reports.visible_reports(world[user]).filter(year=YEAR)) for user in ("staff_a", "staff_b")}
    assert visible["staff_a"] == {world["report_a"]}
    assert visible["staff_b"] == {world["report_b"]}
    assert set(reports.visible_reports(world["correspondent"]).filter(year=YEAR)) == {world["report_a"]}
    assert set(reports.visible_reports(world["national"]).filter(year=YEAR)) == {world["report_a"], world["report_b"]}
    # The admin pages follow: another centre's report is not found, a draft is hidden from the region.
    client.force_login(world["staff_b"])
    assert client.get(f"/admin/rapports/{world['report_a'].pk}/").status_code == 404
    client.force_login(world["correspondent"])
    assert client.get(f"/admin/rapports/{world['report_a'].pk}/").status_code == 200
    assert client.get(f"/admin/rapports/{world['report_b'].pk}/").status_code == 404
    client.force_login(world["staff_a"])
    response = client.post(f"/admin/rapports/{world['report_b'].pk}/", {"action": "submit"})
    assert response.status_code == 404
    world["report_b"].refresh_from_db()
    assert world["report_b"].state == ReportState.DRAFT


def test_budget_commitments_from_entered_figures(client, world):
    report = world["report_a"]
    budget = {"regions_socle": 60000, "departements_socle": 20000, "communal_socle": 40000, "other_socle": 10000}
    complementary = {f"{key}_complementary": 5000 for key in ("state", "regions", "departements", "communal", "other")}
    ActivityReport.objects.filter(pk=report.pk).update(**budget, **complementary, competitive_revenue=40000)
    report.refresh_from_db()
    commitments = reports.figures(report)["commitments"]
    # State 150 000 of a 280 000 € socle; competitive 40 000 of 305 000 €.
    assert commitments["state_share_of_socle"] == {"state": "met", "value": 0.536}
    assert commitments["competitive_services_share"] == {"state": "met", "value": 0.131}
    client.force_login(world["staff_a"])
    response = client.post(
        f"/admin/rapports/{report.pk}/", {"action": "save", "fte_total": "-1", "fte_socle": "4", "comments": ""}
    )
    assert "erreurs" in response.content.decode()
    report.refresh_from_db()
    assert report.fte_total == Decimal("5.5")


def test_export_and_api_use_the_report(world, tmp_path):
    import json

    from django.core.management import call_command

    output = tmp_path / "indicators.json"
    call_command("indicators", "export", "--year", str(YEAR), "--centre", "labo-cites", "--output", str(output))
    (row,) = json.loads(output.read_text(encoding="utf-8"))
    # The draft report has the State's 150 000 € but not the other funders: the share is unknown.
    assert row["commitments"]["state_share_of_socle"]["state"] == "not_available"  # other funders not entered
    ActivityReport.objects.filter(pk=world["report_a"].pk).update(
        regions_socle=160000, departements_socle=0, communal_socle=50000, other_socle=0
    )
    call_command("indicators", "export", "--year", str(YEAR), "--centre", "labo-cites", "--output", str(output))
    (row,) = json.loads(output.read_text(encoding="utf-8"))
    # 150 000 of a 360 000 € socle: below half.
    assert row["commitments"]["state_share_of_socle"] == {"state": "not_met", "value": 0.417}

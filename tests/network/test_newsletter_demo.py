"""The demo issues, loaded for the test session: sent ones with a public archive, one draft per centre."""

import pytest

from network.newsletters.delivery import Delivery, IssueSend, SendState
from network.newsletters.issues import NewsletterIssuePage
from portal.centres.models import Centre

pytestmark = pytest.mark.django_db


def test_every_centre_has_three_sent_issues_with_public_archive_and_one_draft(demo_content, client):
    for centre in Centre.objects.all():
        issues = NewsletterIssuePage.objects.filter(centre=centre)
        sent = issues.filter(send_record__state=SendState.SENT)
        assert sent.count() == 3, centre.code
        assert issues.filter(live=False, send_record__isnull=True).count() == 1, centre.code
        for issue in sent:
            assert issue.live and issue.first_published_at < issue.send_record.finished_at
            assert client.get(issue.url).status_code == 200
        draft = issues.get(slug="lettre-en-preparation")
        assert client.get(f"/centres/{draft.get_parent().slug}/{draft.slug}/").status_code == 404


def test_demo_issues_name_their_own_centre_content_and_are_distinct(demo_content):
    issues = list(NewsletterIssuePage.objects.all())
    assert len({issue.subject for issue in issues}) == len(issues)
    assert len({issue.intro for issue in issues}) == len(issues)
    for issue in issues:
        referenced = [block.value["page"] for block in issue.body if block.block_type == "item"]
        assert referenced and all(page.specific.centre_id == issue.centre_id for page in referenced)


def test_sent_demo_issues_keep_counts_without_delivery_rows(demo_content):
    records = IssueSend.objects.filter(state=SendState.SENT)
    assert records and all(r.recipients_count == r.sent_count + r.failed_count for r in records)
    assert not Delivery.objects.filter(issue__in=[r.issue_id for r in records]).exists()

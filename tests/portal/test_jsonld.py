"""The JSON-LD helper every page type uses (sheets and publications today, events later)."""

import datetime
import json
import re

import pytest

from portal.core import jsonld

pytestmark = pytest.mark.django_db


def test_describe_builds_any_schema_org_type_with_its_centre_as_publisher(portal_tree):
    centre = portal_tree["irev"]
    data = jsonld.describe(
        "Event",
        centre=centre,
        name="Rencontre régionale",
        startDate=datetime.datetime(2026, 3, 12, 9, 30, tzinfo=datetime.UTC),
        endDate=datetime.date(2026, 3, 13),
        location={"@type": "Place", "name": "Lille", "address": ""},
        description="",
        keywords=[],
    )
    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "Rencontre régionale",
        "publisher": {"@type": "Organization", "name": centre.name, "url": centre.page.get_full_url()},
        "startDate": "2026-03-12T09:30:00Z",
        "endDate": "2026-03-13",
        "location": {"@type": "Place", "name": "Lille"},
    }


def test_script_cannot_be_closed_by_a_value():
    markup = jsonld.script({"name": "</script><script>alert(1)</script> & <b>"})
    assert markup.count("</script>") == 1 and markup.startswith('<script type="application/ld+json">')
    payload = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', markup, re.S).group(1)
    assert json.loads(payload)["name"] == "</script><script>alert(1)</script> & <b>"

import os

import pytest
from django.core.management import call_command


@pytest.fixture
def portal_tree(db):
    """Home page, every reference centre with its section and collection, and the role groups."""
    from portal.accounts.roles import sync_roles
    from portal.centres.models import Centre
    from portal.centres.services import sync_centres

    sync_centres()
    sync_roles()
    return {centre.code: centre for centre in Centre.objects.all()}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo content once per session; each test then runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)  # the database cache, as in production
        call_command("load_demo_data", verbosity=0)


@pytest.fixture
def demo_content(db):
    """The demo content loaded for the session (explicit name for tests that read it)."""


@pytest.fixture(scope="session")
def opensearch_url():
    """The node started by `make test`. Never skipped: an integration test without its node fails."""
    url = os.environ.get("OPENSEARCH_URL")
    if not url:
        pytest.fail("OPENSEARCH_URL is not set: run the suite with `make test`, which starts an OpenSearch node.")
    return url.rstrip("/")

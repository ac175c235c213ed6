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


@pytest.fixture
def committed_demo_content(transactional_db):
    """The demo content, committed, for tests whose threads or processes use their own connections.

    pytest-django empties the database after each transactional test (and runs them after the
    others); the next one finds it empty and rebuilds what Wagtail's migrations and the demo create.
    """
    from wagtail.models import Collection, Locale, Page, Site

    if Site.objects.filter(is_default_site=True).exists():
        return
    Locale.objects.get_or_create(language_code="fr")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=Page(title="Accueil", slug="home"))
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    call_command("createcachetable", verbosity=0)
    call_command("load_demo_data", verbosity=0)

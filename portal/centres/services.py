"""Centre bootstrap shared by commands, the demo loader and tests.

Every function is idempotent: running it twice changes nothing the first run made,
and it never overwrites what staff later edited in the admin.
"""

import json
from pathlib import Path

from django.db import transaction
from wagtail.models import Collection

from portal.core.services import ensure_home_page

from .models import Centre, CentrePage, CentresIndexPage

CENTRES_FILE = Path(__file__).parent / "data" / "centres.json"


def reference_centres():
    return json.loads(CENTRES_FILE.read_text(encoding="utf-8"))


@transaction.atomic
def ensure_centres_index(home=None):
    index = CentresIndexPage.objects.first()
    if index:
        return index
    home = home or ensure_home_page()
    return home.add_child(
        instance=CentresIndexPage(
            title="Les centres de ressources",
            slug="centres",
            show_in_menus=True,
            intro="Une vingtaine de centres, un par région (un par département en Île-de-France), cinq outre-mer.",
        )
    )


@transaction.atomic
def ensure_centre(data, index):
    """Reference record, collection and section page for one centre."""
    defaults = {k: v for k, v in data.items() if k != "code"}
    centre, _created = Centre.objects.get_or_create(code=data["code"], defaults=defaults)
    if centre.collection_id is None:
        root_collection = Collection.get_first_root_node()
        centre.collection = root_collection.add_child(name=centre.name)
        centre.save(update_fields=["collection"])
    if not CentrePage.objects.filter(centre=centre).exists():
        index.add_child(instance=CentrePage(title=centre.name, slug=centre.code, centre=centre))
    return centre


def sync_centres(progress=None):
    """Create every reference centre with its section; returns the centres in file order."""
    index = ensure_centres_index()
    centres = []
    for data in reference_centres():
        centres.append(ensure_centre(data, index))
        if progress:
            progress()
    return centres

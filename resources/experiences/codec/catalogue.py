"""The reference data a batch of sheets is checked against and written with."""

from django.utils.translation import gettext_noop

from portal.centres.models import Centre, CentrePage
from resources.taxonomy.models import Chantier, Departement, Pillar, Public, Region, Theme, TransversalAxis

from ..models import ExperienceSheetPage


class Catalogue:
    """Everything a batch of sheets is checked against, loaded once per import (small tables)."""

    TERMS = {
        "pillars": (Pillar, gettext_noop("pilier inconnu « %(value)s »")),
        "transversal_axes": (TransversalAxis, gettext_noop("axe transversal inconnu « %(value)s »")),
        "themes": (Theme, gettext_noop("thème inconnu « %(value)s »")),
        "publics": (Public, gettext_noop("public inconnu « %(value)s »")),
    }

    def __init__(self):
        self.centres = {centre.code: centre for centre in Centre.objects.all()}
        self.sections = {page.centre_id: page for page in CentrePage.objects.all()}
        self.terms = {key: {t.slug: t for t in model.objects.all()} for key, (model, _msg) in self.TERMS.items()}
        self.regions = {region.code: region for region in Region.objects.all()}
        self.departements = {d.code: d for d in Departement.objects.select_related("region")}
        self.chantiers = {chantier.code: chantier for chantier in Chantier.objects.all()}
        self.existing = {}  # uuid string → (page id, centre code)

    def load_existing(self, ids):
        ids = [i for i in ids if i]
        for start in range(0, len(ids), 1000):
            rows = ExperienceSheetPage.objects.filter(uuid__in=ids[start : start + 1000]).values_list(
                "uuid", "pk", "centre__code"
            )
            self.existing.update({str(u): (pk, code) for u, pk, code in rows})

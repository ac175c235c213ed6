"""Insert N realistic, published experience sheets straight into PostgreSQL, for search benchmarks.

    export $(PG_STATE_DIR=/tmp/pg-bench scripts/postgres start)
    DJANGO_SETTINGS_MODULE=portal.settings.dev DEBUG=false .venv/bin/python manage.py migrate
    DJANGO_SETTINGS_MODULE=portal.settings.dev DEBUG=false .venv/bin/python manage.py load_demo_data
    .venv/bin/python bench/seed_sheets.py --count 100000          # replaces an earlier bench seed
    .venv/bin/python bench/seed_sheets.py --count 200 --check     # small seed, then render and index a few
    .venv/bin/python bench/seed_sheets.py --clear                 # remove the bench sheets only

Creating 100 000 pages through Wagtail's `add_child` (one tree lock, one save, signals and a
revision per page) would take hours; this writes the rows itself, in one transaction, with
PostgreSQL COPY: `wagtailcore_page` (materialised paths computed here under each centre's
CentrePage: `Page.steplen` = 4, treebeard's base-36 alphabet; parents' `numchild` updated),
`experiences_experiencesheetpage`, the four taxonomy M2M tables, tags, communes, QPV,
partners, funders, documents and links. Pages are live, public, with first/last publication
dates, `url_path`, content type, locale, draft title and translation key set, so that
`ExperienceSheetPage.objects.live().public()` finds them, `page.url` and `page.serve` work
and `search.indexing.document_for(page)` builds their document. No revision, no reference
index, no search entry: indexing is what the benchmark measures.

Text: `generate_sheets.generate_sheet` (the import benchmark's generator: French prose,
territories of the centre's region, managed vocabularies) plus a paragraph per theme with
the field's acronyms (ASL, QPV, PRE, NPNRU…). Seeded: the same seed gives the same sheets.
Bench sheets are marked by their slug prefix `bench-`; `--clear` removes them and nothing else.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

SLUG_PREFIX = "bench-"

# One or two sentences per theme, with the acronyms and words people search for.
THEME_SENTENCES = {
    "education": [
        "Le programme de réussite éducative (PRE) accompagne les enfants repérés par l'équipe pluridisciplinaire.",
        "Les collégiens du réseau d'éducation prioritaire (REP) bénéficient d'un accompagnement à la scolarité.",
        "La cité éducative fédère l'école, les familles et les associations autour du décrochage scolaire.",
    ],
    "sante": [
        "Le contrat local de santé (CLS) finance des ateliers de prévention et un médiateur santé.",
        "Le conseil local de santé mentale (CLSM) réunit psychiatres, bailleurs et élus.",
        "Un bilan bucco-dentaire et un dépistage de la vue ont été proposés aux enfants du quartier.",
    ],
    "emploi": [
        "Un job dating au pied des immeubles a rapproché les employeurs et les demandeurs d'emploi.",
        "Les jeunes éloignés de l'emploi sont accompagnés vers la formation et l'alternance.",
    ],
    "insertion": [
        "Des ateliers sociolinguistiques (ASL) permettent aux adultes d'apprendre le français du quotidien.",
        "Le chantier d'insertion emploie des habitants en contrat aidé pour rénover les halls.",
    ],
    "habitat": [
        "La lutte contre l'habitat indigne s'appuie sur des visites conjointes avec le bailleur.",
        "L'abattement de la taxe foncière sur les propriétés bâties (TFPB) finance la présence de gardiens.",
    ],
    "peuplement": [
        "La conférence intercommunale du logement fixe des objectifs de mixité sociale dans les attributions.",
    ],
    "renouvellement-urbain": [
        "Le projet s'inscrit dans le nouveau programme national de renouvellement urbain (NPNRU) piloté par l'ANRU.",
        "La démolition de la barre a été précédée d'un travail de mémoire avec les anciens locataires.",
    ],
    "gestion-urbaine-proximite": [
        "La gestion urbaine de proximité (GUP) organise des diagnostics en marchant avec les habitants.",
        "Les encombrants et la propreté des espaces extérieurs sont suivis chaque mois.",
    ],
    "tranquillite-publique": [
        "Le conseil local de sécurité et de prévention de la délinquance (CLSPD) coordonne les médiateurs.",
        "La médiation sociale de nuit apaise les conflits d'usage dans l'espace public.",
    ],
    "culture": [
        "Une résidence artistique a produit une fresque et un spectacle avec les habitants.",
        "La médiathèque propose des lectures hors les murs au pied des tours.",
    ],
    "sport": [
        "Le sport au féminin attire désormais autant de filles que de garçons au city stade.",
        "Les éducateurs sportifs utilisent le football comme support d'insertion.",
    ],
    "numerique": [
        "Des conseillers numériques aident les habitants dans leurs démarches en ligne.",
        "La fracture numérique touche particulièrement les seniors et les familles monoparentales.",
    ],
    "mobilite": [
        "Une auto-école sociale et des vélos en prêt lèvent les freins à la mobilité.",
    ],
    "developpement-economique": [
        "Une couveuse d'entreprises accompagne les créateurs du quartier, avec un microcrédit de l'ADIE.",
        "Les commerces de proximité ont été soutenus par le fonds de revitalisation.",
    ],
    "participation-habitants": [
        "Le conseil citoyen a co-construit le projet avec les services de la ville.",
        "Un budget participatif a permis aux habitants de choisir trois projets.",
    ],
    "acces-aux-droits": [
        "Une permanence d'accès aux droits lutte contre le non-recours aux prestations sociales.",
        "Les adultes relais accompagnent les familles dans leurs démarches auprès de la CAF.",
    ],
    "petite-enfance": [
        "Une crèche à vocation d'insertion professionnelle accueille les enfants de parents en formation.",
    ],
    "parentalite": [
        "Les cafés des parents soutiennent la parentalité et le lien entre familles et école.",
    ],
    "alimentation": [
        "Les jardins partagés et l'épicerie solidaire favorisent une alimentation saine et durable.",
    ],
    "transition-ecologique": [
        "La rénovation énergétique et la végétalisation des cours réduisent les îlots de chaleur.",
        "Un composteur collectif et des ateliers de réparation limitent les déchets.",
    ],
    "fonds-europeens": [
        "Le Fonds social européen (FSE+) et le FEDER cofinancent l'action (investissement territorial intégré).",
    ],
}
THEMED_TITLES = {
    "insertion": "Des ateliers sociolinguistiques (ASL)",
    "education": "Un programme de réussite éducative",
    "renouvellement-urbain": "Une maison du projet NPNRU",
    "gestion-urbaine-proximite": "Un diagnostic en marchant dans un QPV",
    "tranquillite-publique": "Une équipe de médiation sociale",
    "sante": "Un contrat local de santé",
    "participation-habitants": "Un budget participatif",
    "numerique": "Des conseillers numériques",
}
PAGE_COLUMNS = [
    "id", "path", "depth", "numchild", "title", "slug", "live", "has_unpublished_changes", "url_path", "seo_title",
    "show_in_menus", "search_description", "expired", "content_type_id", "locked", "latest_revision_created_at",
    "first_published_at", "last_published_at", "draft_title", "translation_key", "locale_id",
]  # fmt: skip
SHEET_COLUMNS = [
    "page_ptr_id", "uuid", "summary", "author", "written_on", "period_start", "period_end", "period_ongoing",
    "status", "epci", "hors_qpv", "porteur_name", "porteur_type", "budget_eur",
    "context", "objectives", "description", "means", "results", "success_factors", "difficulties",
    "transferability", "outlook",
    "contact_name", "contact_organisation", "contact_email", "contact_phone", "contact_public", "chantier_id",
    "centre_id", "departement_id", "region_id",
]  # fmt: skip
CHILD_TABLES = [
    ("experiences_experiencesheetpage_themes", "experiencesheetpage_id"),
    ("experiences_experiencesheetpage_publics", "experiencesheetpage_id"),
    ("experiences_experiencesheetpage_pillars", "experiencesheetpage_id"),
    ("experiences_experiencesheetpage_transversal_axes", "experiencesheetpage_id"),
    ("experiences_experiencesheettag", "content_object_id"),
    ("experiences_sheetcommune", "page_id"),
    ("experiences_sheetqpv", "page_id"),
    ("experiences_sheetpartner", "page_id"),
    ("experiences_sheetfunder", "page_id"),
    ("experiences_sheetdocument", "page_id"),
    ("experiences_sheetlink", "page_id"),
]


def setup():
    import django

    django.setup()


def _date(text):
    return dt.date.fromisoformat(text) if text else None


def _themed(rng, sheet):
    """Theme-specific prose, title and summary: the words the query mix looks for."""
    themes = sheet["themes"]
    extra = [rng.choice(THEME_SENTENCES[t]) for t in themes if t in THEME_SENTENCES]
    if extra:
        sheet["summary"] = f"{sheet['summary']} {extra[0]}"
        sections = sheet["sections"]
        sections["description"] = (sections["description"] or "") + f"<p>{' '.join(extra)}</p>"
    titled = [t for t in themes if t in THEMED_TITLES]
    if titled and rng.random() < 0.5:
        import generate_sheets

        title = sheet["title"]
        action = next((a for a in generate_sheets.ACTIONS if title.startswith(a)), None)
        if action:
            sheet["title"] = THEMED_TITLES[titled[0]] + title[len(action) :]
    return sheet


class Refs:
    """Ids the rows point to: centres and their section pages, taxonomy, content type, locale, tags."""

    def __init__(self):
        from django.contrib.contenttypes.models import ContentType
        from django.utils.text import slugify
        from taggit.models import Tag
        from wagtail.models import Locale

        from portal.centres.models import CentrePage
        from resources.experiences.models import ExperienceSheetPage
        from resources.taxonomy.models import Chantier, Departement, Pillar, Public, Region, Theme, TransversalAxis

        self.content_type_id = ContentType.objects.get_for_model(ExperienceSheetPage).pk
        self.locale_id = Locale.get_default().pk
        self.sections = {page.centre.code: page for page in CentrePage.objects.select_related("centre")}
        self.region = dict(Region.objects.values_list("code", "pk"))
        self.departement = dict(Departement.objects.values_list("code", "pk"))
        self.pillar = dict(Pillar.objects.values_list("slug", "pk"))
        self.axis = dict(TransversalAxis.objects.values_list("slug", "pk"))
        self.theme = dict(Theme.objects.values_list("slug", "pk"))
        self.public = dict(Public.objects.values_list("slug", "pk"))
        self.chantier = dict(Chantier.objects.values_list("code", "pk"))
        import generate_sheets

        self.tag = {}
        for name in generate_sheets.TAGS:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name, slug=slugify(name))
            self.tag[name] = tag.pk


def bench_page_ids(cursor):
    cursor.execute(
        "SELECT id FROM wagtailcore_page WHERE slug LIKE %s AND content_type_id = %s",
        [SLUG_PREFIX + "%", _content_type_id()],
    )
    return [row[0] for row in cursor.fetchall()]


def _content_type_id():
    from django.contrib.contenttypes.models import ContentType

    from resources.experiences.models import ExperienceSheetPage

    return ContentType.objects.get_for_model(ExperienceSheetPage).pk


def count():
    """How many bench sheets the database holds."""
    from django.db import connection

    with connection.cursor() as cursor:
        return len(bench_page_ids(cursor))


def _update_numchild(cursor, parent_ids):
    cursor.execute(
        """UPDATE wagtailcore_page AS p SET numchild = (
               SELECT count(*) FROM wagtailcore_page AS c WHERE c.path LIKE p.path || '____' AND c.depth = p.depth + 1)
           WHERE p.id = ANY(%s)""",
        [list(parent_ids)],
    )


def clear():
    """Remove the bench sheets (and their search entries), nothing else. Returns how many."""
    from django.db import connection, transaction

    from portal.centres.models import CentrePage

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_ids ON COMMIT DROP AS SELECT id FROM wagtailcore_page WHERE false")
        cursor.execute(
            "INSERT INTO bench_ids SELECT id FROM wagtailcore_page WHERE slug LIKE %s AND content_type_id = %s",
            [SLUG_PREFIX + "%", _content_type_id()],
        )
        removed = cursor.rowcount
        for table, column in CHILD_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM bench_ids)")  # noqa: S608
        for table, column in [
            ("search_searchfacetvalue", "entry_id"),
            ("search_searchentry", "page_id"),
            ("search_indexqueue", "page_id"),
            ("experiences_experiencesheetpage", "page_ptr_id"),
            ("wagtailcore_page", "id"),
        ]:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM bench_ids)")  # noqa: S608
        _update_numchild(cursor, CentrePage.objects.values_list("pk", flat=True))
    return removed


def _rows(count, seed, refs, ids, next_step):
    """(page row, sheet row, [(table, row)…]) per sheet."""
    import generate_sheets
    from django.utils.text import slugify
    from wagtail.models import Page

    rng = random.Random(seed)
    tz = dt.UTC
    for n, page_id in enumerate(ids, start=1):
        sheet = _themed(rng, generate_sheets.generate_sheet(rng, n))
        parent = refs.sections[sheet["centre"]]
        step = next_step[sheet["centre"]]
        next_step[sheet["centre"]] = step + 1
        path = Page._get_path(parent.path, parent.depth + 1, step)
        slug = f"{SLUG_PREFIX}{n:06d}-{slugify(sheet['title'])[:80].strip('-')}"
        written = _date(sheet["written_on"])
        first = dt.datetime.combine(written, dt.time(rng.randint(7, 19), rng.randint(0, 59)), tzinfo=tz)
        last = first + dt.timedelta(days=rng.choice([0, 0, 0, 3, 30, 200]), minutes=rng.randint(0, 600))
        last = min(last, dt.datetime(2025, 12, 31, tzinfo=tz))
        territory = sheet["territory"]
        contact = sheet["contact"] or {}
        page_row = [
            page_id, path, parent.depth + 1, 0, sheet["title"], slug, True, False, f"{parent.url_path}{slug}/", "",
            False, "", False, refs.content_type_id, False, last, first, last, sheet["title"],
            uuid.UUID(int=rng.getrandbits(128), version=4), refs.locale_id,
        ]  # fmt: skip
        s = sheet["sections"]
        sheet_row = [
            page_id, sheet["id"], sheet["summary"], sheet["author"], written, _date(sheet["period"]["start"]),
            _date(sheet["period"]["end"]), sheet["period"]["ongoing"], sheet["status"] or "", territory["epci"] or "",
            territory["hors_qpv"], sheet["porteur"]["name"], sheet["porteur"]["type"], sheet["budget_eur"],
            s["context"], s["objectives"], s["description"], s["means"], s["results"], s["success_factors"],
            s["difficulties"], s["transferability"], s["outlook"],
            contact.get("name", ""), contact.get("organisation", ""), contact.get("email", ""),
            contact.get("phone", ""), bool(contact) and rng.random() < 0.5, refs.chantier.get(sheet["chantier"]),
            parent.centre_id, refs.departement[territory["departement"]], refs.region[territory["region"]],
        ]  # fmt: skip
        children = (
            [("themes", (page_id, refs.theme[t])) for t in sheet["themes"]]
            + [("publics", (page_id, refs.public[t])) for t in sheet["publics"]]
            + [("pillars", (page_id, refs.pillar[t])) for t in sheet["pillars"]]
            + [("axes", (page_id, refs.axis[t])) for t in sheet["transversal_axes"]]
            + [("tags", (page_id, refs.tag[t])) for t in sheet["tags"]]
            + [("communes", (i, c["insee"], c["name"], page_id)) for i, c in enumerate(territory["communes"])]
            + [("qpvs", (i, q["code"], q["name"], page_id)) for i, q in enumerate(territory["qpv"])]
            + [("partners", (i, name, page_id)) for i, name in enumerate(sheet["partners"])]
            + [("funders", (i, f["name"], f["type"], f["amount_eur"], page_id)) for i, f in enumerate(sheet["funders"])]
            + [("documents", (i, d["title"], d["url"], page_id)) for i, d in enumerate(sheet["documents"])]
            + [("links", (i, link["title"], link["url"], page_id)) for i, link in enumerate(sheet["links"])]
        )
        yield page_row, sheet_row, children


CHILD_COPY = {
    "themes": "experiences_experiencesheetpage_themes (experiencesheetpage_id, theme_id)",
    "publics": "experiences_experiencesheetpage_publics (experiencesheetpage_id, public_id)",
    "pillars": "experiences_experiencesheetpage_pillars (experiencesheetpage_id, pillar_id)",
    "axes": "experiences_experiencesheetpage_transversal_axes (experiencesheetpage_id, transversalaxis_id)",
    "tags": "experiences_experiencesheettag (content_object_id, tag_id)",
    "communes": "experiences_sheetcommune (sort_order, insee, name, page_id)",
    "qpvs": "experiences_sheetqpv (sort_order, code, name, page_id)",
    "partners": "experiences_sheetpartner (sort_order, name, page_id)",
    "funders": "experiences_sheetfunder (sort_order, name, type, amount_eur, page_id)",
    "documents": "experiences_sheetdocument (sort_order, title, url, page_id)",
    "links": "experiences_sheetlink (sort_order, title, url, page_id)",
}


def seed(count, seed=42, log=print):
    """Replace the bench sheets by `count` new ones, in one transaction. Returns the new page ids."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        raise SystemExit("seed_sheets needs PostgreSQL: set DATABASE_URL.")
    started = time.perf_counter()
    removed = clear()
    if removed:
        log(f"removed {removed} earlier bench sheets ({time.perf_counter() - started:.1f} s)")
    refs = Refs()
    from wagtail.models import Page

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: COPY
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) FROM generate_series(1, %s)", [count]
        )
        ids = [row[0] for row in cursor.fetchall()]
        next_step = {}
        for code, section in refs.sections.items():
            last = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).order_by("-path").first()
            next_step[code] = (Page._str2int(last.path[-Page.steplen :]) if last else 0) + 1
        children = {name: [] for name in CHILD_COPY}
        page_copy = f"COPY wagtailcore_page ({', '.join(PAGE_COLUMNS)}) FROM STDIN"
        sheet_copy = f"COPY experiences_experiencesheetpage ({', '.join(SHEET_COLUMNS)}) FROM STDIN"
        sheet_rows = []
        with cursor.copy(page_copy) as copy:
            for page_row, sheet_row, child_rows in _rows(count, seed, refs, ids, next_step):
                copy.write_row(page_row)
                sheet_rows.append(sheet_row)
                for name, row in child_rows:
                    children[name].append(row)
        generated = time.perf_counter() - started
        with cursor.copy(sheet_copy) as copy:
            for row in sheet_rows:
                copy.write_row(row)
        del sheet_rows
        for name, rows in children.items():
            with cursor.copy(f"COPY {CHILD_COPY[name]} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        _update_numchild(cursor, [section.pk for section in refs.sections.values()])
    with connection.cursor() as cursor:
        for table in ["wagtailcore_page", "experiences_experiencesheetpage", *(t for t, _c in CHILD_TABLES)]:
            cursor.execute(f"ANALYZE {table}")
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    log(f"seeded {count} sheets in {elapsed:.1f} s ({rate:,.0f}/s; generating + COPY of the pages: {generated:.1f} s)")
    return ids


def check(sample=5, log=print):
    """Render a few bench sheets (HTTP 200) and build their search documents; raises on failure."""
    from django.test import Client

    from resources.experiences.models import ExperienceSheetPage
    from search.indexing import document_for, live_queryset

    pages = ExperienceSheetPage.objects.live().public().filter(slug__startswith=SLUG_PREFIX)
    total = pages.count()
    if not total:
        raise SystemExit("no bench sheet to check")
    client = Client(HTTP_HOST="localhost")
    rng = random.Random(1)
    ids = list(pages.values_list("pk", flat=True))
    for page in live_queryset(ExperienceSheetPage).filter(pk__in=rng.sample(ids, min(sample, len(ids)))):
        response = client.get(page.url)
        doc = document_for(page)
        if response.status_code != 200 or doc is None or not doc["theme"] or doc["url"] != page.url:
            raise SystemExit(f"bench sheet {page.pk} ({page.url}): HTTP {response.status_code}, document {doc}")
        if page.title.encode() not in response.content.replace(b"&#x27;", b"'"):
            log(f"warning: title of {page.url} not found verbatim in the page (HTML escaping?)")
        log(f"ok {page.url} HTTP 200, {len(response.content)} bytes; document: {len(doc['sections'])} chars, "
            f"themes {doc['theme']}, centre {doc['centre']}, {doc['region']}/{doc['departement']}")  # fmt: skip
    log(f"{total} live, public bench sheets")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--clear", action="store_true", help="only remove the bench sheets")
    parser.add_argument("--check", action="store_true", help="then render and index a few seeded sheets")
    args = parser.parse_args(argv)
    setup()
    if args.clear:
        print(f"removed {clear()} bench sheets")
        return
    seed(args.count, args.seed)
    if args.check:
        check()


if __name__ == "__main__":
    main()

"""Demo publications (2–3 per centre, each with a generated PDF) and two national dossiers.

Idempotent: a publication or dossier whose slug already exists is left alone. PDFs are written
in code (see pdf.py) into the centre's collection; their text is extracted by the usual task.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.utils.formats import date_format
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.utils.file import hash_filelike

from portal.centres.models import Centre, CentrePage
from portal.core.services import ensure_home_page
from resources.experiences.models import ExperienceSheetPage
from resources.taxonomy.models import Pillar, Public, ResourceType, Theme, TransversalAxis

from .models import DossierItem, DossierPage, PublicationDocument, PublicationPage
from .pdf import text_pdf

# Each entry is written once and published by several centres ({territory} and {centre} are filled in).
PUBLICATIONS = [
    {
        "slug": "guide-ateliers-sociolinguistiques",
        "title": "Animer des ateliers sociolinguistiques : guide pratique",
        "type": "guide",
        "themes": ["insertion", "acces-aux-droits"],
        "pillars": ["cohesion_sociale"],
        "axes": ["citoyennete_participation"],
        "publics": ["associations", "professionnels", "femmes"],
        "tags": ["ASL", "apprentissage du français", "autonomie"],
        "authors": "{centre}, avec les coordinateurs linguistiques du territoire",
        "summary": "Les ateliers sociolinguistiques (ASL) aident les habitants des quartiers prioritaires à "
        "gagner en autonomie dans la langue française à partir des situations de la vie quotidienne : "
        "démarches administratives, école, santé, transports. Ce guide, issu d'un cycle de qualification "
        "réunissant coordinateurs et formateurs bénévoles du territoire ({territory}), décrit les étapes pour "
        "monter un atelier, les partenariats à nouer et les outils d'évaluation des progrès.",
        "sections": [
            (
                "Ce qui distingue un ASL d'un cours de français",
                "Un ASL part des lieux que fréquentent les participants : la mairie, la caisse d'allocations "
                "familiales, le collège, le centre de santé. Chaque séquence prépare une sortie ou une démarche "
                "réelle, que le groupe réalise ensuite avec l'animateur. L'objectif n'est pas un diplôme mais la "
                "capacité à se débrouiller seul, et la confiance qui va avec.",
            ),
            (
                "Monter un atelier en cinq étapes",
                "Repérer les besoins avec les acteurs de proximité (centres sociaux, écoles, bailleurs) ; "
                "constituer un groupe de huit à douze personnes ; négocier des visites avec les services publics "
                "partenaires ; former les animateurs, souvent bénévoles, à la démarche ; prévoir dès le départ un "
                "temps d'évaluation avec les participants.",
            ),
            (
                "Financements mobilisables",
                "Les ASL sont le plus souvent financés par les crédits de la politique de la ville, complétés par "
                "l'intégration des primo-arrivants, la caisse d'allocations familiales ou les collectivités. La "
                "stabilité des financements sur trois ans conditionne la fidélisation des animateurs.",
            ),
        ],
        "points": [
            "Partir des usages quotidiens, pas d'un programme de grammaire.",
            "Associer les services publics : ils deviennent des lieux d'apprentissage.",
            "Évaluer l'autonomie gagnée, pas seulement l'assiduité.",
        ],
    },
    {
        "slug": "actes-rencontre-npnru",
        "title": "Le NPNRU à mi-parcours : actes de la rencontre régionale",
        "type": "actes",
        "themes": ["renouvellement-urbain", "habitat", "participation-habitants"],
        "pillars": ["cadre_de_vie"],
        "axes": ["citoyennete_participation"],
        "publics": ["elus", "professionnels"],
        "tags": ["NPNRU", "ANRU", "maison du projet", "relogement"],
        "authors": "{centre}",
        "summary": "Élus, chefs de projet renouvellement urbain, bailleurs sociaux et représentants de conseils "
        "citoyens du territoire ({territory}) ont fait le point sur le nouveau programme national de "
        "renouvellement urbain (NPNRU) : avancement des chantiers, relogement des ménages, place des "
        "habitants dans les projets et gestion des quartiers pendant les travaux. Ces actes restituent les "
        "interventions et les ateliers.",
        "sections": [
            (
                "Où en sont les projets ?",
                "La plupart des conventions sont signées et les premières démolitions engagées ; les "
                "reconstructions et les équipements publics arrivent plus lentement. Les participants soulignent "
                "l'allongement des délais et la hausse des coûts de construction, qui obligent à revoir certains "
                "programmes.",
            ),
            (
                "Reloger sans éloigner",
                "Le relogement est l'étape la plus sensible pour les habitants. Les bailleurs présents ont partagé "
                "leurs chartes de relogement, la mobilisation du parc neuf et les accompagnements sociaux "
                "individualisés, avec une attention particulière aux familles nombreuses et aux personnes âgées.",
            ),
            (
                "Associer les habitants pendant les travaux",
                "Maisons du projet, balades urbaines, chantiers ouverts : les ateliers ont montré que la "
                "participation ne s'arrête pas à la concertation initiale. La gestion urbaine de proximité doit "
                "être renforcée quand le quartier devient un chantier.",
            ),
        ],
        "points": [
            "Tenir un calendrier partagé et honnête avec les habitants.",
            "Prévoir l'accompagnement social du relogement dès la conception.",
            "Renforcer la gestion urbaine de proximité pendant les travaux.",
        ],
    },
    {
        "slug": "etude-emploi-jeunes-qpv",
        "title": "L'emploi des jeunes dans les quartiers prioritaires : état des lieux régional",
        "type": "etude",
        "themes": ["emploi", "insertion"],
        "pillars": ["developpement_economique"],
        "axes": ["jeunesse", "lutte_discriminations"],
        "publics": ["jeunes", "demandeurs-emploi"],
        "tags": ["jeunes NEET", "missions locales", "contrat d'engagement jeune"],
        "authors": "{centre}, avec l'appui de la direction régionale de l'INSEE",
        "summary": "Un jeune sur quatre des quartiers prioritaires du territoire ({territory}) n'est ni en "
        "emploi, ni en études, ni en formation. Cette étude croise les données statistiques disponibles et "
        "une trentaine d'entretiens avec des missions locales, des associations et des employeurs pour "
        "comprendre les freins à l'emploi des jeunes et repérer les dispositifs qui parviennent à les lever.",
        "sections": [
            (
                "Des écarts qui persistent",
                "Le taux de chômage des 16-25 ans résidant en quartier prioritaire reste nettement supérieur à "
                "celui des jeunes des autres quartiers des mêmes agglomérations. L'écart tient en partie au niveau "
                "de diplôme, mais pas seulement : à diplôme égal, l'accès au premier emploi stable est plus long.",
            ),
            (
                "Les freins identifiés",
                "Mobilité limitée, méconnaissance des entreprises locales, réseaux professionnels restreints et "
                "discriminations à l'embauche reviennent dans tous les entretiens. Une partie des jeunes n'est "
                "connue d'aucune institution : les aller-vers des associations de prévention sont alors décisifs.",
            ),
            (
                "Ce qui fonctionne",
                "Les parcours qui associent accompagnement renforcé, immersion en entreprise et aide à la mobilité "
                "obtiennent les meilleurs résultats. Le parrainage par des professionnels en activité et les "
                "clauses d'insertion des marchés publics ouvrent des portes durables.",
            ),
        ],
        "points": [
            "Aller vers les jeunes inconnus des institutions.",
            "Multiplier les immersions en entreprise.",
            "Lever les freins de mobilité avant la prise de poste.",
        ],
    },
    {
        "slug": "note-contrats-de-ville-2030",
        "title": "Note : les contrats de ville « Engagements Quartiers 2030 »",
        "type": "note",
        "themes": ["participation-habitants", "developpement-economique"],
        "pillars": ["cohesion_sociale", "cadre_de_vie", "developpement_economique"],
        "axes": ["citoyennete_participation"],
        "publics": ["elus", "professionnels"],
        "tags": ["contrat de ville", "géographie prioritaire", "Quartiers 2030"],
        "authors": "{centre}",
        "summary": "La nouvelle génération de contrats de ville s'appuie sur une géographie prioritaire "
        "actualisée et sur des engagements définis à l'échelle de chaque quartier. Cette note résume ce qui "
        "change pour les collectivités et les associations du territoire ({territory}) : pilotage, place des "
        "habitants, articulation avec les autres politiques publiques et calendrier.",
        "sections": [
            (
                "Ce qui change",
                "Les contrats sont resserrés autour de quelques enjeux prioritaires par quartier, définis avec les "
                "habitants. Les trois piliers demeurent, mais chaque territoire choisit ses engagements plutôt que "
                "de couvrir tous les thèmes.",
            ),
            (
                "La place des habitants",
                "Les conseils citoyens peuvent évoluer vers d'autres formes de participation. La note recense les "
                "options ouvertes et les conditions pour qu'elles ne restent pas formelles : moyens d'animation, "
                "accès à l'information, retour sur les avis rendus.",
            ),
        ],
        "points": [
            "Choisir peu d'engagements, mais les tenir.",
            "Associer les habitants au choix des priorités.",
            "Prévoir l'évaluation dès la signature.",
        ],
    },
    {
        "slug": "outil-mobiliser-conseils-citoyens",
        "title": "Mobiliser et faire vivre un conseil citoyen : la boîte à outils",
        "type": "outil",
        "themes": ["participation-habitants"],
        "pillars": ["cohesion_sociale"],
        "axes": ["citoyennete_participation", "egalite_femmes_hommes"],
        "publics": ["habitants", "associations", "professionnels"],
        "tags": ["conseil citoyen", "participation", "animation"],
        "authors": "{centre} et le réseau des conseils citoyens",
        "summary": "Fiches d'animation, trame de réunion, modèle de charte et conseils pour renouveler les "
        "membres : cette boîte à outils rassemble ce que les conseils citoyens et leurs accompagnateurs du "
        "territoire ({territory}) ont mis au point pour tenir dans la durée et peser dans les décisions du "
        "contrat de ville.",
        "sections": [
            (
                "Recruter et renouveler",
                "Le tirage au sort ne suffit pas : il faut aller au-devant des habitants là où ils sont, expliquer "
                "à quoi sert le conseil et proposer des formes d'engagement ponctuelles à ceux qui ne peuvent pas "
                "s'engager dans la durée. Une attention particulière à la parité et aux jeunes est recommandée.",
            ),
            (
                "Animer une séance utile",
                "Un ordre du jour court, une information préparée en amont, un temps de décision et un compte "
                "rendu diffusé sous huit jours : la trame proposée tient en une page et a été testée dans une "
                "dizaine de conseils.",
            ),
        ],
        "points": [
            "Une trame de réunion d'une page.",
            "Un modèle de charte de fonctionnement.",
            "Des idées pour renouveler les membres.",
        ],
    },
    {
        "slug": "etude-sante-mentale-adolescents",
        "title": "Santé mentale des adolescents en quartier prioritaire : état des lieux",
        "type": "etude",
        "themes": ["sante", "education"],
        "pillars": ["cohesion_sociale"],
        "axes": ["jeunesse"],
        "publics": ["jeunes", "familles", "professionnels"],
        "tags": ["santé mentale", "atelier santé ville", "CLSM"],
        "authors": "{centre}, avec les coordinateurs des ateliers santé ville",
        "summary": "Depuis la crise sanitaire, les professionnels de la jeunesse du territoire ({territory}) "
        "signalent une hausse des situations de mal-être chez les adolescents. Cet état des lieux rassemble "
        "les données disponibles, les observations des ateliers santé ville et des conseils locaux de santé "
        "mentale, et les réponses construites localement pour repérer et orienter plus tôt.",
        "sections": [
            (
                "Un constat partagé",
                "Troubles du sommeil, décrochage, repli et conduites à risque : les signaux décrits par les "
                "infirmières scolaires, les éducateurs et les animateurs convergent. L'offre de soins spécialisée "
                "reste difficile d'accès, avec des délais de plusieurs mois.",
            ),
            (
                "Des réponses de proximité",
                "Formations aux premiers secours en santé mentale pour les professionnels, permanences de "
                "psychologues dans les structures jeunesse, groupes de parole pour les parents : les initiatives "
                "recensées misent sur le repérage précoce et le travail en réseau.",
            ),
        ],
        "points": [
            "Former les professionnels de première ligne au repérage.",
            "Rapprocher l'écoute des lieux fréquentés par les jeunes.",
            "Associer les parents sans les culpabiliser.",
        ],
    },
    {
        "slug": "lettre-egalite-femmes-hommes",
        "title": "Lettre d'information : l'égalité femmes-hommes dans les quartiers",
        "type": "lettre",
        "themes": ["emploi", "sport"],
        "pillars": ["cohesion_sociale", "developpement_economique"],
        "axes": ["egalite_femmes_hommes"],
        "publics": ["femmes", "associations"],
        "tags": ["égalité", "sport au féminin", "création d'activité"],
        "authors": "{centre}",
        "summary": "Ce numéro de la lettre d'information du centre est consacré à l'égalité entre les femmes et "
        "les hommes dans les quartiers prioritaires : accès des femmes à l'emploi et à la création "
        "d'activité, place des filles dans les équipements sportifs, retours d'expériences et rendez-vous à "
        "venir.",
        "sections": [
            (
                "À la une : entreprendre au féminin",
                "Trois couveuses d'activité du territoire accompagnent des habitantes dans la création de leur "
                "entreprise. Leurs responsables expliquent comment elles ont adapté horaires, garde d'enfants et "
                "microcrédit aux contraintes des participantes.",
            ),
            (
                "Les filles et le sport",
                "Au-delà de l'âge de douze ans, les filles désertent les city-stades. Des clubs et des services "
                "des sports ont réservé des créneaux, recruté des animatrices et ouvert de nouvelles disciplines ; "
                "la fréquentation a doublé en deux saisons.",
            ),
        ],
        "points": [
            "Agenda : journée régionale égalité, en juin.",
            "Appel à contributions pour le prochain numéro.",
        ],
    },
    {
        "slug": "actes-discriminations-embauche",
        "title": "Prévenir les discriminations à l'embauche : actes de la journée d'échanges",
        "type": "actes",
        "themes": ["emploi", "developpement-economique"],
        "pillars": ["developpement_economique"],
        "axes": ["lutte_discriminations"],
        "publics": ["entreprises", "professionnels", "elus"],
        "tags": ["discriminations", "recrutement", "testing"],
        "authors": "{centre}",
        "summary": "Employeurs, chargés de recrutement, conseillers emploi et élus du territoire ({territory}) "
        "se sont réunis pour partager des pratiques de recrutement plus justes : recrutement par simulation, "
        "formation des recruteurs, mesure des écarts et partenariats avec le service public de l'emploi. Les "
        "actes restituent les tables rondes et les outils présentés.",
        "sections": [
            (
                "Mesurer pour agir",
                "Les campagnes de tests de discrimination montrent qu'à profil égal, l'adresse dans un quartier "
                "prioritaire ou un nom à consonance étrangère réduit les chances d'être rappelé. Plusieurs "
                "entreprises ont présenté les indicateurs internes qu'elles suivent désormais.",
            ),
            (
                "Changer les pratiques de recrutement",
                "Recrutement sans curriculum vitae, jurys diversifiés, méthode de recrutement par simulation : "
                "les témoignages montrent des effets rapides lorsque la direction s'engage et que les managers "
                "sont formés.",
            ),
        ],
        "points": [
            "Former les recruteurs aux biais de sélection.",
            "Objectiver les critères avant de lire les candidatures.",
            "Suivre des indicateurs et les rendre publics.",
        ],
    },
    {
        "slug": "guide-cites-educatives",
        "title": "Cités éducatives : repères pour la coordination locale",
        "type": "guide",
        "themes": ["education", "parentalite", "petite-enfance"],
        "pillars": ["cohesion_sociale"],
        "axes": ["jeunesse"],
        "publics": ["enfants", "familles", "professionnels"],
        "tags": ["cités éducatives", "continuité éducative", "coordination"],
        "authors": "{centre}, avec les coordinateurs des cités éducatives",
        "summary": "Les cités éducatives fédèrent l'école, les collectivités, les associations et les parents "
        "autour des enfants et des jeunes de 0 à 25 ans. Ce guide rassemble les repères construits avec les "
        "équipes du territoire ({territory}) : gouvernance de la troïka, fonds de la cité, place des parents "
        "et évaluation.",
        "sections": [
            (
                "Une gouvernance à trois",
                "Le principal du collège chef de file, le représentant de l'État et celui de la collectivité "
                "pilotent ensemble. Les équipes recommandent un comité technique mensuel et un coordinateur à "
                "temps plein pour tenir le rythme.",
            ),
            (
                "Continuité éducative et parents",
                "Les actions les plus appréciées relient les temps scolaire, périscolaire et familial : "
                "cafés des parents, accompagnement à la scolarité, passerelles entre crèche et école maternelle.",
            ),
        ],
        "points": [
            "Un coordinateur dédié, identifié par tous.",
            "Des parents associés aux instances, pas seulement invités.",
            "Une évaluation partagée avec l'Éducation nationale.",
        ],
    },
    {
        "slug": "etude-jardins-partages",
        "title": "Jardins partagés et transition écologique dans les quartiers",
        "type": "etude",
        "themes": ["transition-ecologique", "alimentation", "gestion-urbaine-proximite"],
        "pillars": ["cadre_de_vie"],
        "axes": ["citoyennete_participation"],
        "publics": ["habitants", "associations"],
        "tags": ["jardins partagés", "alimentation durable", "nature en ville"],
        "authors": "{centre}",
        "summary": "Une vingtaine de jardins partagés ont été visités sur le territoire ({territory}) pour "
        "comprendre ce qu'ils apportent aux quartiers prioritaires : alimentation, lien social, appropriation "
        "des espaces extérieurs et sensibilisation à la transition écologique. L'étude décrit les conditions "
        "de leur réussite et les écueils à éviter.",
        "sections": [
            (
                "Bien plus que des légumes",
                "Les jardiniers citent d'abord les rencontres et le plaisir d'un espace à soi. Les bailleurs "
                "constatent une baisse des dégradations aux abords ; les centres sociaux y trouvent un support "
                "d'activités pour les familles.",
            ),
            (
                "Les conditions de la durée",
                "Un foncier sécurisé, un accès à l'eau, une animation professionnelle les premières années et "
                "une règle du jeu claire entre jardiniers : sans ces quatre conditions, les jardins s'essoufflent "
                "en deux ou trois saisons.",
            ),
        ],
        "points": [
            "Sécuriser le foncier avant de lancer le projet.",
            "Financer l'animation au moins trois ans.",
            "Ouvrir le jardin aux écoles et aux centres sociaux.",
        ],
    },
]

# What an editor would say about a curated item, by resource type.
CURATED_COMMENTS = {
    "etude": "Des chiffres et des analyses pour poser le diagnostic.",
    "guide": "Une démarche pas à pas, directement réutilisable.",
    "actes": "Les échanges d'une rencontre entre professionnels.",
    "outil": "Un outil prêt à l'emploi.",
    "note": "L'essentiel en quelques pages.",
}

DOSSIERS = [
    {
        "slug": "dossier-emploi-jeunes",
        "title": "L'emploi et l'insertion des jeunes des quartiers",
        "themes": ["emploi", "insertion"],
        "intro": "Un jeune sur quatre des quartiers prioritaires n'est ni en emploi, ni en études, ni en "
        "formation. Ce dossier rassemble les études, guides et expériences des centres de ressources pour "
        "comprendre les freins et repérer ce qui marche : aller-vers, immersions en entreprise, mobilité, "
        "lutte contre les discriminations.",
        "body": "Les centres de ressources observent partout les mêmes difficultés, mais aussi des réponses "
        "locales qui ont fait leurs preuves. Commencez par les études pour le diagnostic, puis parcourez les "
        "actes et les fiches d'expériences pour les solutions.",
    },
    {
        "slug": "dossier-renouvellement-urbain",
        "title": "Renouvellement urbain : habiter, participer, transformer",
        "themes": ["renouvellement-urbain", "habitat", "participation-habitants"],
        "intro": "Le nouveau programme national de renouvellement urbain transforme plusieurs centaines de "
        "quartiers. Ce dossier réunit les productions des centres sur l'avancement des projets, le relogement "
        "et la place des habitants avant, pendant et après les travaux.",
        "body": "Relogement, gestion urbaine de proximité, maisons du projet, conseils citoyens : les "
        "ressources réunies ici éclairent les choix des élus et des équipes projet.",
    },
]

FIRST_DATE = datetime.date(2024, 1, 15)


def _terms(model, slugs):
    return model.objects.filter(slug__in=slugs)


def _fill(text, centre):
    return text.format(territory=centre.territory, centre=centre.name)


def _pdf(entry, centre, resource_type, published):
    title = _fill(entry["title"], centre)
    blocks = [
        ("title", title),
        ("subtitle", f"{centre.name} — {resource_type.label} — {date_format(published, 'F Y')}"),
        ("heading", "Résumé"),
        ("paragraph", _fill(entry["summary"], centre)),
    ]
    for heading, text in entry["sections"]:
        blocks += [("heading", heading), ("paragraph", text)]
    blocks.append(("heading", "À retenir"))
    blocks += [("item", point) for point in entry["points"]]
    blocks.append(("subtitle", f"{centre.name}, centre de ressources politique de la ville — {centre.territory}"))
    return text_pdf(blocks, title=title, author=centre.name)


def _document(title, data, collection):
    document_model = get_document_model()
    document = document_model(title=title, collection=collection)
    document.file.save(f"{slugify(title)[:80]}.pdf", ContentFile(data), save=False)
    # What Wagtail's upload form records; set here so nothing re-reads the file later.
    document.file_size = len(data)
    document.file_hash = hash_filelike(io.BytesIO(data))
    document.save()
    return document


def _publication(section, centre, entry, published):
    resource_type = ResourceType.objects.get(slug=entry["type"])
    title = _fill(entry["title"], centre)
    first, *rest = entry["sections"]
    page = PublicationPage(
        title=title,
        slug=entry["slug"],
        resource_type=resource_type,
        publication_date=published,
        summary=_fill(entry["summary"], centre),
        authors=_fill(entry["authors"], centre),
        body=[("heading", {"text": first[0], "level": "h2"}), ("paragraph", f"<p>{first[1]}</p>")]
        + [("paragraph", f"<p>{text}</p>") for _heading, text in rest[:1]],
    )
    section.add_child(instance=page)
    page.themes.set(_terms(Theme, entry["themes"]))
    page.pillars.set(_terms(Pillar, entry["pillars"]))
    page.transversal_axes.set(_terms(TransversalAxis, entry["axes"]))
    page.publics.set(_terms(Public, entry["publics"]))
    page.tags.add(*entry["tags"])
    document = _document(title, _pdf(entry, centre, resource_type, published), centre.collection)
    page.documents.add(PublicationDocument(document=document))
    page.save_revision().publish()
    return page


def _dossier(home, spec):
    dossier = DossierPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    dossier.body = [("paragraph", f"<p>{spec['body']}</p>")]
    themes = list(_terms(Theme, spec["themes"]))
    dossier.themes.set(themes)
    publications = PublicationPage.objects.live().filter(themes__in=themes).distinct().select_related("resource_type")
    chosen, centres_seen, slugs_seen = [], set(), set()
    for publication in publications.order_by("-publication_date", "pk"):
        # One per centre and per title: the selection shows the breadth of the network.
        if publication.centre_id not in centres_seen and publication.slug not in slugs_seen:
            centres_seen.add(publication.centre_id)
            slugs_seen.add(publication.slug)
            chosen.append((publication, CURATED_COMMENTS.get(publication.resource_type.slug, "")))
        if len(chosen) == 4:
            break
    # Sheets may not exist yet (their demo comes from another app): take what is there.
    sheets = ExperienceSheetPage.objects.live().filter(themes__in=themes).distinct().order_by("-first_published_at")
    chosen += [(sheet, "Une expérience de terrain, racontée par ses acteurs.") for sheet in sheets[:2]]
    for order, (page, comment) in enumerate(chosen):
        dossier.related_items.add(DossierItem(item=page, comment=comment, sort_order=order))
    home.add_child(instance=dossier)
    dossier.save_revision().publish()
    return dossier


def load(command):
    created = 0
    for index, centre in enumerate(Centre.objects.order_by("code")):
        section = CentrePage.objects.filter(centre=centre).first()
        if section is None or centre.collection_id is None:
            continue
        count = 3 if index % 2 == 0 else 2
        for k in range(count):
            entry = PUBLICATIONS[(index * 3 + k * 4) % len(PUBLICATIONS)]
            if PublicationPage.objects.child_of(section).filter(slug=entry["slug"]).exists():
                continue
            published = FIRST_DATE + datetime.timedelta(days=(index * 37 + k * 113) % 640)
            _publication(section, centre, entry, published)
            created += 1
    home = ensure_home_page()
    dossiers = 0
    for spec in DOSSIERS:
        if not DossierPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
            _dossier(home, spec)
            dossiers += 1
    command.say(f"Publications : {created} créées ; dossiers nationaux : {dossiers} créés.")

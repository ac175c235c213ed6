"""The text of the accessibility statement and the legal notice (demo content, edited in the admin).

The accessibility statement follows the model of the RGAA (state of compliance, non-accessible
content, preparation, feedback and recourse); the legal notice says what personal data the
registrations and newsletter subscriptions keep, why, for how long and how to use one's rights.
"""

ACCESSIBILITY = [
    (
        None,
        "<p>Le réseau national des centres de ressources politique de la ville s'engage à rendre ce portail "
        "accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration "
        "d'accessibilité s'applique au portail des centres de ressources politique de la ville.</p>",
    ),
    (
        "État de conformité",
        "<p>Ce portail est <b>partiellement conforme</b> avec le référentiel général d'amélioration de "
        "l'accessibilité (RGAA), version 4.1, en raison des non-conformités et des dérogations énumérées "
        "ci-dessous.</p>",
    ),
    (
        "Résultats des tests",
        "<p>Une auto-évaluation a été menée par l'équipe du portail sur un échantillon de pages (accueil, "
        "bibliothèque, fiche d'expérience, recherche, agenda, inscription à un événement, abonnement aux "
        "lettres d'information, plan du site). Un audit externe complet reste à réaliser : le taux de "
        "conformité sera publié à son issue.</p>",
    ),
    (
        "Contenus non accessibles",
        "<ul><li>Certains documents PDF publiés par les centres (études, actes de rencontres) ne sont pas "
        "balisés ; demandez-en une version accessible au centre qui les publie.</li>"
        "<li>Les graphiques du tableau de bord national ont une alternative textuelle (tableaux de chiffres), "
        "mais leurs couleurs n'ont pas encore toutes été vérifiées.</li>"
        "<li>Les vidéos intégrées depuis des plateformes externes n'ont pas toujours de sous-titres.</li></ul>",
    ),
    (
        "Établissement de cette déclaration",
        "<p>Technologies utilisées : HTML5, CSS, un peu de JavaScript non indispensable (le portail "
        "fonctionne sans). Vérifications faites avec le clavier seul, un lecteur d'écran (NVDA avec Firefox) et "
        "un outil de test automatique (axe-core), sur un écran de 320 pixels de large et avec un zoom de "
        "200 %.</p>",
    ),
    (
        "Retour d'information et contact",
        "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à "
        '<a href="mailto:contact@crpv.localhost">contact@crpv.localhost</a> : nous vous répondrons et vous '
        "proposerons une alternative accessible ou le contenu sous une autre forme.</p>",
    ),
    (
        "Voies de recours",
        "<p>Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un "
        "service du portail et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez saisir le "
        "Défenseur des droits : par le formulaire en ligne sur defenseurdesdroits.fr, auprès de l'un de ses "
        "délégués dans votre région, ou par courrier gratuit, sans affranchissement, à : Défenseur des droits, "
        "Libre réponse 71120, 75342 Paris CEDEX 07.</p>",
    ),
]

LEGAL_NOTICE = [
    (
        "Éditeur",
        "<p>Le portail est édité par le réseau national des centres de ressources politique de la ville. "
        "Chaque centre est responsable des contenus qu'il publie. Contact : "
        '<a href="mailto:contact@crpv.localhost">contact@crpv.localhost</a>.</p>',
    ),
    ("Hébergement", "<p>Le portail est hébergé en France ; l'hébergeur est indiqué sur demande au contact.</p>"),
    (
        "Données personnelles : ce qui est conservé et pourquoi",
        "<ul><li><b>Inscription à un événement</b> : nom, adresse électronique, structure, catégorie de public, "
        "territoire et, si vous les indiquez, vos besoins d'accessibilité. Elles servent à organiser "
        "l'événement (liste des présents, courriels de confirmation, de rappel et de documents) et sont "
        "supprimées 12 mois après l'événement ; seuls restent des décomptes anonymes.</li>"
        "<li><b>Lettres d'information et alertes</b> : votre adresse électronique, les lettres et les "
        "recherches suivies, vos thèmes, et la trace de votre consentement (date et texte accepté). Elles servent "
        "uniquement à vous envoyer ce que vous avez demandé, jusqu'à votre désinscription ou l'effacement de "
        "vos données.</li>"
        "<li><b>Comptes des équipes</b> : nom, adresse et rôle des personnes qui publient sur le portail, le "
        "temps de leur mission.</li></ul>"
        "<p>Ces données reposent sur votre consentement (abonnements) ou sur votre demande d'inscription. Elles "
        "ne sont ni vendues ni cédées, ne figurent ni dans la recherche, ni dans l'API, ni dans le plan du site, "
        "et ne sont vues que par l'équipe du centre concerné.</p>",
    ),
    (
        "Vos droits",
        "<p>Chaque courriel que nous vous envoyons contient un lien personnel pour consulter vos données, en "
        "télécharger une copie, vous désinscrire en un clic ou tout effacer. Vous pouvez aussi écrire au contact "
        "ci-dessus pour exercer vos droits d'accès, de rectification, d'effacement et d'opposition. En cas de "
        "difficulté, vous pouvez saisir la Commission nationale de l'informatique et des libertés (CNIL).</p>",
    ),
    (
        "Cookies",
        "<p>Le portail ne dépose aucun cookie de mesure d'audience ni de publicité. Seuls les cookies "
        "techniques de session et de sécurité sont utilisés, pour les formulaires et l'espace "
        "d'administration.</p>",
    ),
]


def body(sections):
    """StreamField data: a heading then a paragraph for each section."""
    blocks = []
    for heading, html in sections:
        if heading:
            blocks.append(("heading", {"text": heading, "level": "h2"}))
        blocks.append(("paragraph", html))
    return blocks

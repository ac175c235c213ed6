"""Demo experience sheets: three per centre, from a pool of stories set in each centre's own territory.

Every sheet has a fixed uuid (derived from the centre code and the story), so loading twice
changes nothing and an edited demo sheet is never overwritten.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from portal.centres.models import Centre, CentrePage
from resources.taxonomy.models import Departement, Pillar, Public, Theme, TransversalAxis

from .models import (
    ExperienceSheetPage,
    SheetCommune,
    SheetDocument,
    SheetFunder,
    SheetLink,
    SheetPartner,
    SheetQpv,
)

NAMESPACE = uuid.UUID("6f1c2b7e-2a53-4f0e-9d0b-6c0b1d6a3e21")

ANCT = ("Agence nationale de la cohésion des territoires", "https://agence-cohesion-territoires.gouv.fr/")
SIG_VILLE = ("Carte des quartiers prioritaires (SIG Ville)", "https://sig.ville.gouv.fr/")
STATE_147 = ("État — crédits politique de la ville (programme 147)", "etat")

# Where the stories happen: for each centre, three sites (INSEE code, commune, département,
# QPV code, QPV name, social landlord). QPV codes follow the 2015 list pattern.
SITES = {
    "ville-caraibe": [
        ("97209", "Fort-de-France", "972", "QP972003", "Trénelle – Citron", "SIMAR"),
        ("97213", "Le Lamentin", "972", "QP972010", "Quartier Basse Gondeau", "Ozanam"),
        ("97209", "Fort-de-France", "972", "QP972005", "Texaco", "SIMAR"),
    ],
    "guadeloupe-saint-martin": [
        ("97101", "Les Abymes", "971", "QP971004", "Grand Camp – Raizet", "SEMSAMAR"),
        (
            "97120",
            "Pointe-à-Pitre",
            "971",
            "QP971001",
            "Centre ancien – Lauricisque",
            "Société immobilière de Guadeloupe",
        ),
        ("97105", "Basse-Terre", "971", "QP971012", "Rivière des Pères", "SEMSAMAR"),
    ],
    "crpv-guyane": [
        ("97311", "Saint-Laurent-du-Maroni", "973", "QP973021", "Charbonnière", "SIMKO"),
        ("97302", "Cayenne", "973", "QP973002", "Village Chinois – Mirza", "SIGUY"),
        ("97307", "Matoury", "973", "QP973014", "Cogneau-Lamirande", "SIGUY"),
    ],
    "cdr-mayotte": [
        ("97611", "Mamoudzou", "976", "QP976001", "Kawéni", "Société immobilière de Mayotte"),
        ("97610", "Koungou", "976", "QP976008", "Majicavo", "Société immobilière de Mayotte"),
        ("97608", "Dzaoudzi", "976", "QP976011", "La Vigie", "Société immobilière de Mayotte"),
    ],
    "cr-csur": [
        ("97411", "Saint-Denis", "974", "QP974003", "Le Chaudron", "SIDR"),
        ("97407", "Le Port", "974", "QP974020", "Rivière des Galets", "SEMADER"),
        ("97416", "Saint-Pierre", "974", "QP974036", "Ravine Blanche", "SHLMR"),
    ],
    "labo-cites": [
        ("38185", "Grenoble", "38", "QP038004", "Villeneuve – Village Olympique", "Actis"),
        ("69256", "Vaulx-en-Velin", "69", "QP069034", "Grande Île", "Lyon Métropole Habitat"),
        ("42218", "Saint-Étienne", "42", "QP042007", "Montreynaud", "Métropole Habitat Saint-Étienne"),
    ],
    "irev": [
        ("62498", "Lens", "62", "QP062031", "Grande Résidence", "Maisons & Cités"),
        ("59512", "Roubaix", "59", "QP059030", "Épeule – Alouette – Trichon", "Vilogia"),
        ("80021", "Amiens", "80", "QP080002", "Amiens Nord", "Amiens Habitat"),
    ],
    "profession-banlieue": [
        ("93066", "Saint-Denis", "93", "QP093027", "Franc-Moisin – Bel-Air", "Plaine Commune Habitat"),
        ("93001", "Aubervilliers", "93", "QP093002", "Villette – Quatre-Chemins", "Seine-Saint-Denis Habitat"),
        ("93014", "Clichy-sous-Bois", "93", "QP093037", "Bas-Clichy", "Seine-Saint-Denis Habitat"),
    ],
    "pole-ressources-95": [
        ("95585", "Sarcelles", "95", "QP095018", "Lochères", "Val d'Oise Habitat"),
        ("95268", "Garges-lès-Gonesse", "95", "QP095012", "Dame Blanche", "Val d'Oise Habitat"),
        ("95680", "Villiers-le-Bel", "95", "QP095021", "Puits-la-Marlière – Derrière-les-Murs", "Val d'Oise Habitat"),
    ],
    "crpve-91": [
        ("91286", "Grigny", "91", "QP091015", "Grigny 2", "Essonne Habitat"),
        ("91228", "Évry-Courcouronnes", "91", "QP091009", "Pyramides – Bois-Sauvage", "Essonne Habitat"),
        ("91174", "Corbeil-Essonnes", "91", "QP091004", "Les Tarterêts", "Essonne Habitat"),
    ],
    "villes-au-carre": [
        ("37261", "Tours", "37", "QP037005", "Sanitas", "Tours Habitat"),
        ("18033", "Bourges", "18", "QP018002", "Chancellerie – Gibjoncs", "France Loire"),
        ("45234", "Orléans", "45", "QP045006", "La Source", "Les Résidences de l'Orléanais"),
    ],
    "resovilles": [
        ("35238", "Rennes", "35", "QP035004", "Maurepas", "Archipel Habitat"),
        ("44109", "Nantes", "44", "QP044012", "Bellevue", "Nantes Métropole Habitat"),
        ("29019", "Brest", "29", "QP029003", "Pontanézen", "Brest Métropole Habitat"),
    ],
    "oriv": [
        ("68224", "Mulhouse", "68", "QP068010", "Coteaux", "m2A Habitat"),
        ("67482", "Strasbourg", "67", "QP067016", "Neuhof", "Ophéa"),
        ("57463", "Metz", "57", "QP057008", "Borny", "Metz Habitat Territoire"),
    ],
    "trajectoire-ressources": [
        ("25056", "Besançon", "25", "QP025004", "Planoise", "Grand Besançon Habitat"),
        ("21231", "Dijon", "21", "QP021003", "Grésilles", "Grand Dijon Habitat"),
        ("25388", "Montbéliard", "25", "QP025009", "Petite Hollande", "Néolia"),
    ],
    "villes-et-territoires": [
        ("34172", "Montpellier", "34", "QP034008", "Mosson", "ACM Habitat"),
        ("31555", "Toulouse", "31", "QP031009", "Grand Mirail", "Toulouse Métropole Habitat"),
        ("30189", "Nîmes", "30", "QP030014", "Pissevin – Valdegour", "Habitat du Gard"),
    ],
    "pqn-a": [
        ("33249", "Lormont", "33", "QP033016", "Génicart", "Domofrance"),
        ("87085", "Limoges", "87", "QP087005", "Val de l'Aurence", "Limoges Habitat"),
        ("86194", "Poitiers", "86", "QP086002", "Les Couronneries", "Ekidom"),
    ],
    "crpv-paca": [
        ("13055", "Marseille", "13", "QP013041", "Frais Vallon – Le Mistral – La Rose", "13 Habitat"),
        ("84007", "Avignon", "84", "QP084006", "Monclar – Champfleury", "Grand Avignon Résidences"),
        ("06088", "Nice", "06", "QP006004", "Les Moulins", "Côte d'Azur Habitat"),
    ],
    "crpv-paris": [
        ("75119", "Paris 19e Arrondissement", "75", "QP075021", "Stalingrad – Riquet", "Paris Habitat"),
        ("75118", "Paris 18e Arrondissement", "75", "QP075015", "Goutte d'Or", "Paris Habitat"),
        ("75120", "Paris 20e Arrondissement", "75", "QP075028", "Belleville – Amandiers", "Paris Habitat"),
    ],
}

# Which stories each centre tells (keys of STORIES), in the order of its sites.
PLAN = {
    "ville-caraibe": ["mediation-sante", "jardins", "memoire"],
    "guadeloupe-saint-martin": ["chantiers", "acces-droits", "sport-sante"],
    "crpv-guyane": ["mobilite", "asl", "adultes-relais"],
    "cdr-mayotte": ["asl", "acces-droits", "cite-educative"],
    "cr-csur": ["creation", "jardins", "conseils-citoyens"],
    "labo-cites": ["gup", "coding", "conseils-citoyens"],
    "irev": ["energie", "parrainage", "cite-educative"],
    "profession-banlieue": ["adultes-relais", "asl", "memoire"],
    "pole-ressources-95": ["chantiers", "sport-sante", "mobilite"],
    "crpve-91": ["cite-educative", "gup", "creation"],
    "villes-au-carre": ["mediation-sante", "mobilite", "parrainage"],
    "resovilles": ["jardins", "coding", "energie"],
    "oriv": ["mediation-sante", "parrainage", "conseils-citoyens"],
    "trajectoire-ressources": ["chantiers", "acces-droits", "memoire"],
    "villes-et-territoires": ["coding", "sport-sante", "gup"],
    "pqn-a": ["energie", "adultes-relais", "creation"],
    "crpv-paca": ["chantiers", "acces-droits", "mobilite"],
    "crpv-paris": ["coding", "adultes-relais", "mediation-sante"],
}

CONTACTS = [
    "Samia Benali", "Julien Moreau", "Fatou Diallo", "Claire Lefebvre", "Karim Haddad", "Élodie Martin",
    "Mamadou Traoré", "Sophie Garnier", "Yacine Bouzid", "Nathalie Roux", "Thomas Nguyen", "Aïcha Coulibaly",
    "Marc Delattre", "Inès Ferreira", "Hugo Lambert", "Nadia Cherif", "Lucie Perrin", "Rachid Amrani",
    "Camille Girard", "Jean-Baptiste Rivière", "Marie-Line Joseph", "Anli Madi", "Patrick Hoarau", "Nadège Célestine",
]  # fmt: skip

# Telephone numbers reserved by ARCEP for fiction, by area.
FICTION_PHONE = {"11": "01 99 00", "nw": "02 61 91", "ne": "03 53 01", "se": "04 65 71", "sw": "05 36 49"}
PHONE_AREA = {"24": "nw", "28": "nw", "52": "nw", "53": "nw", "27": "ne", "32": "ne", "44": "ne", "84": "se"}
PHONE_AREA.update({"93": "se", "94": "se", "75": "sw", "76": "sw", "11": "11"})


def story(key, **fields):
    return {"key": key, **fields}


STORIES = {
    s["key"]: s
    for s in [
        story(
            "asl",
            title="Des ateliers sociolinguistiques pour les parents du quartier {quartier}",
            summary=(
                "À {commune}, le centre social propose des ateliers sociolinguistiques (ASL) à des parents, "
                "surtout des mères, peu à l'aise avec le français écrit et oral. Les séances partent des "
                "situations de la vie quotidienne — l'école, la santé, les démarches — et se terminent souvent "
                "hors les murs, dans les institutions elles-mêmes."
            ),
            status="en_cours",
            start=(2023, 9),
            porteur=("Centre social {quartier}", "association"),
            partners=["Éducation nationale — écoles du quartier", "Médiathèque de {commune}", "{bailleur}"],
            funders=[
                (*STATE_147, 18000),
                ("Ville de {commune}", "collectivite", 9000),
                ("Caisse d'allocations familiales", "etablissement_public", 6500),
            ],
            themes=["education", "parentalite", "insertion"],
            publics=["femmes", "familles"],
            pillars=["cohesion_sociale"],
            axes=["egalite_femmes_hommes", "citoyennete_participation"],
            tags=["ASL", "français langue étrangère", "lien école-familles"],
            numbers={"n1": 46, "n2": 14},
            sections={
                "context": "<p>Dans le quartier {quartier}, une part importante des habitants est arrivée en France "
                "à l'âge adulte. Les directeurs d'école signalaient des parents qui ne venaient plus aux réunions, "
                "faute de comprendre ce qui s'y disait, et des démarches abandonnées en cours de route.</p>",
                "objectives": "<ul><li>Rendre les parents autonomes dans leurs échanges avec l'école et les "
                "services publics.</li><li>Rompre l'isolement, en particulier des mères de jeunes enfants.</li>"
                "<li>Faire connaître les équipements du quartier et de la ville.</li></ul>",
                "description": "<p>Trois groupes de douze personnes se retrouvent deux matinées par semaine. "
                "Chaque module suit une même logique : préparer en atelier une situation (prendre rendez-vous chez "
                "le médecin, lire un carnet de liaison), la vivre sur place avec la formatrice, puis en faire le "
                "bilan. Une halte-garderie accueille les enfants pendant les séances.</p>",
                "means": "<p>Deux formatrices formées à la démarche ASL (1,3 équivalent temps plein), une "
                "vingtaine de bénévoles pour les sorties, une salle mise à disposition par {bailleur} et une "
                "convention avec la halte-garderie municipale.</p>",
                "results": "<p>{n1} parents ont suivi au moins un module depuis le démarrage ; {n2} se sont "
                "ensuite inscrits à une formation qualifiante ou à un atelier numérique. Les écoles constatent "
                "une nette hausse de la présence aux rencontres parents-enseignants.</p>",
                "success_factors": "<p>Les sorties dans les institutions, préparées avec elles : l'accueil des "
                "participantes y est attentif. La garde des enfants sur place est décisive pour les mères.</p>",
                "difficulties": "<p>Les financements annuels obligent à reconstituer le budget chaque année, et "
                "la liste d'attente reste longue. Les hommes sont peu présents, malgré un créneau en soirée.</p>",
                "transferability": "<p>La démarche se transpose à tout centre social disposant d'une salle et "
                "d'un mode de garde ; la formation des animatrices à la démarche ASL est un préalable.</p>",
                "outlook": "<p>Ouvrir un quatrième groupe consacré à l'emploi et travailler avec la caisse "
                "d'allocations familiales sur un module « démarches en ligne ».</p>",
            },
            links=[ANCT],
        ),
        story(
            "mediation-sante",
            title="Médiation santé de proximité dans le quartier {quartier} à {commune}",
            summary=(
                "Deux médiatrices en santé vont à la rencontre des habitants du quartier {quartier}, dans les halls, "
                "au marché et à la sortie des écoles, pour les aider à ouvrir leurs droits, trouver un médecin "
                "traitant et revenir vers le dépistage et la prévention."
            ),
            status="en_cours",
            start=(2022, 3),
            porteur=("Ville de {commune} — atelier santé ville", "collectivite"),
            partners=[
                "Caisse primaire d'assurance maladie",
                "Centre hospitalier",
                "Maison de santé pluriprofessionnelle",
                "{bailleur}",
            ],
            funders=[
                ("Agence régionale de santé", "etablissement_public", 26000),
                (*STATE_147, 15000),
                ("Ville de {commune}", "collectivite", 12000),
            ],
            themes=["sante", "acces-aux-droits"],
            publics=["habitants", "seniors", "familles"],
            pillars=["cohesion_sociale"],
            axes=[],
            tags=["médiation en santé", "atelier santé ville", "non-recours"],
            numbers={"n1": 620, "n2": 180},
            sections={
                "context": "<p>Le diagnostic local de santé a montré à {commune} un renoncement aux soins deux fois "
                "plus fréquent dans le quartier {quartier} que dans le reste de la ville, une densité médicale "
                "faible et des droits à la complémentaire santé solidaire souvent non ouverts.</p>",
                "objectives": "<ul><li>Réduire le non-recours aux droits de santé.</li><li>Accompagner vers un "
                "médecin traitant et les dépistages organisés.</li><li>Faire remonter aux institutions les "
                "obstacles rencontrés par les habitants.</li></ul>",
                "description": "<p>Les médiatrices tiennent une permanence hebdomadaire au centre social et passent "
                "le reste du temps « hors les murs ». Elles accompagnent physiquement les personnes qui le "
                "souhaitent à leur premier rendez-vous et organisent chaque trimestre une journée de dépistage "
                "avec le centre hospitalier.</p>",
                "means": "<p>Deux postes de médiatrices en santé formées (diplôme universitaire), une coordinatrice "
                "de l'atelier santé ville à mi-temps, un local au rez-de-chaussée d'un immeuble de {bailleur}.</p>",
                "results": "<p>Plus de {n1} personnes rencontrées chaque année, dont {n2} accompagnées dans "
                "l'ouverture ou le renouvellement de leurs droits. Le taux de participation au dépistage du "
                "cancer du sein a progressé dans les deux îlots les plus suivis.</p>",
                "success_factors": "<p>La présence régulière aux mêmes endroits, qui installe la confiance, et un "
                "circuit court avec la caisse d'assurance maladie pour débloquer les dossiers.</p>",
                "difficulties": "<p>Le manque de médecins acceptant de nouveaux patients limite l'effet de "
                "l'accompagnement. Le statut des médiatrices reste fragile.</p>",
                "transferability": "<p>Suppose un diagnostic partagé, un pilotage par l'atelier santé ville ou le "
                "contrat local de santé, et des médiatrices formées au cadre de la médiation en santé.</p>",
                "outlook": "<p>Étendre l'action à la santé mentale avec le conseil local de santé mentale et "
                "pérenniser les postes dans le prochain contrat local de santé.</p>",
            },
            links=[ANCT, ("Assurance maladie — vos droits", "https://www.ameli.fr/")],
        ),
        story(
            "chantiers",
            title="Chantiers éducatifs avec {bailleur} au {quartier}",
            summary=(
                "Des jeunes de 16 à 25 ans éloignés de l'emploi réalisent, encadrés par des éducateurs et un "
                "encadrant technique, de petits travaux de rénovation dans les parties communes des immeubles de "
                "{bailleur}. Rémunérés, ils reprennent un rythme et construisent un projet d'insertion."
            ),
            status="terminee",
            start=(2022, 1),
            months=24,
            porteur=("Club de prévention spécialisée {quartier}", "association"),
            partners=["{bailleur}", "Mission locale", "Régie de quartier", "Association intermédiaire"],
            funders=[
                ("{bailleur}", "bailleur", 30000),
                ("Conseil départemental", "collectivite", 20000),
                (*STATE_147, 10000),
            ],
            themes=["insertion", "emploi", "tranquillite-publique"],
            publics=["jeunes"],
            pillars=["developpement_economique", "cadre_de_vie"],
            axes=["jeunesse"],
            tags=["prévention spécialisée", "chantier éducatif", "abattement TFPB"],
            numbers={"n1": 38, "n2": 21},
            sections={
                "context": "<p>Les éducateurs de prévention du quartier {quartier} suivaient de nombreux jeunes "
                "décrochés, sans expérience professionnelle, peu enclins à pousser la porte de la mission locale. "
                "{bailleur} cherchait de son côté à améliorer l'état des halls et des caves.</p>",
                "objectives": "<ul><li>Offrir une première expérience de travail rémunérée et encadrée.</li>"
                "<li>Servir de support à la relation éducative.</li><li>Améliorer le cadre de vie visible par "
                "tous les habitants.</li></ul>",
                "description": "<p>Chaque chantier dure une à deux semaines et réunit quatre à six jeunes : peinture "
                "des cages d'escalier, nettoyage et remise en état des locaux vélos, fresques réalisées avec un "
                "artiste. Un bilan individuel clôt chaque chantier et débouche sur une orientation.</p>",
                "means": "<p>Deux éducateurs, un encadrant technique de la régie de quartier, des contrats de "
                "travail portés par une association intermédiaire, le matériel fourni par {bailleur} au titre de "
                "l'abattement de taxe foncière.</p>",
                "results": "<p>{n1} jeunes ont participé à au moins un chantier ; {n2} sont entrés ensuite en "
                "formation, en emploi ou en garantie jeunes. Les dégradations ont nettement diminué dans les "
                "halls rénovés.</p>",
                "success_factors": "<p>La rémunération dès le premier jour, la visibilité du résultat pour le "
                "quartier et la continuité du suivi par les mêmes éducateurs avant et après le chantier.</p>",
                "difficulties": "<p>Les délais administratifs pour établir les contrats, et la difficulté à trouver "
                "des chantiers en hiver.</p>",
                "transferability": "<p>Nécessite un bailleur partenaire prêt à confier des travaux, une structure "
                "pouvant salarier les jeunes et une équipe éducative présente sur le terrain.</p>",
                "outlook": "<p>L'action est reconduite dans le cadre de la nouvelle convention d'abattement de "
                "taxe foncière, avec un chantier annuel réservé aux jeunes femmes.</p>",
            },
            links=[SIG_VILLE],
        ),
        story(
            "gup",
            title="Diagnostics en marchant et gestion urbaine de proximité — {quartier}",
            summary=(
                "Deux fois par an, habitants, bailleur, services municipaux et police municipale parcourent "
                "ensemble le quartier {quartier} pour relever ce qui ne va pas : éclairage, propreté, "
                "stationnement, sentiment d'insécurité. Chaque dysfonctionnement a un responsable et un délai."
            ),
            status="terminee",
            start=(2021, 10),
            months=30,
            porteur=("Ville de {commune} — direction de la politique de la ville", "collectivite"),
            partners=["{bailleur}", "Conseil citoyen", "Police municipale", "Service propreté de la métropole"],
            funders=[
                ("Ville de {commune}", "collectivite", 8000),
                ("{bailleur}", "bailleur", 5000),
                (*STATE_147, 4000),
            ],
            themes=["gestion-urbaine-proximite", "participation-habitants", "tranquillite-publique"],
            publics=["habitants", "femmes"],
            pillars=["cadre_de_vie"],
            axes=["citoyennete_participation", "egalite_femmes_hommes"],
            tags=["GUP", "diagnostic en marchant", "marches exploratoires"],
            numbers={"n1": 140, "n2": 75},
            sections={
                "context": "<p>La convention de gestion urbaine de proximité du quartier {quartier} existait sur "
                "le papier, mais les habitants n'en voyaient pas les effets. Les réclamations arrivaient dispersées "
                "chez le bailleur, en mairie ou au commissariat, sans suivi commun.</p>",
                "objectives": "<ul><li>Faire partager un même constat entre habitants et gestionnaires.</li>"
                "<li>Traiter plus vite les dysfonctionnements et en rendre compte.</li><li>Donner une place aux "
                "femmes dans le diagnostic des espaces publics.</li></ul>",
                "description": "<p>Chaque diagnostic suit un parcours préparé avec le conseil citoyen. Les "
                "constats sont saisis sur place dans un tableau partagé, avec photo et responsable. Une marche "
                "exploratoire réservée aux femmes a lieu en soirée. Trois mois plus tard, une réunion publique "
                "fait le point sur ce qui a été réglé.</p>",
                "means": "<p>Un chargé de mission gestion urbaine à temps partiel, un outil de suivi partagé, la "
                "participation des agents de proximité de {bailleur} et des services techniques.</p>",
                "results": "<p>{n1} dysfonctionnements relevés en deux ans et demi, dont {n2} % traités dans le "
                "délai annoncé. Éclairage renforcé sur deux cheminements signalés lors des marches de femmes.</p>",
                "success_factors": "<p>Le retour systématique aux habitants sur ce qui a été fait, et la présence "
                "de décideurs capables d'engager leurs services pendant la marche.</p>",
                "difficulties": "<p>Les sujets qui relèvent de plusieurs gestionnaires (domanialités imbriquées) "
                "restent longs à régler.</p>",
                "transferability": "<p>Facile à reproduire : l'essentiel est un animateur neutre, un outil de "
                "suivi simple et l'engagement écrit des gestionnaires.</p>",
                "outlook": "<p>Intégrer le dispositif à la convention de gestion urbaine du nouveau contrat de "
                "ville et l'étendre aux abords des écoles.</p>",
            },
            links=[SIG_VILLE],
        ),
        story(
            "jardins",
            title="Jardins partagés en pied d'immeuble à {commune}",
            summary=(
                "Au cœur du quartier {quartier}, une friche entre deux immeubles de {bailleur} est devenue un jardin "
                "partagé cultivé par une quarantaine de familles, support d'ateliers sur l'alimentation, de fêtes "
                "de quartier et d'un lien renouvelé entre voisins."
            ),
            status="en_cours",
            start=(2023, 4),
            porteur=("Association Les Jardins de {quartier}", "association"),
            partners=["{bailleur}", "Ville de {commune} — service des espaces verts", "Écoles du quartier"],
            funders=[
                ("{bailleur}", "bailleur", 7000),
                ("Ville de {commune}", "collectivite", 5000),
                ("Fondation de France", "fondation", 8000),
            ],
            themes=["alimentation", "transition-ecologique", "participation-habitants"],
            publics=["habitants", "familles", "enfants"],
            pillars=["cadre_de_vie", "cohesion_sociale"],
            axes=["citoyennete_participation"],
            tags=["jardin partagé", "agriculture urbaine", "alimentation durable"],
            numbers={"n1": 42, "n2": 9},
            sections={
                "context": "<p>Les habitants du quartier {quartier} se plaignaient d'un terrain vague mal "
                "entretenu et de l'absence de lieux de rencontre. Plusieurs familles cultivaient déjà quelques "
                "plants sur leurs balcons.</p>",
                "objectives": "<ul><li>Transformer un espace délaissé en lieu de vie.</li><li>Favoriser une "
                "alimentation saine et peu coûteuse.</li><li>Créer des liens entre générations et cultures.</li>"
                "</ul>",
                "description": "<p>Le jardin compte trente parcelles familiales et une parcelle collective dont "
                "la récolte alimente des ateliers de cuisine. Un animateur ouvre le jardin cinq demi-journées par "
                "semaine ; les écoles y mènent des projets pédagogiques au printemps.</p>",
                "means": "<p>Un animateur jardinier à mi-temps, un récupérateur d'eau de pluie et un abri "
                "financés par {bailleur}, du compost fourni par la ville, {n2} bénévoles réguliers.</p>",
                "results": "<p>{n1} familles inscrites, une liste d'attente, deux fêtes de quartier par an. Les "
                "incivilités sur cet espace ont quasiment disparu.</p>",
                "success_factors": "<p>La co-construction du règlement du jardin avec les habitants et la présence "
                "régulière d'un animateur.</p>",
                "difficulties": "<p>L'arrosage l'été, quand beaucoup de familles partent, et la pollution des sols "
                "qui a imposé des bacs hors-sol sur une partie du terrain.</p>",
                "transferability": "<p>Vérifier la qualité des sols avant tout projet ; prévoir une convention "
                "d'occupation claire avec le propriétaire du terrain.</p>",
                "outlook": "<p>Créer un second jardin dans le secteur en rénovation urbaine et lancer un "
                "composteur collectif.</p>",
            },
            links=[ANCT],
        ),
        story(
            "coding",
            title="Une école du numérique gratuite ouverte aux habitants de {quartier}",
            summary=(
                "Une formation intensive de sept mois aux métiers du développement web, gratuite et sans condition "
                "de diplôme, recrute en priorité des habitants des quartiers prioritaires de {commune}, dont une "
                "moitié de femmes, et les accompagne jusqu'à l'emploi en alternance."
            ),
            status="en_cours",
            start=(2023, 1),
            porteur=("La Fabrique numérique de {commune}", "association"),
            partners=[
                "France Travail",
                "Mission locale",
                "Entreprises du numérique du territoire",
                "Région — service formation",
            ],
            funders=[
                ("Fonds social européen (FSE+)", "union_europeenne", 60000),
                ("Conseil régional", "collectivite", 45000),
                ("France Travail", "etablissement_public", 30000),
                ("Entreprises partenaires (mécénat)", "entreprise", 15000),
            ],
            themes=["numerique", "emploi", "insertion"],
            publics=["jeunes", "demandeurs-emploi", "femmes"],
            pillars=["developpement_economique"],
            axes=["jeunesse", "egalite_femmes_hommes"],
            tags=["coding school", "métiers du numérique", "alternance"],
            numbers={"n1": 24, "n2": 70},
            sections={
                "context": "<p>Les entreprises du numérique du territoire peinent à recruter, alors que les jeunes "
                "du quartier {quartier} sont nombreux à chercher un emploi sans qualification reconnue.</p>",
                "objectives": "<ul><li>Former aux métiers du développement web des personnes sans diplôme.</li>"
                "<li>Atteindre la parité dans chaque promotion.</li><li>Conduire au moins deux tiers des "
                "apprenants vers un emploi ou une alternance.</li></ul>",
                "description": "<p>Le recrutement se fait sur motivation, après une semaine de découverte. La "
                "formation alterne projets en équipe et périodes en entreprise. Un accompagnement social aide à "
                "lever les freins : garde d'enfants, transport, équipement informatique prêté.</p>",
                "means": "<p>Deux formateurs, une chargée de relations entreprises, une conseillère en insertion "
                "à mi-temps, des locaux au cœur du quartier, vingt ordinateurs portables prêtés.</p>",
                "results": "<p>{n1} apprenants par promotion ; {n2} % en emploi ou en alternance six mois après "
                "la fin de la formation. Quatre promotions sur cinq ont atteint la parité.</p>",
                "success_factors": "<p>L'implantation au cœur du quartier et l'implication des entreprises dès le "
                "recrutement.</p>",
                "difficulties": "<p>L'accès au matériel et à une connexion à domicile ; l'abandon en cours de "
                "formation quand les difficultés sociales ne sont pas traitées à temps.</p>",
                "transferability": "<p>Nécessite un tissu d'entreprises mobilisées et un financement "
                "pluriannuel ; le modèle de recrutement sans diplôme est la clé.</p>",
                "outlook": "<p>Ouvrir une promotion « cybersécurité » et une antenne dans un second quartier.</p>",
            },
            links=[("France Travail", "https://www.francetravail.fr/")],
        ),
        story(
            "acces-droits",
            title="Permanence itinérante d'accès aux droits — {commune}",
            summary=(
                "Un camion aménagé sillonne les quartiers prioritaires de {commune} : travailleurs sociaux, "
                "écrivains publics et conseillers numériques y reçoivent sans rendez-vous les habitants pour leurs "
                "démarches administratives, en particulier en ligne."
            ),
            status="en_cours",
            start=(2022, 6),
            porteur=("Centre communal d'action sociale de {commune}", "etablissement_public"),
            partners=[
                "Caisse d'allocations familiales",
                "Caisse primaire d'assurance maladie",
                "France Travail",
                "Point justice",
                "{bailleur}",
            ],
            funders=[
                ("Ville de {commune}", "collectivite", 40000),
                ("Caisse d'allocations familiales", "etablissement_public", 20000),
                (*STATE_147, 15000),
            ],
            themes=["acces-aux-droits", "numerique"],
            publics=["habitants", "seniors", "familles"],
            pillars=["cohesion_sociale"],
            axes=[],
            tags=["aller-vers", "inclusion numérique", "écrivain public"],
            numbers={"n1": 2400, "n2": 35},
            sections={
                "context": "<p>La dématérialisation des démarches a éloigné une partie des habitants de {commune} "
                "de leurs droits. Les permanences fixes étaient saturées et peu fréquentées par les personnes "
                "âgées du quartier {quartier}.</p>",
                "objectives": "<ul><li>Aller au-devant des habitants plutôt que les attendre.</li><li>Réduire le "
                "non-recours aux prestations sociales.</li><li>Rendre les personnes progressivement autonomes "
                "en ligne.</li></ul>",
                "description": "<p>Le camion stationne chaque semaine aux mêmes endroits et aux mêmes heures. Les "
                "demandes simples sont traitées sur place ; les situations complexes sont orientées, avec un "
                "rendez-vous pris devant la personne, vers le bon partenaire.</p>",
                "means": "<p>Un véhicule aménagé avec connexion, deux agents d'accueil social, un conseiller "
                "numérique, des permanences de partenaires selon un planning mensuel.</p>",
                "results": "<p>Environ {n1} passages par an ; près de {n2} % des personnes reçues n'étaient "
                "connues d'aucun service. Hausse mesurable des ouvertures de droits à la complémentaire santé.</p>",
                "success_factors": "<p>La régularité des passages et la présence des partenaires dans le camion, "
                "qui évite les renvois de guichet en guichet.</p>",
                "difficulties": "<p>Le coût du véhicule et les conditions de travail en hiver ; la confidentialité "
                "des échanges dans un espace réduit.</p>",
                "transferability": "<p>Le modèle suppose une coordination forte entre partenaires et un planning "
                "de stationnement connu des habitants.</p>",
                "outlook": "<p>Labelliser le dispositif France services itinérant et ajouter une permanence juridique "
                "mensuelle.</p>",
            },
            links=[("Service-public.fr", "https://www.service-public.fr/"), ANCT],
        ),
        story(
            "adultes-relais",
            title="Un réseau d'adultes-relais médiateurs entre {commune} et ses voisines",
            summary=(
                "Les adultes-relais médiateurs sociaux de plusieurs communes se sont organisés en réseau, avec des "
                "temps de qualification communs, une analyse de la pratique et des interventions croisées lors "
                "des événements de quartier."
            ),
            status="en_cours",
            start=(2021, 9),
            multi=True,
            porteur=("Association de médiation sociale de {commune}", "association"),
            partners=[
                "Délégués du préfet",
                "Villes de {commune} et {commune2}",
                "{bailleur}",
                "Centre de ressources {centre}",
            ],
            funders=[
                ("État — postes adultes-relais (ANCT)", "etat", 62000),
                ("Ville de {commune}", "collectivite", 20000),
                ("{bailleur}", "bailleur", 15000),
            ],
            themes=["tranquillite-publique", "acces-aux-droits", "participation-habitants"],
            publics=["professionnels", "habitants"],
            pillars=["cohesion_sociale"],
            axes=["lutte_discriminations", "laicite_valeurs_republique"],
            tags=["adultes-relais", "médiation sociale", "analyse de la pratique"],
            numbers={"n1": 18, "n2": 6},
            sections={
                "context": "<p>Les adultes-relais du territoire travaillaient isolés, souvent seuls dans leur "
                "structure, avec peu d'occasions de se former et de prendre du recul sur des situations parfois "
                "difficiles.</p>",
                "objectives": "<ul><li>Rompre l'isolement professionnel des médiateurs.</li><li>Partager des "
                "outils et une culture commune de la médiation.</li><li>Sécuriser les parcours, notamment en fin "
                "de convention.</li></ul>",
                "description": "<p>Une rencontre mensuelle réunit les médiateurs de {commune} et {commune2} : "
                "analyse de la pratique animée par une psychologue, modules de qualification (laïcité, accès "
                "aux droits, gestion des conflits) co-construits avec le centre de ressources {centre}.</p>",
                "means": "<p>Une coordinatrice à temps partiel, une psychologue vacataire, les interventions du "
                "centre de ressources et des délégués du préfet.</p>",
                "results": "<p>{n1} médiateurs participent régulièrement ; {n2} ont validé un titre "
                "professionnel de médiateur social grâce à l'accompagnement du réseau.</p>",
                "success_factors": "<p>Un calendrier fixé un an à l'avance et la reconnaissance du temps de "
                "réseau par les employeurs.</p>",
                "difficulties": "<p>Le renouvellement fréquent des postes fait perdre une partie des acquis ; "
                "certaines structures libèrent difficilement leurs salariés.</p>",
                "transferability": "<p>Transposable à l'échelle d'une agglomération ; l'appui d'un centre de "
                "ressources facilite l'ingénierie des formations.</p>",
                "outlook": "<p>Élargir le réseau aux médiateurs en santé et aux médiateurs scolaires.</p>",
            },
            links=[ANCT],
        ),
        story(
            "cite-educative",
            title="Cité éducative de {commune} : la continuité éducative de 0 à 25 ans",
            summary=(
                "Labellisée cité éducative, {commune} fédère l'école, la ville, la caisse d'allocations familiales "
                "et les associations du quartier {quartier} autour de parcours éducatifs cohérents, de la petite "
                "enfance à l'insertion des jeunes adultes."
            ),
            status="en_cours",
            start=(2022, 1),
            porteur=("Ville de {commune}", "collectivite"),
            partners=[
                "Éducation nationale — collège de secteur",
                "Caisse d'allocations familiales",
                "Préfecture — délégué du préfet",
                "Associations sportives et culturelles du quartier",
            ],
            funders=[
                ("État — label Cités éducatives", "etat", 150000),
                ("Ville de {commune}", "collectivite", 90000),
                ("Caisse d'allocations familiales", "etablissement_public", 25000),
            ],
            themes=["education", "petite-enfance", "parentalite"],
            publics=["enfants", "jeunes", "familles"],
            pillars=["cohesion_sociale"],
            axes=["jeunesse"],
            tags=["cité éducative", "réussite éducative", "continuité éducative"],
            numbers={"n1": 3200, "n2": 85},
            sections={
                "context": "<p>Le quartier {quartier} concentre un taux élevé de retard scolaire à l'entrée en "
                "sixième et une offre périscolaire morcelée entre de nombreux acteurs qui se connaissaient mal.</p>",
                "objectives": "<ul><li>Conforter le rôle de l'école.</li><li>Promouvoir la continuité éducative "
                "entre temps scolaire, périscolaire et familial.</li><li>Ouvrir le champ des possibles aux jeunes."
                "</li></ul>",
                "description": "<p>La troïka (principal du collège, ville, préfecture) pilote un programme annuel : "
                "accueil des moins de trois ans, devoirs faits au collège et dans les centres sociaux, stages de "
                "troisième dans des entreprises choisies, ateliers parents sur les écrans.</p>",
                "means": "<p>Une cheffe de projet opérationnelle, un fonds commun abondé par les partenaires, "
                "{n2} actions financées par appel à projets annuel.</p>",
                "results": "<p>{n1} enfants et jeunes touchés par au moins une action ; hausse de la scolarisation "
                "des enfants de moins de trois ans ; tous les élèves de troisième ont trouvé un stage.</p>",
                "success_factors": "<p>Une gouvernance resserrée et un fonds commun qui permet de financer vite "
                "des initiatives locales.</p>",
                "difficulties": "<p>Mesurer l'effet propre du programme sur les parcours scolaires reste "
                "difficile.</p>",
                "transferability": "<p>Le label suppose des moyens de l'État, mais la méthode de gouvernance "
                "partagée est reproductible dans tout projet éducatif de territoire.</p>",
                "outlook": "<p>Construire un observatoire partagé des parcours avec l'Éducation nationale.</p>",
            },
            links=[("Ministère de l'Éducation nationale", "https://www.education.gouv.fr/")],
        ),
        story(
            "mobilite",
            title="Plateforme de mobilité solidaire pour l'emploi — {commune}",
            summary=(
                "Location de scooters et de voitures à petit prix, auto-école sociale, apprentissage du vélo : la "
                "plateforme lève les freins à la mobilité des demandeurs d'emploi des quartiers prioritaires "
                "de {commune}, orientés par les conseillers emploi."
            ),
            status="terminee",
            start=(2021, 3),
            months=36,
            hors_qpv=True,
            porteur=("Plateforme mobilité {departement}", "association"),
            partners=["France Travail", "Mission locale", "Conseil départemental", "Auto-école sociale"],
            funders=[
                ("Conseil départemental", "collectivite", 35000),
                ("France Travail", "etablissement_public", 20000),
                ("Fonds social européen (FSE+)", "union_europeenne", 40000),
                ("Fondation d'entreprise", "fondation", None),
            ],
            themes=["mobilite", "emploi", "insertion"],
            publics=["demandeurs-emploi", "jeunes", "femmes"],
            pillars=["developpement_economique"],
            axes=["egalite_femmes_hommes"],
            tags=["mobilité inclusive", "permis de conduire", "vélo"],
            numbers={"n1": 410, "n2": 58},
            sections={
                "context": "<p>Près de la moitié des offres d'emploi non pourvues du bassin de {commune} sont "
                "situées dans des zones mal desservies en transports en commun, avec des horaires décalés.</p>",
                "objectives": "<ul><li>Permettre l'accès à un emploi ou une formation malgré l'absence de "
                "véhicule ou de permis.</li><li>Rendre les personnes autonomes dans leurs déplacements.</li></ul>",
                "description": "<p>Après un bilan de mobilité, chaque personne se voit proposer une solution : "
                "location temporaire, auto-école sociale, ateliers vélo, aide à l'achat d'un véhicule d'occasion. "
                "La plateforme est située en centre-ville, hors quartier prioritaire, mais recrute dans les "
                "quartiers par les conseillers emploi.</p>",
                "means": "<p>Trois conseillers mobilité, un parc de quinze scooters et six voitures, une monitrice "
                "d'auto-école.</p>",
                "results": "<p>{n1} personnes accompagnées en trois ans ; {n2} % ont accédé à un emploi ou une "
                "formation dans les six mois.</p>",
                "success_factors": "<p>Le diagnostic individuel et la réactivité : un véhicule peut être prêté dès "
                "le lendemain d'une embauche.</p>",
                "difficulties": "<p>Le coût de l'assurance et de l'entretien du parc ; la durée de l'apprentissage "
                "du permis pour les personnes peu à l'aise avec l'écrit.</p>",
                "transferability": "<p>Nécessite un partenariat étroit avec le service public de l'emploi et un "
                "modèle économique mixte.</p>",
                "outlook": "<p>L'action terminée a inspiré une plateforme départementale pérenne, intégrée au "
                "plan départemental d'insertion.</p>",
            },
            links=[("France Travail", "https://www.francetravail.fr/")],
        ),
        story(
            "creation",
            title="Entreprendre au quartier : l'accompagnement à la création d'activité à {commune}",
            summary=(
                "Un chargé de mission tient permanence au pied des immeubles du quartier {quartier} pour détecter "
                "les porteurs de projet, les aider à formaliser leur idée et les orienter vers les réseaux "
                "d'accompagnement et de financement."
            ),
            status="en_cours",
            start=(2022, 9),
            porteur=("Maison de l'emploi et de l'entreprise de {commune}", "association"),
            partners=[
                "Chambre de commerce et d'industrie",
                "Réseau de microcrédit",
                "Couveuse d'entreprises",
                "Banque des Territoires",
            ],
            funders=[
                ("Banque des Territoires", "etablissement_public", 30000),
                (*STATE_147, 20000),
                ("Communauté d'agglomération", "collectivite", 25000),
            ],
            themes=["developpement-economique", "emploi"],
            publics=["demandeurs-emploi", "entreprises", "femmes"],
            pillars=["developpement_economique"],
            axes=["lutte_discriminations"],
            tags=["création d'entreprise", "entrepreneuriat", "microcrédit"],
            numbers={"n1": 160, "n2": 32},
            sections={
                "context": "<p>Beaucoup d'habitants du quartier {quartier} ont une activité informelle ou un "
                "projet, mais ne connaissent pas les dispositifs d'accompagnement, jugés lointains.</p>",
                "objectives": "<ul><li>Détecter les projets là où ils naissent.</li><li>Sécuriser les premières "
                "étapes de la création.</li><li>Favoriser l'entrepreneuriat des femmes.</li></ul>",
                "description": "<p>Permanences au marché, au centre social et dans les cafés ; ateliers collectifs "
                "« de l'idée au projet » ; orientation vers la couveuse d'entreprises et le microcrédit ; suivi "
                "pendant les trois premières années.</p>",
                "means": "<p>Un chargé de mission à temps plein, un réseau de parrains chefs d'entreprise, un local "
                "partagé.</p>",
                "results": "<p>{n1} personnes reçues par an, {n2} entreprises créées, dont plus de la moitié par "
                "des femmes ; un taux de pérennité à trois ans proche de la moyenne nationale.</p>",
                "success_factors": "<p>La présence physique dans le quartier et l'appui des parrains.</p>",
                "difficulties": "<p>L'accès au crédit bancaire et aux locaux commerciaux à loyer modéré.</p>",
                "transferability": "<p>Reproductible avec un opérateur ancré localement et des financements "
                "pluriannuels.</p>",
                "outlook": "<p>Ouvrir une boutique à l'essai dans un local vacant de la rue commerçante.</p>",
            },
            links=[("Banque des Territoires", "https://www.banquedesterritoires.fr/")],
        ),
        story(
            "conseils-citoyens",
            title="Un cycle de qualification pour les conseillers citoyens — {commune}",
            summary=(
                "Le centre de ressources {centre} a conçu avec les villes un cycle de qualification pour les "
                "membres des conseils citoyens : comprendre le contrat de ville, prendre la parole en comité de "
                "pilotage, mener un diagnostic, animer une réunion."
            ),
            status="terminee",
            start=(2023, 1),
            months=12,
            multi=True,
            porteur=("{centre}", "association"),
            partners=["Villes de {commune} et {commune2}", "Délégués du préfet", "Conseils citoyens"],
            funders=[(*STATE_147, 12000), ("Ville de {commune}", "collectivite", 3000)],
            themes=["participation-habitants"],
            publics=["habitants", "elus", "professionnels"],
            pillars=["cohesion_sociale"],
            axes=["citoyennete_participation", "laicite_valeurs_republique"],
            tags=["conseils citoyens", "qualification", "participation"],
            numbers={"n1": 36, "n2": 5},
            sections={
                "context": "<p>Plusieurs conseils citoyens s'essoufflaient : membres peu nombreux, sentiment de ne "
                "pas être entendus, méconnaissance du fonctionnement du contrat de ville.</p>",
                "objectives": "<ul><li>Donner aux conseillers citoyens les clés du contrat de ville.</li><li>Les "
                "outiller pour participer réellement aux instances.</li><li>Créer des liens entre conseils."
                "</li></ul>",
                "description": "<p>Cinq samedis répartis sur l'année, alternant apports et mises en situation, "
                "animés par l'équipe du centre de ressources, avec des interventions d'élus et de délégués du "
                "préfet. Une journée finale a réuni les conseils et les élus de {commune} et {commune2}.</p>",
                "means": "<p>Deux chargés de mission du centre de ressources, des salles municipales, un livret "
                "pédagogique remis à chaque participant.</p>",
                "results": "<p>{n1} conseillers formés, issus de {n2} conseils ; plusieurs ont présenté eux-mêmes "
                "leur avis lors du comité de pilotage suivant.</p>",
                "success_factors": "<p>Les horaires adaptés (samedis), la garde d'enfants et l'implication des "
                "élus lors de la journée finale.</p>",
                "difficulties": "<p>Mobiliser au-delà des membres déjà très engagés.</p>",
                "transferability": "<p>Le livret pédagogique est réutilisable ; il faut l'adapter aux instances "
                "locales.</p>",
                "outlook": "<p>Le cycle sera reconduit pour les nouveaux conseils installés avec les contrats de "
                "ville 2024-2030.</p>",
            },
            links=[ANCT],
        ),
        story(
            "sport-sante",
            title="Sport-santé au féminin dans le quartier {quartier}",
            summary=(
                "Des séances de marche nordique, de renforcement musculaire et de danse, réservées aux femmes et "
                "animées par une éducatrice sportive, pour reprendre une activité physique près de chez soi, avec "
                "garde d'enfants."
            ),
            status="terminee",
            start=(2022, 9),
            months=22,
            porteur=("Association sportive {quartier}", "association"),
            partners=["Maison de santé", "Centre social", "Ville de {commune} — service des sports"],
            funders=[
                ("Agence nationale du sport", "etablissement_public", 8000),
                ("Ville de {commune}", "collectivite", 4000),
                ("Agence régionale de santé", "etablissement_public", 5000),
            ],
            themes=["sport", "sante"],
            publics=["femmes"],
            pillars=["cohesion_sociale"],
            axes=["egalite_femmes_hommes"],
            tags=["sport-santé", "femmes", "activité physique adaptée"],
            numbers={"n1": 64, "n2": 40},
            sections={
                "context": "<p>Les équipements sportifs du quartier {quartier} sont occupés très majoritairement "
                "par des garçons et des hommes ; les femmes rencontrées par la maison de santé évoquaient le "
                "manque d'activités adaptées.</p>",
                "objectives": "<ul><li>Permettre aux femmes de reprendre une activité physique régulière.</li>"
                "<li>Prévenir les maladies chroniques (diabète, surpoids).</li><li>Occuper l'espace public.</li>"
                "</ul>",
                "description": "<p>Trois créneaux par semaine, dont un en extérieur. Les médecins de la maison de "
                "santé orientent des patientes ; une garde d'enfants est assurée par le centre social.</p>",
                "means": "<p>Une éducatrice sportive diplômée en activité physique adaptée, le gymnase municipal, "
                "du matériel acheté avec l'aide de l'Agence nationale du sport.</p>",
                "results": "<p>{n1} participantes, dont {n2} % présentes plus de six mois ; plusieurs se sont "
                "ensuite inscrites dans un club.</p>",
                "success_factors": "<p>La non-mixité choisie, la gratuité et la garde d'enfants.</p>",
                "difficulties": "<p>Le maintien des créneaux pendant les vacances scolaires.</p>",
                "transferability": "<p>Facile à mettre en place avec un club volontaire et une structure de santé "
                "prescriptrice.</p>",
                "outlook": "<p>L'action s'est terminée avec la fin du financement ; le club cherche à l'intégrer à "
                "une maison sport-santé.</p>",
            },
            links=[("Assurance maladie — prévention", "https://www.ameli.fr/")],
        ),
        story(
            "memoire",
            title="Mémoires du quartier {quartier} : une résidence artistique pendant la rénovation urbaine",
            summary=(
                "Pendant les démolitions et reconstructions du quartier {quartier}, une compagnie a recueilli la "
                "parole des habitants, anciens et nouveaux, pour en faire un spectacle, une exposition dans les "
                "halls et un fonds sonore confié aux archives municipales."
            ),
            status="terminee",
            start=(2021, 5),
            months=20,
            porteur=("Compagnie Les Passeurs de mémoire", "association"),
            partners=["{bailleur}", "Archives municipales de {commune}", "Médiathèque", "Équipe projet ANRU"],
            funders=[
                ("Direction régionale des affaires culturelles", "etat", 15000),
                ("{bailleur}", "bailleur", 10000),
                ("Ville de {commune}", "collectivite", 6000),
            ],
            themes=["culture", "renouvellement-urbain", "participation-habitants"],
            publics=["habitants", "seniors", "jeunes"],
            pillars=["cadre_de_vie", "cohesion_sociale"],
            axes=["citoyennete_participation"],
            tags=["mémoire", "rénovation urbaine", "résidence artistique"],
            numbers={"n1": 120, "n2": 850},
            sections={
                "context": "<p>Le projet de renouvellement urbain du quartier {quartier} prévoyait la démolition de "
                "deux barres. Beaucoup d'habitants vivaient mal cette disparition de leur cadre de vie.</p>",
                "objectives": "<ul><li>Accompagner le changement en donnant la parole aux habitants.</li><li>Garder "
                "une trace de l'histoire du quartier.</li><li>Faire se rencontrer anciens et nouveaux habitants."
                "</li></ul>",
                "description": "<p>Pendant vingt mois, la compagnie a mené des entretiens, des ateliers d'écriture "
                "et de photographie, puis créé un spectacle joué au pied des immeubles. Les portraits ont été "
                "exposés dans les halls des immeubles neufs.</p>",
                "means": "<p>Trois artistes en résidence, un appartement prêté par {bailleur}, l'appui des archives "
                "municipales pour la conservation des enregistrements.</p>",
                "results": "<p>{n1} habitants interviewés ; {n2} spectateurs ; un fonds de quarante heures "
                "d'enregistrements désormais consultable.</p>",
                "success_factors": "<p>L'installation des artistes dans le quartier et le lien avec l'équipe projet "
                "de la rénovation urbaine.</p>",
                "difficulties": "<p>Le calendrier des démolitions, plusieurs fois décalé.</p>",
                "transferability": "<p>Prévoir l'action dès la concertation du projet urbain et un partenaire pour "
                "conserver les archives.</p>",
                "outlook": "<p>Une balade sonore géolocalisée reprend les récits dans le quartier rénové.</p>",
            },
            links=[SIG_VILLE],
        ),
        story(
            "parrainage",
            title="Parrainage vers l'emploi et lutte contre les discriminations à l'embauche — {commune}",
            summary=(
                "Des salariés et cadres d'entreprises du territoire parrainent des jeunes diplômés des quartiers "
                "prioritaires de {commune} ; en parallèle, les entreprises participantes se forment à des "
                "pratiques de recrutement non discriminantes."
            ),
            status="en_cours",
            start=(2023, 3),
            porteur=("Réseau Parrains vers l'emploi", "association"),
            partners=["Club d'entreprises du territoire", "Mission locale", "Université", "Défenseur des droits"],
            funders=[
                (*STATE_147, 15000),
                ("Conseil régional", "collectivite", 10000),
                ("Entreprises du club (mécénat)", "entreprise", 12000),
            ],
            themes=["emploi", "insertion"],
            publics=["jeunes", "entreprises"],
            pillars=["developpement_economique"],
            axes=["lutte_discriminations", "jeunesse"],
            tags=["parrainage", "discriminations", "jeunes diplômés"],
            numbers={"n1": 90, "n2": 68},
            sections={
                "context": "<p>À diplôme égal, les jeunes du quartier {quartier} accèdent plus difficilement à "
                "l'emploi qualifié. Les entreprises du territoire reconnaissaient manquer de réseaux dans les "
                "quartiers.</p>",
                "objectives": "<ul><li>Ouvrir le réseau professionnel des jeunes diplômés.</li><li>Faire évoluer "
                "les pratiques de recrutement des entreprises.</li></ul>",
                "description": "<p>Chaque jeune est suivi six mois par un parrain : préparation aux entretiens, "
                "mises en relation, visites d'entreprises. Les entreprises suivent un module sur les "
                "discriminations à l'embauche et révisent leurs grilles d'entretien.</p>",
                "means": "<p>Une chargée de mission, {n1} parrains bénévoles, des modules de formation animés avec "
                "un juriste spécialisé.</p>",
                "results": "<p>{n2} % des jeunes parrainés ont trouvé un emploi correspondant à leur qualification "
                "dans l'année ; douze entreprises ont modifié leurs procédures de recrutement.</p>",
                "success_factors": "<p>L'engagement personnel des parrains et le double travail, auprès des jeunes "
                "et des employeurs.</p>",
                "difficulties": "<p>Mesurer les discriminations sans stigmatiser les entreprises partenaires.</p>",
                "transferability": "<p>Transposable partout où existe un club d'entreprises ; la formation des "
                "recruteurs est l'élément le plus original.</p>",
                "outlook": "<p>Étendre le parrainage aux étudiants de première année pour prévenir le décrochage.</p>",
            },
            links=[("Défenseur des droits", "https://www.defenseurdesdroits.fr/")],
        ),
        story(
            "energie",
            title="Ambassadeurs de l'énergie chez les locataires de {bailleur} — {quartier}",
            summary=(
                "Des habitants formés comme ambassadeurs de l'énergie rendent visite à leurs voisins pour les aider "
                "à réduire leurs factures : éco-gestes, lecture des factures, petits équipements, orientation vers "
                "les aides, dans des immeubles en cours de réhabilitation thermique."
            ),
            status="en_cours",
            start=(2024, 1),
            porteur=("{bailleur}", "bailleur"),
            partners=[
                "Agence locale de l'énergie",
                "Centre social",
                "Ville de {commune}",
                "Fournisseur d'énergie partenaire",
            ],
            funders=[
                ("{bailleur}", "bailleur", 25000),
                ("Certificats d'économies d'énergie", "entreprise", 20000),
                ("Ville de {commune}", "collectivite", 8000),
            ],
            themes=["habitat", "transition-ecologique"],
            publics=["habitants", "familles", "seniors"],
            pillars=["cadre_de_vie"],
            axes=["citoyennete_participation"],
            tags=["précarité énergétique", "réhabilitation", "éco-gestes"],
            numbers={"n1": 350, "n2": 12},
            sections={
                "context": "<p>La hausse des prix de l'énergie a fragilisé de nombreux locataires du quartier "
                "{quartier}, dans des immeubles anciens que {bailleur} réhabilite progressivement.</p>",
                "objectives": "<ul><li>Réduire les factures d'énergie des ménages.</li><li>Accompagner l'usage des "
                "logements réhabilités.</li><li>Valoriser les compétences d'habitants.</li></ul>",
                "description": "<p>Des habitants volontaires, formés par l'agence locale de l'énergie, réalisent "
                "des visites à domicile d'une heure et installent de petits équipements (mousseurs, multiprises). "
                "Des ateliers collectifs ont lieu dans le local commun résidentiel.</p>",
                "means": "<p>Huit ambassadeurs indemnisés, une coordinatrice chez {bailleur}, des kits d'économie "
                "d'énergie financés par les certificats d'économies d'énergie.</p>",
                "results": "<p>{n1} logements visités ; une économie moyenne estimée à {n2} % sur les factures "
                "des ménages suivis.</p>",
                "success_factors": "<p>La relation de pair à pair : un voisin ouvre plus facilement sa porte qu'un "
                "technicien.</p>",
                "difficulties": "<p>Suivre les consommations réelles sans accès direct aux données des "
                "fournisseurs.</p>",
                "transferability": "<p>À conduire en lien avec un chantier de réhabilitation pour en démultiplier "
                "les effets.</p>",
                "outlook": "<p>Former une deuxième promotion d'ambassadeurs et ouvrir les visites aux "
                "copropriétés dégradées voisines.</p>",
            },
            links=[ANCT],
        ),
    ]
}


def sheet_uuid(centre_code, story_key):
    return uuid.uuid5(NAMESPACE, f"{centre_code}/{story_key}")


def _amount(base, factor):
    if base is None:
        return None
    return Decimal(max(500, round(base * factor / 500) * 500))


def _phone(region_code, n):
    prefix = FICTION_PHONE.get(PHONE_AREA.get(region_code, ""), "06 39 98")
    return f"{prefix} {10 + n % 90:02d} {(n * 37) % 100:02d}"


def _email(name, organisation):
    first, _, last = name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}@{slugify(organisation)[:30].strip('-')}.example.org"


def _period(story, shift):
    year, month = story["start"]
    start = date(year + shift, month, 1)
    if story["status"] != "terminee":
        return start, None, True
    months = start.month - 1 + story["months"]
    return start, date(start.year + months // 12, months % 12 + 1, 1), False


def build_sheet(centre, index, position, story, site, neighbour, vocab):
    """An unsaved sheet for this centre, story and site, with its child objects."""
    insee, commune, dep_code, qpv_code, qpv_name, bailleur = site
    departement = vocab["departements"][dep_code]
    factor = 0.8 + ((index * 7 + position * 3) % 9) * 0.075
    shift = (index + position) % 3 - 1
    words = {
        "commune": commune,
        "commune2": neighbour[1],
        "quartier": qpv_name,
        "bailleur": bailleur,
        "centre": centre.name,
        "departement": departement.name,
    }
    # Counts scale with the centre; small numbers (often percentages) only move a little.
    for key, value in story["numbers"].items():
        words[key] = round(value * factor) if value > 100 else round(value * (0.9 + factor / 10))
    start, end, ongoing = _period(story, shift)
    porteur = story["porteur"][0].format(**words)
    contact_name = CONTACTS[(index * 3 + position) % len(CONTACTS)]
    funders = [
        SheetFunder(name=name.format(**words), type=kind, amount_eur=_amount(base, factor))
        for name, kind, base in story["funders"]
    ]
    known = sum((f.amount_eur for f in funders if f.amount_eur is not None), Decimal(0))
    sheet = ExperienceSheetPage(
        uuid=sheet_uuid(centre.code, story["key"]),
        title=story["title"].format(**words),
        summary=story["summary"].format(**words),
        centre=centre,
        # The author is centre staff, never the contact: a hidden contact must not surface through another field.
        author=f"{CONTACTS[(index * 3 + position + 11) % len(CONTACTS)]} ({centre.name})",
        written_on=end.replace(day=15) if end else min(date(start.year + 1, 6, 15), date(2026, 6, 15)),
        period_start=start,
        period_end=end,
        period_ongoing=ongoing,
        status=story["status"],
        region=departement.region,
        departement=departement,
        hors_qpv=story.get("hors_qpv", False),
        porteur_name=porteur,
        porteur_type=story["porteur"][1],
        budget_eur=(known * Decimal("1.12") / 100).quantize(Decimal(1)) * 100,
        contact_name=contact_name,
        contact_organisation=porteur,
        contact_email=_email(contact_name, porteur),
        contact_phone=_phone(departement.region.code, index * 3 + position),
        # Every other sheet: each centre shows both a public and a hidden contact.
        contact_public=(index + position) % 2 == 0,
        **{key: html.format(**words) for key, html in story["sections"].items()},
    )
    slug = slugify(sheet.title)
    sheet.slug = slug if len(slug) <= 80 else slug[:80].rsplit("-", 1)[0]
    sheet.communes = [SheetCommune(insee=insee, name=commune)]
    if story.get("multi") and neighbour[0] != insee:
        sheet.communes.add(SheetCommune(insee=neighbour[0], name=neighbour[1]))
    if not story.get("hors_qpv"):
        sheet.qpvs = [SheetQpv(code=qpv_code, name=qpv_name)]
    sheet.partners = [SheetPartner(name=name.format(**words)) for name in story["partners"]]
    sheet.funders = funders
    sheet.links = [SheetLink(title=title, url=url) for title, url in story["links"]]
    if not story.get("hors_qpv"):
        sheet.documents = [SheetDocument(title=f"Fiche du quartier {qpv_name} (SIG Ville)", url=SIG_VILLE[1])]
    for field, model in (("pillars", "pillars"), ("transversal_axes", "axes"), ("themes", "themes")):
        setattr(sheet, field, [vocab[model][slug] for slug in story[model]])
    sheet.publics = [vocab["publics"][slug] for slug in story["publics"]]
    sheet.tags.add(*story["tags"])
    return sheet


def load(command):
    existing = set(ExperienceSheetPage.objects.values_list("uuid", flat=True))
    vocab = {
        "departements": {d.code: d for d in Departement.objects.select_related("region")},
        "pillars": {t.slug: t for t in Pillar.objects.all()},
        "axes": {t.slug: t for t in TransversalAxis.objects.all()},
        "themes": {t.slug: t for t in Theme.objects.all()},
        "publics": {t.slug: t for t in Public.objects.all()},
    }
    created = 0
    for index, centre in enumerate(Centre.objects.filter(code__in=PLAN).order_by("code")):
        section = CentrePage.objects.filter(centre=centre).first()
        if section is None:
            continue
        sites = SITES[centre.code]
        for position, key in enumerate(PLAN[centre.code]):
            if sheet_uuid(centre.code, key) in existing:
                continue
            neighbour = sites[(position + 1) % len(sites)]
            sheet = build_sheet(centre, index, position, STORIES[key], sites[position], neighbour, vocab)
            section.add_child(instance=sheet)
            sheet.save_revision().publish()
            created += 1
    command.say(f"Fiches d'expériences de démonstration : {created} créées.")

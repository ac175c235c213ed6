"""French articles, contractions and elisions before place names (portal/core/places.py)."""

import pytest

from portal.core import places


@pytest.mark.parametrize(
    "name, at, of, for_",
    [
        ("Le Port", "au Port", "du Port", "pour Le Port"),
        ("Les Abymes", "aux Abymes", "des Abymes", "pour Les Abymes"),
        ("La Réunion", "à La Réunion", "de La Réunion", "pour La Réunion"),
        ("Guyane", "en Guyane", "de la Guyane", "pour la Guyane"),
        ("Mayotte", "à Mayotte", "de Mayotte", "pour Mayotte"),
        ("Paris", "à Paris", "de Paris", "pour Paris"),
        ("Hauts-de-France", "dans les Hauts-de-France", "des Hauts-de-France", "pour les Hauts-de-France"),
        ("Grand Est", "dans le Grand Est", "du Grand Est", "pour le Grand Est"),
        ("Val-d'Oise", "dans le Val-d'Oise", "du Val-d'Oise", "pour le Val-d'Oise"),
        ("Essonne", "en Essonne", "de l'Essonne", "pour l'Essonne"),
        ("Évry-Courcouronnes", "à Évry-Courcouronnes", "d'Évry-Courcouronnes", "pour Évry-Courcouronnes"),
        ("Ozanam", "à Ozanam", "d'Ozanam", "pour Ozanam"),
        ("Hem", "à Hem", "de Hem", "pour Hem"),  # h aspiré: no elision
        (
            "Guadeloupe, Saint-Martin",
            "en Guadeloupe et à Saint-Martin",
            "de la Guadeloupe et de Saint-Martin",
            "pour la Guadeloupe et Saint-Martin",
        ),
        (
            "Bretagne, Pays de la Loire",
            "en Bretagne et dans les Pays de la Loire",
            "de la Bretagne et des Pays de la Loire",
            "pour la Bretagne et les Pays de la Loire",
        ),
    ],
)
def test_prepositions_follow_each_place(name, at, of, for_):
    assert (places.at(name), places.of(name), places.for_(name)) == (at, of, for_)


@pytest.mark.parametrize(
    "name, subject",
    [
        ("Centre de ressources de Paris", "Le Centre de ressources de Paris"),
        ("IREV", "L'IREV"),
        ("CR-CSUR", "Le CR-CSUR"),
        ("Labo Cités", "Labo Cités"),
        ("Guyane", "La Guyane"),
    ],
)
def test_a_name_opening_a_sentence_takes_its_article(name, subject):
    assert places.subject(name) == subject


def test_contract_fixes_bare_prepositions_in_generated_text():
    text = "Ville de Le Port. Habitants de Les Abymes, à Le Port et à Les Abymes ; maison de Ozanam. De Évry à Paris."
    assert places.contract(text) == (
        "Ville du Port. Habitants des Abymes, au Port et aux Abymes ; maison d'Ozanam. D'Évry à Paris."
    )
    # Lower-case words are not place names: left alone.
    assert places.contract("de le faire, de une à deux") == "de le faire, de une à deux"

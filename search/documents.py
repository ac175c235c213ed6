"""The portal index: one document per public page, with a French analysis chain.

Analysis, for text fields:
- index time: whitespace tokenizer → elision (l', d', qu'…) → lowercase → asciifolding
  (é → e) → word delimiter (splits on punctuation and hyphens, and keeps the joined form of a
  compound: « socio-linguistiques » gives `socio`, `linguistiques` and `sociolinguistiques`) →
  French stop words → `light_french` stemmer;
- search time: the same, with the politique-de-la-ville synonyms (`data/synonyms.txt`)
  as a `synonym_graph` filter before the word delimiter, so multi-word synonyms (QPV ↔ quartier
  prioritaire) work both ways and changing them needs a rebuild, not a reindex of the sources.
  A hyphenated query word matches its split and its joined form (« adultes-relais » ≡ « adultes
  relais », « socio-linguistiques » ≡ « sociolinguistiques »), as in the fallback (`normalise.py`).
  The word delimiter comes after the synonyms: it cannot parse synonym rules.
`light_french` (Savoy's light stemmer) rather than the aggressive `french` Snowball
stemmer: it conflates singular/plural and gender (quartier/quartiers, éducatif/éducative)
without merging unrelated words (the Snowball stemmer reduces « communauté » and
« commune » to the same stem, which hurts precision on territorial vocabulary).
"""

from pathlib import Path

from .engine import dsl

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.txt"
FRENCH_ELISIONS = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]


def synonym_rules(path=SYNONYMS_FILE):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


elision = dsl.token_filter("fr_elision", type="elision", articles_case=True, articles=FRENCH_ELISIONS)
stop = dsl.token_filter("fr_stop", type="stop", stopwords="_french_")
stemmer = dsl.token_filter("fr_stemmer", type="stemmer", language="light_french")
synonyms = dsl.token_filter("pv_synonyms", type="synonym_graph", synonyms=synonym_rules(), lenient=True)
compounds = dsl.token_filter(
    "fr_compounds",
    type="word_delimiter_graph",
    catenate_words=True,  # « socio-linguistiques » also as « sociolinguistiques »
    split_on_case_change=False,  # « ASL », « RéussiteÉducative »: one word
    split_on_numerics=False,
    stem_english_possessive=False,
)

french_index = dsl.analyzer(
    "fr_index",
    tokenizer="whitespace",
    # A graph filter at index time must be flattened (positions of the joined form).
    filter=[elision, "lowercase", "asciifolding", compounds, "flatten_graph", stop, stemmer],
)
french_search = dsl.analyzer(
    "fr_search",
    tokenizer="whitespace",
    filter=[elision, "lowercase", "asciifolding", synonyms, compounds, stop, stemmer],
)
# Unstemmed, for suggestions and "did you mean": words as people type them, accents folded.
folded = dsl.analyzer("fr_folded", tokenizer="standard", filter=[elision, "lowercase", "asciifolding"])


def french_text(**kwargs):
    return dsl.Text(analyzer=french_index, search_analyzer=french_search, **kwargs)


class PortalDocument(dsl.Document):
    kind = dsl.Keyword()  # the content kind's slug (portal.core.kinds), filled by search
    type = dsl.Keyword()  # resource type or content kind slug: the "type" facet
    title = french_text(
        copy_to="spelling",
        fields={"raw": dsl.Keyword(), "suggest": dsl.SearchAsYouType(analyzer=folded)},
    )
    summary = french_text(copy_to="spelling")
    sections = french_text()
    attachments = french_text()
    tags = french_text(fields={"raw": dsl.Keyword()})
    spelling = dsl.Text(analyzer=folded)
    title_key = dsl.Keyword()  # copies of one result share it: collapsed on (search/collapse.py)

    uuid = dsl.Keyword()
    page_id = dsl.Integer()
    url = dsl.Keyword(index=False)
    centre = dsl.Keyword()
    region = dsl.Keyword()
    departement = dsl.Keyword()
    commune = dsl.Keyword()  # INSEE codes: not a facet, the territory boost (territory.py)
    pillar = dsl.Keyword()
    axis = dsl.Keyword()
    theme = dsl.Keyword()
    public = dsl.Keyword()
    year = dsl.Integer()
    date = dsl.Date()
    updated_at = dsl.Date()  # the source's last change: `search_index check` compares it


INDEX_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0, "max_ngram_diff": 2}


def build_index(name, replicas=0):
    """A (not yet created) versioned index with the portal's analysis and mapping."""
    index = dsl.Index(name)
    index.settings(**{**INDEX_SETTINGS, "number_of_replicas": replicas})
    index.document(PortalDocument)
    return index

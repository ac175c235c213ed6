"""What is indexable, how a page becomes a search document, and the two sinks that keep it.

The indexing interface is a declaration and one method: an indexable page model declares its
`content_kind` (portal.core.kinds) and defines `search_document()` returning a plain dict (keys
of `documents.PortalDocument`; `kind`, `type`, `date` and `year` come from the declaration, see
`declarations.py`), and optionally a classmethod `search_queryset(queryset)` adding the
prefetching its documents need. Search imports nothing else from the content packages.
"""

import html
import re
import unicodedata

from django.db import connection, transaction
from wagtail.models import Page

from resources.taxonomy.facets import FILTER_NAMES

from . import engine
from .declarations import declared_fields, indexable_models
from .models import SearchEntry, SearchFacetValue

# Facets in display order (the portal's filter vocabulary); each is a keyword field of the index
# and a SearchFacetValue.facet.
FACETS = FILTER_NAMES
# Keys kept with the facets' (SearchFacetValue rows) but not offered as filters: the communes'
# INSEE codes, which the territory boost reads (territory.py).
KEYS = [*FACETS, "commune"]
TEXT_FIELDS = ["title", "summary", "sections", "attachments", "tags"]


def live_queryset(model):
    """The model's searchable pages (not its subclasses': they are listed on their own), by id."""
    queryset = model.objects.live().public().exact_type(model).order_by("pk")
    prepare = getattr(model, "search_queryset", None)
    return prepare(queryset) if prepare else queryset


def public_only(items, page_id_of):
    """The items whose page is live and public now, in their order.

    The query side's guard: the index may lag behind the database (an unpublication or a view
    restriction the outbox has not synced yet), it must never show such a page. One query on
    the few ids of a page of results, plus one for the view restrictions.
    """
    items = list(items)
    ids = {page_id_of(item) for item in items}
    public = set(Page.objects.filter(pk__in=ids).live().public().values_list("pk", flat=True)) if ids else set()
    return [item for item in items if page_id_of(item) in public]


# A tag starts with a letter (or / and a letter), or is a comment: « a < b » is text.
# Quoted attribute values may hold ">".
TAG = re.compile(r"""<(?:/?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*|!--.*?--)>""", re.DOTALL)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def plain_text(markup):
    """Text of an HTML fragment for indexing: tags become spaces, entities are decoded.

    A regular expression rather than `strip_tags` (an HTMLParser per call, a quarter of a
    rebuild's time): the fragments are the portal's own rich text, already sanitised, and a
    space per tag keeps « <p>a</p><p>b</p> » two words.
    """
    if not markup or "<" not in markup and "&" not in markup:
        return markup or ""
    return html.unescape(TAG.sub(" ", SCRIPT_OR_STYLE.sub(" ", markup)))


# The combining marks French accents decompose to (U+034F, the grapheme joiner, is not one).
COMMON_COMBINING = re.compile("[\u0300-\u034e\u0350-\u036f]+")
NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _drop_combining(match):
    return "".join(c for c in match.group() if not unicodedata.combining(c))


def fold(text):
    """Lower case without accents: what both the fallback and the engine's analysis compare.

    Every combining character is dropped after NFKD decomposition; the common diacritics go in
    one regular-expression pass and only what is still non-ASCII is looked at character by
    character (a rebuild folds every document: this is twice as fast as a per-character loop).
    """
    decomposed = COMMON_COMBINING.sub("", unicodedata.normalize("NFKD", text or ""))
    if not decomposed.isascii():
        decomposed = NON_ASCII.sub(_drop_combining, decomposed)
    return decomposed.lower()


TITLE_WORDS = re.compile(r"[^\W_]+")


def title_key(kind, title, page_id):
    """The key that makes two documents copies of one result (`collapse.py`): the kind and the title
    folded, punctuation and spacing ignored (« Guide : l’ASL » = « guide - L'asl »). A title without
    a letter or digit is a group of its own (the page's id), never one of all such titles."""
    words = " ".join(TITLE_WORDS.findall(fold(title)))
    return f"{kind}:{words or f'#{page_id}'}"[:255]


def original_span(text, start, end):
    """The span of `text` whose folding is `fold(text)[start:end]`.

    Folding changes lengths (« … » → « ... », « ﬁ » → « fi », a decomposed accent → nothing),
    so an offset found in the folded text is walked back here: ASCII stretches fold one to one
    and are skipped whole, non-ASCII characters are folded one by one.
    """
    first = _original_index(text, start)
    last = _original_index(text, max(end - 1, start)) + 1
    while last < len(text) and unicodedata.combining(text[last]):
        last += 1  # keep the accents of the last letter
    return first, last


def _original_index(text, folded_index):
    """Index in `text` of the character whose folding holds position `folded_index`."""
    original = folded = 0
    for run in NON_ASCII.finditer(text):
        ascii_length = run.start() - original
        if folded_index < folded + ascii_length:
            break
        original, folded = run.start(), folded + ascii_length
        for char in run.group():
            width = len(fold(char))
            if folded_index < folded + width:
                return original
            original, folded = original + 1, folded + width
    return original + (folded_index - folded)


def as_list(value):
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def document_for(page):
    """The search document of a live, public page (a dict), or None when it must not be found."""
    page = page.specific
    if not callable(getattr(page, "search_document", None)):
        return None
    doc = {**page.search_document(), **declared_fields(page)}
    doc["page_id"] = page.pk
    doc.setdefault("url", page.url)
    doc.setdefault("updated_at", page.last_published_at)
    doc["title_key"] = title_key(doc.get("kind"), doc["title"], page.pk)
    for name in ("sections", "attachments", "summary"):
        doc[name] = plain_text(doc.get(name))
    return doc


def documents_for(page_ids):
    """{page_id: document or None} for these ids: None means 'remove from search'."""
    found = dict.fromkeys(page_ids)
    for model in indexable_models():
        for page in live_queryset(model).filter(pk__in=page_ids):
            found[page.pk] = document_for(page)
    return found


# ---- sink 1: the database entries used by the fallback ----------------------------------


def _entry_fields(doc):
    body = " ".join(filter(None, [doc.get("sections"), doc.get("attachments")]))
    from .normalise import index_text  # normalise builds on this module's `fold`

    folded = index_text(
        " ".join(filter(None, [doc["title"], doc.get("summary"), body, " ".join(as_list(doc.get("tags")))]))
    )
    return {
        "kind": doc["kind"],
        "type": doc.get("type") or "",
        "title": doc["title"][:255],
        # Documents built elsewhere (benchmarks, tests) may come without it.
        "title_key": doc.get("title_key") or title_key(doc["kind"], doc["title"], doc.get("page_id")),
        "summary": doc.get("summary") or "",
        "body": body,
        "folded": folded,
        "uuid": doc.get("uuid") or "",
        "url": doc.get("url") or "",
        "centre": doc.get("centre") or "",
        "region": (as_list(doc.get("region")) or [""])[0],
        "departement": (as_list(doc.get("departement")) or [""])[0],
        "year": doc.get("year"),
        "date": doc.get("date"),
        "updated_at": doc.get("updated_at"),
    }


def _update_vocabulary(documents, present):
    """Keep the fallback's spelling vocabulary (`spelling.py`) in step, from the entries' old text."""
    from . import spelling  # it builds on this module's `fold`

    old = {
        page_id: (title, summary)
        for page_id, title, summary in SearchEntry.objects.filter(page_id__in=list(documents)).values_list(
            "page_id", "title", "summary"
        )
    }
    spelling.update(old, {page_id: (doc["title"][:255], doc.get("summary") or "") for page_id, doc in present.items()})


@transaction.atomic
def write_entries(documents):
    _update_vocabulary(documents, {page_id: doc for page_id, doc in documents.items() if doc is not None})
    removed = [page_id for page_id, doc in documents.items() if doc is None]
    SearchEntry.objects.filter(page_id__in=removed).delete()
    present = {page_id: doc for page_id, doc in documents.items() if doc is not None}
    if not present:
        return
    # A plain DELETE: `.delete()` would load every row to send pre/post_delete, because
    # search.signals listens to them for all senders (it acts on pages only).
    stale = SearchFacetValue.objects.filter(entry_id__in=list(present))
    stale._raw_delete(stale.db)
    entries = [SearchEntry(page_id=page_id, **_entry_fields(doc)) for page_id, doc in present.items()]
    SearchEntry.objects.bulk_create(
        entries,
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=list(_entry_fields(next(iter(present.values())))),
    )
    rows = [
        (page_id, facet, str(value))
        for page_id, doc in present.items()
        for facet in KEYS
        for value in set(as_list(doc.get(facet)))
    ]
    _insert_facet_values(rows)
    from .territory import forget  # (territory reads indexing) a sheet may name a new commune

    forget()


def _insert_facet_values(rows):
    """`bulk_create(ignore_conflicts=True)` of (entry_id, facet, value) rows.

    On PostgreSQL one `INSERT … SELECT unnest(…) ON CONFLICT DO NOTHING` without building a
    model instance per row (a rebuild writes about fifteen per document).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        values = [SearchFacetValue(entry_id=entry_id, facet=facet, value=value) for entry_id, facet, value in rows]
        SearchFacetValue.objects.bulk_create(values, ignore_conflicts=True)
        return
    entry_ids, facets, values = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SearchFacetValue._meta.db_table} (entry_id, facet, value) "  # noqa: S608
            "SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::varchar[]) ON CONFLICT DO NOTHING",
            [entry_ids, facets, values],
        )


# ---- sink 2: the engine -------------------------------------------------------------------


def engine_actions(documents, index):
    for page_id, doc in documents.items():
        if doc is None:
            yield {"_op_type": "delete", "_index": index, "_id": f"page-{page_id}"}
        else:
            yield {"_op_type": "index", "_index": index, "_id": f"page-{page_id}", "_source": engine_source(doc)}


def engine_source(doc):
    source = {key: value for key, value in doc.items() if value not in (None, "", [])}
    for key in ("date", "updated_at"):
        if key in source:
            source[key] = source[key].isoformat()
    return source


def _refusal(operation):
    """(transient, reason) of an item the engine refused.

    Transient: the engine's state, not the document (overloaded, read-only index, shard
    failure): retried without limit. Otherwise the document itself is refused (mapping).
    """
    error = operation.get("error") or {}
    kind = error.get("type", "") if isinstance(error, dict) else ""
    status = operation.get("status", 0)
    transient = status == 429 or status >= 500 or kind == "cluster_block_exception"
    return transient, f"{status} {kind}: {error.get('reason', error) if isinstance(error, dict) else error}"[:2000]


def write_engine(documents, index=None):
    """Bulk-apply documents to the engine (deleting the None ones).

    Returns {page_id: (transient, reason)} of the documents the engine refused; the others are
    applied. Never creates an index: writes require the alias (`require_alias`), and its
    absence raises `IndexMissing`. Raises the connection errors when the node is down.
    """
    index = index or engine.alias_name()
    refused = {}
    actions = engine_actions(documents, index)
    for ok, item in engine.streaming_bulk(
        engine.get_client(), actions, raise_on_error=False, raise_on_exception=True, require_alias=True
    ):
        op_type, operation = next(iter(item.items()))
        error = operation.get("error") or {}
        if not ok and isinstance(error, dict) and error.get("type") == "index_not_found_exception":
            raise engine.IndexMissing(f"Pas d'index derrière l'alias {index} : lancez `search_index ensure`.")
        # Deleting what is already absent is success: the page was never indexed.
        if not ok and not (operation.get("status") == 404 and op_type == "delete"):
            refused[int(operation["_id"].removeprefix("page-"))] = _refusal(operation)
    return refused


def sync_pages(page_ids):
    """Bring both sinks in step with the database for these pages.

    Returns {page_id: (transient, reason)} of the documents the engine refused (see `write_engine`).
    """
    documents = documents_for(list(page_ids))
    write_entries(documents)
    return write_engine(documents) if engine.enabled() else {}

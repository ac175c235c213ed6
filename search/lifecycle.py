"""Index lifecycle: zero-downtime rebuilds behind an alias, and drift checks against the database.

Ensure: on deploy, after `migrate`, the index is created (by a rebuild) when no alias exists;
writes never create one implicitly (see `indexing.write_engine`).

Rebuild: a new versioned index (`<alias>-<timestamp>`) is created and bulk-loaded while
queries keep hitting the alias; the alias then moves to it in one atomic `_aliases` call,
pages changed during the load are synced again, and the old index is dropped.
"""

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page

from . import engine, spelling
from .documents import build_index
from .indexing import document_for, engine_source, indexable_models, live_queryset, sync_pages, write_entries
from .models import SearchEntry

CHUNK = 500


def count_indexable():
    return sum(live_queryset(model).count() for model in indexable_models())


def iter_documents(chunk=CHUNK):
    """Every indexable document, streamed model by model with bounded memory."""
    for model in indexable_models():
        for page in live_queryset(model).iterator(chunk_size=chunk):
            doc = document_for(page)
            if doc is not None:
                yield doc


def _actions(index, documents):
    for doc in documents:
        yield {"_op_type": "index", "_index": index, "_id": f"page-{doc['page_id']}", "_source": engine_source(doc)}


def current_indices(client, alias):
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias).keys())


def ensure(progress=None):
    """Create and load the index behind the alias if there is none; idempotent. Returns the new index or None."""
    client = engine.get_client(timeout=120)
    if client.indices.exists_alias(name=engine.alias_name()):
        return None
    return rebuild(progress=progress)


def _sync_or_enqueue(page_ids):
    """Sync these pages; those the engine refuses go to the outbox, which retries them (or gives up)."""
    from .queue import enqueue

    enqueue(list(sync_pages(page_ids)))


def rebuild(progress=None, chunk=CHUNK, replicas=0):
    """Build a fresh index, swap the alias atomically, drop the old one. Returns the new index name."""
    client = engine.get_client(timeout=120)
    alias = engine.alias_name()
    started = timezone.now()
    name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1_000_000:06d}"
    build_index(name, replicas=replicas).create(using=client)
    # No refreshes while loading: one at the end is much cheaper.
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})
    _load(client, name, iter_documents(chunk), chunk, progress)
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)

    old = current_indices(client, alias)
    if client.indices.exists(index=alias) and not client.indices.exists_alias(name=alias):
        client.indices.delete(index=alias)  # a concrete index squatting the alias name (first run)
    actions = [{"add": {"index": name, "alias": alias}}] + [{"remove": {"index": o, "alias": alias}} for o in old]
    client.indices.update_aliases(body={"actions": actions})
    # Changes published while we loaded went to the old index: replay them on the new one.
    changed = Page.objects.filter(last_published_at__gte=started).values_list("pk", flat=True)
    _sync_or_enqueue(list(changed))
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    return name


def _load(client, index, documents, chunk, progress=None):
    """Bulk-load the documents chunk by chunk.

    Pipelined: while the engine indexes one chunk (its request runs in a worker thread), this
    thread reads the next chunk from the database and builds its documents; at most one
    request is in flight. The database is only touched from this thread, the worker only
    talks to the engine. The fallback's entries are not rewritten here: the indexing tasks
    keep them, `check --fix` repairs them and `rebuild_entries` rewrites them all.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-bulk") as pool:
        pending = None
        for batch in _batches(documents, chunk):
            actions = list(_actions(index, batch))
            if pending is not None:
                _acknowledge(pending, progress)
            pending = pool.submit(_send, client, actions, chunk)
        if pending is not None:
            _acknowledge(pending, progress)


def rebuild_entries(progress=None, chunk=CHUNK):
    """Rewrite every `SearchEntry` of the database fallback (after a change of what they hold).

    Chunk by chunk, each in its own transaction: the fallback keeps answering meanwhile, from
    old or new rows. Entries of pages no longer searchable are deleted at the end.
    """
    seen = set()
    for batch in _batches(iter_documents(chunk), chunk):
        write_entries({doc["page_id"]: doc for doc in batch})
        seen.update(doc["page_id"] for doc in batch)
        if progress:
            progress(len(batch))
    orphans = [page_id for page_id in SearchEntry.objects.values_list("page_id", flat=True) if page_id not in seen]
    for start in range(0, len(orphans), chunk):
        write_entries(dict.fromkeys(orphans[start : start + chunk]))
    spelling.rebuild()  # recount the vocabulary from the entries (drift of concurrent writes)
    return len(seen)


def _batches(documents, size):
    batch = []
    for doc in documents:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _send(client, actions, chunk):
    return list(engine.streaming_bulk(client, actions, chunk_size=chunk))


def _acknowledge(pending, progress):
    for ok, item in pending.result():
        if not ok:
            raise RuntimeError(f"Document refusé : {item}")
        if progress:
            progress()


@dataclass
class DriftReport:
    sink: str
    missing: list = field(default_factory=list)  # in the database, not in the sink
    stale: list = field(default_factory=list)  # in both, but not the published version
    orphans: list = field(default_factory=list)  # in the sink, no longer public

    @property
    def total(self):
        return len(self.missing) + len(self.stale) + len(self.orphans)

    def page_ids(self):
        return self.missing + self.stale + self.orphans

    def summary(self):
        return (
            f"{self.sink} : {len(self.missing)} manquant(s), {len(self.stale)} périmé(s), {len(self.orphans)} en trop"
        )


def expected_state():
    """{page_id: updated_at} of every page that should be searchable."""
    state = {}
    for model in indexable_models():
        state.update(model.objects.live().public().values_list("pk", "last_published_at"))
    return state


def _compare(sink, expected, actual):
    report = DriftReport(sink)
    for page_id, updated in expected.items():
        if page_id not in actual:
            report.missing.append(page_id)
        elif actual[page_id] != updated:
            report.stale.append(page_id)
    report.orphans = [page_id for page_id in actual if page_id not in expected]
    return report


def engine_state():
    from datetime import datetime

    client = engine.get_client(timeout=60)
    state = {}
    query = {"query": {"match_all": {}}, "_source": ["page_id", "updated_at"]}
    for hit in engine.scan(client, index=engine.alias_name(), query=query, size=1000):
        source = hit["_source"]
        updated = source.get("updated_at")
        state[source["page_id"]] = datetime.fromisoformat(updated) if updated else None
    return state


def check(fix=False, progress=None, total=None):
    """Drift of the database entries and (when configured) of the engine; repaired with fix=True.

    While repairing, `total(n)` is told how many pages will be synced and `progress(k)` after
    each chunk of k.
    """
    expected = expected_state()
    reports = [_compare("database", expected, dict(SearchEntry.objects.values_list("page_id", "updated_at")))]
    if engine.enabled():
        reports.append(_compare("engine", expected, engine_state()))
    if fix:
        to_sync = sorted({page_id for report in reports for page_id in report.page_ids()})
        if total:
            total(len(to_sync))
        for start in range(0, len(to_sync), CHUNK):
            chunk = to_sync[start : start + CHUNK]
            _sync_or_enqueue(chunk)
            if progress:
                progress(len(chunk))
    return reports

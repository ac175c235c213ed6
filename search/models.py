"""Database side of search: the indexing outbox and the fallback's denormalised entries.

- `IndexQueue`: every publish/unpublish/move/delete writes a row in the same transaction as
  the change, so no change is lost when the engine is down; tasks drain it with back-off.
- `SearchEntry` + `SearchFacetValue`: the same documents as the engine's, kept in the
  database so the fallback answers the same queries with the same filters and facets.
"""

from django.conf import settings
from django.db import models


class IndexQueue(models.Model):
    page_id = models.PositiveBigIntegerField(unique=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    # Set when the engine refused the page's document too many times: kept for the admin, no longer retried.
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "opération d'indexation en attente"
        verbose_name_plural = "opérations d'indexation en attente"

    def __str__(self):
        return f"page {self.page_id}"


class SearchEntry(models.Model):
    page_id = models.PositiveBigIntegerField(primary_key=True)
    kind = models.CharField(max_length=20, db_index=True)
    type = models.CharField(max_length=60, db_index=True)
    title = models.CharField(max_length=255)
    # Copies of one result share it (several centres publishing the same title): see search/collapse.py.
    title_key = models.CharField(max_length=255, blank=True, db_index=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The normalised words of title, summary, body and tags (`search.normalise.index_text`:
    # lower case, no accents, singular, compounds split then joined): what the fallback matches.
    folded = models.TextField(blank=True)
    uuid = models.CharField(max_length=36, blank=True)
    url = models.CharField(max_length=500)
    centre = models.CharField(max_length=60, blank=True, db_index=True)
    region = models.CharField(max_length=2, blank=True)
    departement = models.CharField(max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(null=True, db_index=True)
    date = models.DateField(null=True, db_index=True)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "entrée de recherche"

    def __str__(self):
        return self.title


class SearchFacetValue(models.Model):
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["facet", "value"])]
        constraints = [models.UniqueConstraint(fields=["entry", "facet", "value"], name="unique_facet_value")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchWord(models.Model):
    """A word of the entries' titles and summaries: the vocabulary of the fallback's « Vouliez-vous dire ».

    Kept by `write_entries` (entries counts each entry holding the word once; a word no entry holds
    any more is deleted), rebuilt by `search_index rebuild --target database`.
    """

    word = models.CharField(max_length=40, primary_key=True)  # folded: what is compared
    display = models.CharField(max_length=40)  # as written (accents), what is proposed
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()
    entries = models.IntegerField(default=0)

    class Meta:
        verbose_name = "mot du vocabulaire de recherche"
        indexes = [models.Index(fields=["initial", "length"])]

    def __str__(self):
        return self.display


class MaintenanceRun(models.Model):
    """A check, repair or rebuild asked for from the admin, run by a task; its row is its status page."""

    class Action(models.TextChoices):
        CHECK = "check", "Vérification des écarts"
        FIX = "fix", "Vérification et réparation"
        REBUILD = "rebuild", "Reconstruction de l'index"

    class Status(models.TextChoices):
        QUEUED = "queued", "En file"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminée"
        FAILED = "failed", "Échec"

    action = models.CharField(max_length=10, choices=Action.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # True while queued or running, NULL after: the unique constraint allows one run at a time.
    active = models.BooleanField(null=True, default=True)
    total = models.PositiveIntegerField(default=0)  # 0: not known (yet)
    done = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "opération de maintenance de la recherche"
        verbose_name_plural = "opérations de maintenance de la recherche"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_search_run")
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.get_status_display()})"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else None

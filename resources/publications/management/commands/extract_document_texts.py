"""Backfill the extracted text of documents (those uploaded before extraction existed, or changed since)."""

from django.core.management.base import BaseCommand
from django.db.models import F, Q
from tqdm import tqdm
from wagtail.documents import get_document_model

from resources.publications.services import extract_document_text


class Command(BaseCommand):
    help = (
        "Extrait le texte des documents (PDF, texte) pour la recherche : par défaut ceux qui n'ont jamais été lus "
        "ou dont le fichier a changé ; --all relit tous les documents."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Relire tous les documents, même inchangés.")

    def handle(self, *args, **options):
        force = options["all"]
        documents = get_document_model().objects.order_by("pk")
        if not force:
            documents = documents.filter(
                Q(extracted_text__isnull=True)
                | Q(file_hash="")
                | Q(extracted_text__extracted_at__isnull=True)
                | ~Q(extracted_text__file_hash=F("file_hash"))
            )
        total = documents.count()
        failures = []
        progress = tqdm(
            documents.iterator(), total=total, unit="doc", desc="Extraction", disable=options["verbosity"] == 0
        )
        for document in progress:
            record = extract_document_text(document, force=force)
            if record.error:
                failures.append((document, record.error))
        for document, error in failures:
            self.stderr.write(f"Document {document.pk} « {document.title} » : {error}")
        message = f"{total} document(s) traité(s), {len(failures)} en erreur."
        self.stdout.write(self.style.WARNING(message) if failures else self.style.SUCCESS(message))

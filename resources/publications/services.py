"""Text extraction from documents, so search can index what attached PDFs say.

`extract_document_text` is called by the task (on upload), by the backfill command and by tests.
A file is read once per version: the record keeps the file hash it was extracted from.
Failures (encrypted or damaged PDF, missing file, file too large, reading too long) are stored in
`DocumentText.error`, never raised: an editor's upload must not fail because its text cannot be read.

Bounds per document (settings DOCUMENT_TEXT_*): the file size read, the pages and characters kept,
and the time pypdf may take — it runs in a child process that is killed at the time limit.
"""

import json
import logging
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.signals import search_document_changed

from .models import DocumentText, PublicationPage, human_size

logger = logging.getLogger(__name__)

PDF_TEXT_READER = Path(__file__).with_name("pdf_text_reader.py")


class ExtractionError(Exception):
    """The document's text cannot be read; the message is shown to editors, in French."""


def extract_document_text(document, *, force=False):
    """Extract and store the document's text unless this version of the file was already read.

    Returns the `DocumentText` record. `force` re-reads the file even when its hash is unchanged.
    """
    try:
        file_hash = document.get_file_hash()  # computes and stores it for documents created in code
    except OSError:
        return _store(document, "", "", _("Fichier introuvable dans le stockage."))
    record = DocumentText.objects.filter(document=document).first()
    if record and not force and record.extracted_at and record.file_hash == file_hash:
        return record
    try:
        text, error = read_text(document), ""
    except ExtractionError as exc:
        text, error = "", str(exc)
        logger.warning("Text extraction failed for document %s: %s", document.pk, error)
    return _store(document, file_hash, text, error)


def _store(document, file_hash, text, error):
    record, _created = DocumentText.objects.update_or_create(
        document=document,
        defaults={"file_hash": file_hash, "text": text, "error": error, "extracted_at": timezone.now()},
    )
    # The publications attaching it were likely published before the text was read.
    page_ids = list(PublicationPage.objects.filter(documents__document=document).values_list("pk", flat=True))
    if page_ids:
        search_document_changed.send(sender=DocumentText, page_ids=page_ids)
    return record


def read_text(document):
    """The plain text of a PDF or text file; other formats have none (not an error)."""
    extension = document.file_extension.lower()
    if extension not in ("pdf", "txt"):
        return ""
    try:
        size = document.file.size
    except OSError as exc:
        raise ExtractionError(_("Fichier introuvable dans le stockage.")) from exc
    if size > settings.DOCUMENT_TEXT_MAX_FILE_SIZE:
        raise ExtractionError(
            _("Fichier trop volumineux pour en extraire le texte : %(size)s (maximum %(maximum)s).")
            % {"size": human_size(size), "maximum": human_size(settings.DOCUMENT_TEXT_MAX_FILE_SIZE)}
        )
    if extension == "pdf":
        return _clean(_pdf_text(document))
    return _clean(_plain_text(document))


def _pdf_text(document):
    try:
        with document.open_file() as handle:
            data = handle.read()
    except OSError as exc:
        raise ExtractionError(_("Fichier introuvable dans le stockage.")) from exc
    limit = settings.DOCUMENT_TEXT_TIMEOUT
    command = [sys.executable, str(PDF_TEXT_READER), str(settings.DOCUMENT_TEXT_MAX_PAGES), str(_max_chars())]
    try:
        child = subprocess.run(command, input=data, capture_output=True, timeout=limit, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(
            _("Lecture du PDF interrompue après %(seconds)s secondes : texte non extrait.") % {"seconds": limit}
        ) from exc
    if child.returncode != 0:
        reason = child.stderr.decode("utf-8", errors="replace").strip()[-300:] or f"code {child.returncode}"
        raise ExtractionError(_("PDF illisible, texte non extrait (%(reason)s).") % {"reason": reason})
    answer = json.loads(child.stdout)
    if answer.get("encrypted"):
        raise ExtractionError(_("PDF protégé par un mot de passe : son texte n'a pas pu être extrait."))
    return answer["text"]


def _plain_text(document):
    try:
        with document.open_file() as handle:
            raw = handle.read(_max_chars() * 4)
    except OSError as exc:
        raise ExtractionError(_("Fichier introuvable dans le stockage.")) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # older Windows exports


def _max_chars():
    return settings.DOCUMENT_TEXT_MAX_CHARS


def _clean(text):
    # PostgreSQL text cannot hold NUL characters, which some PDF fonts produce.
    return text.replace("\x00", "").strip()[: _max_chars()]

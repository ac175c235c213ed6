"""Text extraction from documents, so search can index what attached PDFs say.

`extract_document_text` is called by the task (on upload), by the backfill command and by tests.
A file is read once per version: the record keeps the file hash it was extracted from.
Failures (encrypted or damaged PDF, missing file) are stored in `DocumentText.error`, never raised:
an editor's upload must not fail because its text cannot be read.
"""

import logging
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from portal.core.signals import search_document_changed

from .models import DocumentText, PublicationPage

logger = logging.getLogger(__name__)

# Bounds that keep a worker's memory in check on very long reports; search needs no more.
MAX_PAGES = 500
MAX_CHARS = 1_000_000


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
    if extension == "pdf":
        return _clean(_pdf_text(document))
    if extension == "txt":
        return _clean(_plain_text(document))
    return ""


def _pdf_text(document):
    try:
        with document.open_file() as handle:
            reader = PdfReader(handle)
            if reader.is_encrypted and not _opens_without_password(reader):
                raise ExtractionError(_("PDF protégé par un mot de passe : son texte n'a pas pu être extrait."))
            return "\n\n".join(page.extract_text() or "" for page in islice(reader.pages, MAX_PAGES))
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged files
        raise ExtractionError(
            _("PDF illisible, texte non extrait (%(reason)s).") % {"reason": f"{type(exc).__name__}: {exc}"[:300]}
        ) from exc


def _opens_without_password(reader):
    # Many "protected" PDFs only restrict printing or copying and open with an empty user password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # missing crypto backend, unsupported algorithm…
        return False


def _plain_text(document):
    try:
        with document.open_file() as handle:
            raw = handle.read(MAX_CHARS * 4)
    except OSError as exc:
        raise ExtractionError(_("Fichier introuvable dans le stockage.")) from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # older Windows exports


def _clean(text):
    # PostgreSQL text cannot hold NUL characters, which some PDF fonts produce.
    return text.replace("\x00", "").strip()[:MAX_CHARS]

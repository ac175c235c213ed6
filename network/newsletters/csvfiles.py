"""Subscribers' CSV import and export (docs/newsletters.md, « Import et export »).

Import reads a French spreadsheet's CSV as it comes (UTF-8 with or without BOM, or Windows-1252;
`;`, `,` or tab), validates the whole file first and reports every bad line by its number, then
writes everything in one transaction, or nothing. Re-running the same file changes nothing and
sends no second confirmation request. An address that unsubscribed is never put back on a list.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from . import services
from .models import Subscription, SubscriptionSource, SubscriptionStatus, email_key

EMAIL_COLUMNS = ("email", "e-mail", "courriel", "adresse", "adresse électronique", "mail")
YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
NO = {"non", "n", "no", "false", "faux", "0", ""}
EXPORT_COLUMNS = [
    "email",
    "statut",
    "origine",
    "consentement_le",
    "texte_consentement",
    "confirme_le",
    "desinscrit_le",
    "themes",
]


class ImportRejected(Exception):
    """The file cannot be imported; `errors` are French messages, one per problem (with the line)."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    created: int = 0  # new on the list, waiting for their confirmation
    confirmed: int = 0  # new on the list (or pending before), with the documented consent
    unchanged: int = 0  # already there in that state, or unsubscribed (left so)
    confirmations: list = field(default_factory=list)  # subscriber ids asked to confirm


def decode(raw):
    """Text of a CSV file: UTF-8 (a BOM is dropped), else Windows-1252 (Excel's « CSV » in France)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def read_rows(text):
    """[(line number, {column: value})] with lower-cased, trimmed column names; the delimiter sniffed."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:  # one column, or too few lines to tell: the likelier of the two

        class dialect(csv.excel):  # noqa: N801
            delimiter = ";" if sample.count(";") >= sample.count(",") else ","

    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ImportRejected(["Le fichier est vide : la première ligne doit nommer les colonnes (dont « email »)."])
    names = [name.strip().lower() for name in header]
    rows = []
    for row in reader:
        if any(cell.strip() for cell in row):
            rows.append((reader.line_num, dict(zip(names, (cell.strip() for cell in row), strict=False))))
    return names, rows


def validate(names, rows, confirmed_column=None):
    """[(line, address, consent value or None)] or ImportRejected with every problem, in French."""
    email_column = next((name for name in names if name in EMAIL_COLUMNS), None)
    errors = []
    if email_column is None:
        errors.append(f"Colonne de l'adresse introuvable : nommez-la « email » (colonnes lues : {', '.join(names)}).")
    consent_column = confirmed_column.strip().lower() if confirmed_column else None
    if consent_column and consent_column not in names:
        errors.append(
            f"Colonne de consentement « {confirmed_column} » introuvable (colonnes lues : {', '.join(names)})."
        )
    if errors:
        raise ImportRejected(errors)
    valid, seen = [], {}
    for line, row in rows:
        address = row.get(email_column, "")
        try:
            validate_email(address)
        except ValidationError:
            errors.append(f"Ligne {line} : adresse électronique invalide « {address[:80]} ».")
            continue
        consent = None
        if consent_column:
            consent = row.get(consent_column, "")
            if consent.lower() not in YES | NO:
                errors.append(
                    f"Ligne {line} : valeur « {consent[:40]} » de la colonne « {confirmed_column} » non reconnue "
                    "(attendu : oui ou non)."
                )
                continue
        if email_key(address) in seen:
            continue  # the same person twice: once is enough (the first line wins)
        seen[email_key(address)] = line
        valid.append((line, address, consent))
    if errors:
        raise ImportRejected(errors)
    return valid


def import_file(mailing_list, raw, filename, confirmed_column=None, progress=None):
    """Import the subscribers of a CSV file (bytes) into `mailing_list`; ImportReport or ImportRejected."""
    names, rows = read_rows(decode(raw))
    valid = validate(names, rows, confirmed_column)
    report = ImportReport()
    now = timezone.now()
    with transaction.atomic():
        for _line, address, consent in progress(valid) if progress else valid:
            consented = consent is not None and consent.lower() in YES
            wording = f"importé : {confirmed_column} = {consent}, fichier {filename}" if consented else ""
            import_one(mailing_list, address, consented, wording, now, report)
        for subscriber_id in report.confirmations:
            services.queue_confirmation(subscriber_id, now)
    return report


def import_one(mailing_list, address, consented, wording, now, report):
    subscriber, _created = services.subscriber_for(address)
    status = SubscriptionStatus.CONFIRMED if consented else SubscriptionStatus.PENDING
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber,
        mailing_list=mailing_list,
        defaults={
            "status": status,
            "source": SubscriptionSource.IMPORT,
            "consent_at": now if consented else None,
            "consent_wording": wording,
            "confirmed_at": now if consented else None,
        },
    )
    if not created and consented and subscription.status == SubscriptionStatus.PENDING:
        subscription.status, subscription.confirmed_at = SubscriptionStatus.CONFIRMED, now
        subscription.consent_at, subscription.consent_wording = now, wording
        subscription.save()
        created = True
    if not created:
        report.unchanged += 1
    elif consented:
        report.confirmed += 1
    else:
        report.created += 1
        report.confirmations.append(subscriber.pk)


def export_rows(mailing_list):
    """The header and one row per subscription of the list (every state), addresses in order."""
    subscriptions = (
        Subscription.objects.filter(mailing_list=mailing_list)
        .select_related("subscriber")
        .prefetch_related("subscriber__themes")
        .order_by("subscriber__email_key")
    )

    def moment(value):
        return value.isoformat(timespec="seconds") if value else ""

    yield EXPORT_COLUMNS
    for subscription in subscriptions.iterator(chunk_size=2000):
        subscriber = subscription.subscriber
        yield [
            subscriber.email,
            subscription.status,
            subscription.source,
            moment(subscription.consent_at),
            subscription.consent_wording,
            moment(subscription.confirmed_at),
            moment(subscription.unsubscribed_at),
            ", ".join(sorted(theme.slug for theme in subscriber.themes.all())),
        ]


def write_export(mailing_list, stream):
    """Write the list's CSV to a text stream: `;`-separated, for French spreadsheets (the caller adds a BOM)."""
    writer = csv.writer(stream, delimiter=";")
    count = -1
    for row in export_rows(mailing_list):
        writer.writerow(row)
        count += 1
    return count

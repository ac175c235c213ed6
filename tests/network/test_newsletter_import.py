"""`manage.py newsletter import|export`: French CSVs, bad lines reported, nothing half-imported,
idempotent re-runs, and the centres' walls with --user."""

import csv

import pytest
from django.core.management import CommandError, call_command

from network.newsletters.models import Subscriber, Subscription

from .newsletter_helpers import make_list, staff
from .smtp_loopback import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def irev_list(demo_content):
    return make_list("irev", slug="import-irev", title="Import IREV")


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args, capture=None):
    if capture is None:
        return call_command("newsletter", *map(str, args), verbosity=0)
    with capture(execute=True):
        return call_command("newsletter", *map(str, args), verbosity=0)


def statuses(mailing_list):
    return dict(mailing_list.subscriptions.values_list("subscriber__email_key", "status"))


def test_bad_lines_are_reported_by_number_and_nothing_is_imported(tmp_path, irev_list, capsys):
    path = write(tmp_path, "abonnes.csv", "email;nom\nok@example.org;Ok\npas-une-adresse;Non\n\nautre@;X\n")
    with pytest.raises(CommandError, match="Rien n'a été importé : 2 erreur"):
        run("import", "import-irev", path)
    errors = capsys.readouterr().err
    assert "Ligne 3 : adresse électronique invalide « pas-une-adresse »" in errors
    assert "Ligne 5 : adresse électronique invalide « autre@ »" in errors
    assert not Subscriber.objects.filter(email_key="ok@example.org").exists()


def test_unconfirmed_import_asks_each_person_once_and_reruns_change_nothing(
    tmp_path,
    irev_list,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    # Excel's French CSV: Windows-1252, semicolons, accented column names.
    text = (
        "Prénom;Courriel\nHélène;helene.faure@example.org\nJérôme;jerome@example.org\nHélène;HELENE.FAURE@example.org\n"
    )
    path = write(tmp_path, "liste.csv", text, encoding="cp1252")
    run("import", "import-irev", path, capture=django_capture_on_commit_callbacks)
    assert statuses(irev_list) == {"helene.faure@example.org": "pending", "jerome@example.org": "pending"}
    assert sorted(message["To"] for message in smtp_inbox.messages) == [
        "helene.faure@example.org",
        "jerome@example.org",
    ]
    assert "Import IREV" in text_of(smtp_inbox.messages[0])

    run("import", "import-irev", path, capture=django_capture_on_commit_callbacks)
    assert Subscription.objects.filter(mailing_list=irev_list).count() == 2
    assert len(smtp_inbox.messages) == 2


def test_consent_column_confirms_with_the_documented_wording(
    tmp_path,
    irev_list,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    unsubscribed = Subscriber.objects.create(email="parti@example.org")
    Subscription.objects.create(subscriber=unsubscribed, mailing_list=irev_list, source="form", status="unsubscribed")
    text = "\ufeffemail,accord_rgpd\na@example.org,oui\nb@example.org,non\nparti@example.org,oui\n"
    path = write(tmp_path, "export-crm.csv", text)
    run("import", "import-irev", path, "--confirmed-column", "accord_rgpd", capture=django_capture_on_commit_callbacks)
    assert statuses(irev_list) == {
        "a@example.org": "confirmed",
        "b@example.org": "pending",
        "parti@example.org": "unsubscribed",  # an import never puts back who left
    }
    confirmed = Subscription.objects.get(mailing_list=irev_list, subscriber__email_key="a@example.org")
    assert confirmed.source == "import"
    assert confirmed.consent_wording == "importé : accord_rgpd = oui, fichier export-crm.csv"
    assert [message["To"] for message in smtp_inbox.messages] == ["b@example.org"]


def test_unknown_consent_value_or_column_is_refused(tmp_path, irev_list, capsys):
    path = write(tmp_path, "a.csv", "email;accord\na@example.org;peut-être\n")
    with pytest.raises(CommandError):
        run("import", "import-irev", path, "--confirmed-column", "accord")
    assert "Ligne 2 : valeur « peut-être »" in capsys.readouterr().err
    with pytest.raises(CommandError):
        run("import", "import-irev", path, "--confirmed-column", "consentement")
    assert "Colonne de consentement « consentement » introuvable" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Liste « inconnue » introuvable"):
        run("import", "inconnue", path)
    assert not Subscriber.objects.filter(email_key="a@example.org").exists()


def test_export_writes_the_list_and_refuses_another_centres_list(tmp_path, irev_list, demo_content):
    oriv_list = make_list("oriv", slug="import-oriv")
    person = Subscriber.objects.create(email="Zoe@example.org")
    Subscription.objects.create(subscriber=person, mailing_list=irev_list, source="form", status="confirmed")
    staff("edit-irev", "irev")
    output = tmp_path / "sortie.csv"
    run("export", "import-irev", "--output", output, "--user", "edit-irev")
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:2] == ["email", "statut"]
    assert rows[1][:3] == ["Zoe@example.org", "confirmed", "form"]

    with pytest.raises(
        CommandError, match="« edit-irev » ne peut pas gérer la liste « import-oriv » : elle appartient à ORIV"
    ):
        run("export", oriv_list.slug, "--output", tmp_path / "x.csv", "--user", "edit-irev")
    with pytest.raises(CommandError, match="appartient à l'équipe nationale"):
        run("export", "lettre-nationale-anct", "--output", tmp_path / "x.csv", "--user", "edit-irev")
    assert not (tmp_path / "x.csv").exists()
    staff("anct-test")
    run("export", oriv_list.slug, "--output", tmp_path / "y.csv", "--user", "anct-test")
    assert (tmp_path / "y.csv").exists()

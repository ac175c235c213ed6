"""Backups: `backup` dumps the demo database and its media; `restore` brings them back into a new
empty database, rebuilds the search index, and the portal answers the same searches.

The session's demo content is committed (conftest's `django_db_setup`), so pg_dump, which reads
from a connection of its own, sees it. The restore runs `manage.py` in a subprocess pointed at a
database created here (dropped afterwards), its own media folder and its own index prefix.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.search.conftest import rebuild, search_engine  # noqa: F401 — the engine fixture

QUERIES = ["jardins partagés", "insertion professionnelle", "santé", "emploi des jeunes", "tranquillité"]

# Run in the restored portal: the same API calls as the test, through both search implementations.
PROBE = """
import json
from django.test import Client, override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
queries = json.loads({queries!r})
def titles():
    client = Client()
    return {{q: [r["title"] for r in client.get("/api/v1/search/", {{"q": q}}).json()["results"]] for q in queries}}
engine = titles()
with override_settings(OPENSEARCH_URL=""):
    fallback = titles()
files = sorted(
    [d.file.name for d in get_document_model().objects.all()] + [i.file.name for i in get_image_model().objects.all()]
)
print("PROBE" + json.dumps({{"engine": engine, "fallback": fallback, "files": files}}))
"""


def database_url(name):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"


def server(sql):
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def manage(*args, env=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", **(env or {})}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def referenced_files():
    return sorted(
        [document.file.name for document in get_document_model().objects.all()]
        + [image.file.name for image in get_image_model().objects.all()]
    )


@pytest.fixture(scope="module")
def backup(django_db_setup, django_db_blocker, tmp_path_factory):
    """One backup of the session's demo database, with a media folder of the files its rows use."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        files = referenced_files()
        for name in files:
            (media / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(django_settings.MEDIA_ROOT) / name, media / name)
        output = tmp_path_factory.mktemp("backups")
        with override_settings(MEDIA_ROOT=media):
            call_command("backup", output=str(output), verbosity=0)
    (directory,) = output.glob("crpv-*")
    return {"dir": directory, "media": media, "files": files}


def search_titles(client):
    return {q: [r["title"] for r in client.get("/api/v1/search/", {"q": q}).json()["results"]] for q in QUERIES}


def test_restore_into_an_empty_database_answers_the_same_searches(backup, db, client, settings, search_engine):  # noqa: F811
    manifest = json.loads((backup["dir"] / "manifest.json").read_text())
    assert manifest["database"] == connection.settings_dict["NAME"]
    assert manifest["media_files"] == len(backup["files"]) > 0
    assert manifest["dump_bytes"] == (backup["dir"] / "database.dump").stat().st_size
    check = subprocess.run([shutil.which("sha256sum"), "-c", "SHA256SUMS"], cwd=backup["dir"], capture_output=True)
    assert check.returncode == 0

    engine_url = settings.OPENSEARCH_URL
    rebuild()
    before_engine = search_titles(client)
    settings.OPENSEARCH_URL = ""
    before_fallback = search_titles(client)
    settings.OPENSEARCH_URL = engine_url
    assert sum(map(len, before_engine.values())) > 10, before_engine

    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    restored_media = backup["media"].parent / f"restored-{uuid.uuid4().hex[:6]}"
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": database_url(name),
        "MEDIA_ROOT": str(restored_media),
        "OPENSEARCH_URL": engine_url,
        "OPENSEARCH_INDEX_PREFIX": prefix,
        "ALLOWED_HOSTS": "testserver",
        "RATELIMIT_ENABLED": "false",
    }
    server(f'CREATE DATABASE "{name}"')
    try:
        restored = manage("restore", str(backup["dir"]), env=env)
        assert restored.returncode == 0, restored.stderr
        assert "restaurée" in restored.stdout and "alias basculé" in restored.stdout, restored.stdout

        probe = manage("shell", "-c", PROBE.format(queries=json.dumps(QUERIES)), env=env)
        assert probe.returncode == 0 and "PROBE" in probe.stdout, (probe.stdout, probe.stderr)
        after = json.loads(probe.stdout.split("PROBE", 1)[1])
    finally:
        server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        search_engine.get_client().indices.delete(index=f"{prefix}-*", ignore_unavailable=True)

    assert after["engine"] == before_engine
    assert after["fallback"] == before_fallback
    assert after["files"] == backup["files"]
    for name in backup["files"]:
        assert (restored_media / name).read_bytes() == (backup["media"] / name).read_bytes(), name


def test_restore_refuses_a_database_that_is_not_empty(backup, db):
    with pytest.raises(CommandError, match="n'est pas vide .* --force"):
        call_command("restore", str(backup["dir"]), verbosity=0)


def test_restore_refuses_an_altered_backup(backup, tmp_path):
    copy = shutil.copytree(backup["dir"], tmp_path / "copie")
    with open(copy / "media.tar", "ab") as archive:
        archive.write(b"\0")
    with pytest.raises(CommandError, match="Sauvegarde altérée : la somme de contrôle de media.tar"):
        call_command("restore", str(copy), verbosity=0)


def test_backup_explains_an_unwritable_target_or_a_missing_pg_dump(db, tmp_path, monkeypatch):
    (tmp_path / "fichier").write_text("")
    with pytest.raises(CommandError, match="Impossible d'écrire dans le dossier de sauvegarde"):
        call_command("backup", output=str(tmp_path / "fichier" / "sous-dossier"), verbosity=0)
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))
    with pytest.raises(CommandError, match="Programme pg_dump introuvable"):
        call_command("backup", output=str(tmp_path / "sauvegardes"), verbosity=0)
    assert not (tmp_path / "sauvegardes").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgres://postgres@127.0.0.1:1/crpv", "Base de données crpv injoignable sur 127.0.0.1:1"),
        ("sqlite:///{tmp}/db.sqlite3", "ne fonctionnent qu'avec PostgreSQL. Avec la démo en SQLite, copiez"),
    ],
)
def test_backup_without_a_reachable_postgresql_says_why_in_french(tmp_path, url, message):
    result = manage("backup", "--output", str(tmp_path), env={"DATABASE_URL": url.format(tmp=tmp_path)})
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) in ([], [tmp_path / "db.sqlite3"])

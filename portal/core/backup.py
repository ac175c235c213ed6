"""Backups: a PostgreSQL dump and the media files in one directory, and their restore.

A backup is a directory `crpv-AAAAMMJJ-HHMMSS/` holding `database.dump` (pg_dump's custom
format), `media.tar` (MEDIA_ROOT: documents, images and their renditions), `manifest.json` and
`SHA256SUMS` (readable by `sha256sum -c`). It is written under a `.partial` name and renamed
when complete, so a directory with the final name is always whole. The search index is not in
it: the restore rebuilds it from the restored rows (docs/backup.md).
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

DUMP, MEDIA, MANIFEST, SUMS = "database.dump", "media.tar", "manifest.json", "SHA256SUMS"
FORMAT = 1


class BackupError(Exception):
    """A failure explained in French to the person running the command."""


@dataclass
class Progress:
    """Callbacks the commands plug their progress bars into; all optional."""

    start: callable = None  # start(label, total)
    step: callable = None  # step(n)

    def begin(self, label, total):
        if self.start:
            self.start(label, total)

    def advance(self, n=1):
        if self.step:
            self.step(n)


def pg_binary(name):
    """Path of a PostgreSQL client program, found as scripts/postgres finds the server's.

    `PG_BINDIR` when set (and then only there), else `pg_config --bindir`, else the newest
    `/usr/lib/postgresql/*/bin`, else the PATH: pg_dump must be at least the server's version.
    """
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates = [Path(os.environ["PG_BINDIR"])]
    else:
        pg_config = shutil.which("pg_config")
        if pg_config:
            try:
                out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True).stdout
                candidates.append(Path(out.strip()))
            except (OSError, subprocess.CalledProcessError):
                pass
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key, reverse=True)
        candidates.extend(versions)
        on_path = shutil.which(name)
        if on_path:
            candidates.append(Path(on_path).parent)
    for directory in candidates:
        program = directory / name
        if program.is_file() and os.access(program, os.X_OK):
            return str(program)
    raise BackupError(
        f"Programme {name} introuvable : installez le client PostgreSQL (Debian : apt-get install "
        "postgresql-client) ou indiquez son dossier dans PG_BINDIR."
    )


def _version_key(path):
    return [int(part) for part in re.findall(r"\d+", path.parent.name)] or [0]


def _database():
    """The default database's settings, after checking it is a reachable PostgreSQL."""
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql":
        raise BackupError(
            "La sauvegarde et la restauration ne fonctionnent qu'avec PostgreSQL. Avec la démo en SQLite, "
            f"copiez simplement le fichier {db['NAME']} et le dossier des médias ({settings.MEDIA_ROOT}), "
            "serveur arrêté."
        )
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise BackupError(
            f"Base de données {db['NAME']} injoignable sur {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432} "
            f"({reason}). Vérifiez DATABASE_URL et que le serveur PostgreSQL est démarré."
        ) from exc
    return db


def _libpq_env(db):
    """Connection settings for pg_dump/pg_restore through libpq's variables (no password in `ps`)."""
    env = {**os.environ, "LC_MESSAGES": "C", "LANG": "C"}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    return env


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def portal_version():
    """{"version": pyproject's, "commit": the git commit or PORTAL_COMMIT}, each None when unknown."""
    version = commit = None
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
            version = tomllib.load(handle).get("project", {}).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    commit = os.environ.get("PORTAL_COMMIT") or None
    git = shutil.which("git")
    if not commit and git and (settings.BASE_DIR / ".git").exists():
        result = subprocess.run(
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        )
        commit = result.stdout.strip() or None
    return {"version": version, "commit": commit}


def _run(command, env, label, total, progress, marker):
    """Run a pg_* program in verbose mode; each stderr line containing `marker` advances the bar."""
    progress.begin(label, total)
    errors = []
    with subprocess.Popen(command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as proc:
        for line in proc.stderr:
            if "error" in line.lower() or "fatal" in line.lower():
                errors.append(line.strip())
            elif marker in line:
                progress.advance()
    if proc.returncode:
        detail = " ; ".join(errors[-3:]) or f"code de sortie {proc.returncode}"
        raise BackupError(f"{Path(command[0]).name} a échoué : {detail}")


def _writable_directory(output):
    try:
        output.mkdir(parents=True, exist_ok=True)
        probe = output / ".crpv-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BackupError(
            f"Impossible d'écrire dans le dossier de sauvegarde {output} ({exc.strerror or exc}). "
            "Choisissez-en un autre avec --output ou corrigez ses droits."
        ) from exc


def media_files(root):
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def create_backup(output, progress=None):
    """Dump the database and archive the media under `output`; return the backup directory."""
    progress = progress or Progress()
    db = _database()
    pg_dump = pg_binary("pg_dump")
    output = Path(output).resolve()
    _writable_directory(output)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output / f"crpv-{stamp}"
    if final.exists():
        raise BackupError(f"Le dossier {final} existe déjà : relancez dans une seconde.")
    partial = output / f".crpv-{stamp}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            tables = cursor.fetchone()[0]
            server = connection.pg_version
        _run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--verbose", f"--file={partial / DUMP}"],
            _libpq_env(db),
            "Base de données",
            tables,
            progress,
            "dumping contents of table",
        )
        media_count, media_bytes = _archive_media(partial / MEDIA, progress)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": db["NAME"],
            "postgresql_server": server,
            "pg_dump": subprocess.run([pg_dump, "--version"], capture_output=True, text=True).stdout.strip(),
            "dump_bytes": (partial / DUMP).stat().st_size,
            "media_root": str(settings.MEDIA_ROOT),
            "media_files": media_count,
            "media_bytes": media_bytes,
            "portal": portal_version(),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        sums = "".join(f"{_sha256(partial / name)}  {name}\n" for name in (DUMP, MEDIA, MANIFEST))
        (partial / SUMS).write_text(sums, encoding="utf-8")
        partial.rename(final)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupError(f"Écriture de la sauvegarde impossible dans {output} ({exc.strerror or exc}).") from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _archive_media(target, progress):
    root = Path(settings.MEDIA_ROOT)
    files = media_files(root)
    progress.begin("Médias", len(files))
    count = size = 0
    with tarfile.open(target, "w") as archive:
        for path in files:
            try:
                archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                count += 1
                size += path.stat().st_size
            except FileNotFoundError:
                pass  # deleted while we archived: it is no longer referenced anyway
            progress.advance()
    return count, size


def read_backup(directory):
    """The manifest of a complete, intact backup directory; BackupError otherwise."""
    directory = Path(directory)
    if not (directory / SUMS).is_file() or not (directory / MANIFEST).is_file():
        raise BackupError(f"{directory} n'est pas une sauvegarde du portail (fichiers {MANIFEST} et {SUMS} attendus).")
    for line in (directory / SUMS).read_text(encoding="utf-8").splitlines():
        expected, name = line.split(maxsplit=1)
        path = directory / name.strip()
        if not path.is_file():
            raise BackupError(f"Sauvegarde incomplète : {name.strip()} manque dans {directory}.")
        if _sha256(path) != expected:
            raise BackupError(f"Sauvegarde altérée : la somme de contrôle de {name.strip()} ne correspond pas.")
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def restore_backup(directory, force=False, progress=None):
    """Restore the dump into the (empty) database and the media into MEDIA_ROOT; return the manifest."""
    progress = progress or Progress()
    directory = Path(directory)
    manifest = read_backup(directory)
    db = _database()
    existing = connection.introspection.table_names()
    if existing and not force:
        raise BackupError(
            f"La base {db['NAME']} n'est pas vide ({len(existing)} tables) : restaurez dans une base neuve "
            "(createdb) ou relancez avec --force pour remplacer son contenu."
        )
    pg_restore = pg_binary("pg_restore")
    listing = subprocess.run(
        [pg_restore, "--list", str(directory / DUMP)], capture_output=True, text=True, env=_libpq_env(db)
    )
    if listing.returncode:
        raise BackupError(f"pg_restore ne peut pas lire {directory / DUMP} : {listing.stderr.strip()}")
    items = sum(1 for line in listing.stdout.splitlines() if line and not line.startswith(";"))
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--verbose"]
    if force:
        command += ["--clean", "--if-exists"]
    connection.close()  # pg_restore works alone on the database
    _run(
        [*command, f"--dbname={db['NAME']}", str(directory / DUMP)],
        _libpq_env(db),
        "Base de données",
        items,
        progress,
        "pg_restore: ",
    )
    _extract_media(directory / MEDIA, progress)
    return manifest


def _extract_media(archive_path, progress):
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive_path) as archive:
            members = archive.getmembers()
            progress.begin("Médias", len(members))
            for member in members:
                # The 'data' filter refuses absolute paths, '..' and links leaving MEDIA_ROOT.
                archive.extract(member, root, filter="data")
                progress.advance()
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Copie des médias dans {root} impossible ({exc}).") from exc

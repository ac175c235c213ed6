"""Time `import_experiences` of N generated sheets (default 1 000) into PostgreSQL.

    export $(PG_STATE_DIR=/tmp/pg-bench scripts/postgres start)
    .venv/bin/python bench/import_bench.py                 # 1 000 sheets, JSON, --publish
    .venv/bin/python bench/import_bench.py --format csv -n 2000 --profile
    PG_STATE_DIR=/tmp/pg-bench scripts/postgres stop

Migrates the database and creates the reference centres if needed, removes the sheets of an
earlier run, then times, each through the real command:
  1. the first import (every sheet created and published),
  2. the same file again (every sheet unchanged: idempotence, no new revision),
  3. the file with every sheet changed (a new revision, published, for each),
  4. the export of every sheet.
Prints wall time and sheets per second for each. PostgreSQL only (DATABASE_URL).

Background tasks go to the database queue, as in production (TASKS_BACKEND): what other
packages do after a publication (the search outbox drain) runs in the worker, not in the
import. `--immediate-tasks` runs them inline instead, as the development settings do.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")


def timed(label, count, function):
    # Wall time is the figure; this process's CPU time shows how much of it is Python (the rest: PostgreSQL, waits).
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<34} {elapsed:8.2f} s   {count / elapsed:8.1f} fiches/s   (CPU Python {cpu:.1f} s)", flush=True)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import, print the top 30")
    parser.add_argument("--immediate-tasks", action="store_true", help="run background tasks inline (dev settings)")
    args = parser.parse_args(argv)
    if not args.immediate_tasks:
        os.environ.setdefault("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")

    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point to PostgreSQL: export $(PG_STATE_DIR=/tmp/pg-bench scripts/postgres start)")

    import django

    django.setup()
    import generate_sheets
    from django.conf import settings
    from django.core.management import call_command

    from portal.centres.services import sync_centres
    from resources.experiences.models import ExperienceSheetPage

    call_command("migrate", verbosity=0)
    sync_centres()
    sheets = generate_sheets.generate(args.count, args.seed)
    stale = ExperienceSheetPage.objects.filter(uuid__in=[s["id"] for s in sheets])
    if stale.exists():
        print(f"removing {stale.count()} sheets of an earlier run…", flush=True)
        for page in stale:
            page.delete()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"sheets.{args.format}"
        generate_sheets.write(sheets, str(path), args.format)
        backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"{args.count} sheets, {path.stat().st_size / 1e6:.1f} MB of {args.format.upper()}, tasks: {backend}")

        def first_import():
            call_command("import_experiences", str(path), "--publish", verbosity=0, stdout=io.StringIO())

        if args.profile:
            profile = cProfile.Profile()
            timed("import (creation + publication)", args.count, lambda: profile.runcall(first_import))
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        else:
            timed("import (creation + publication)", args.count, first_import)
        out = io.StringIO()
        timed(
            "re-import (all unchanged)",
            args.count,
            lambda: call_command("import_experiences", str(path), "--publish", verbosity=0, stdout=out),
        )
        print(f"  → {out.getvalue().strip()}")
        for changed in sheets:
            changed["title"] += " (révisé)"
            changed["tags"] = [*changed["tags"], "révisé"]
        generate_sheets.write(sheets, str(path), args.format)
        out = io.StringIO()
        timed(
            "re-import (every sheet changed)",
            args.count,
            lambda: call_command("import_experiences", str(path), "--publish", verbosity=0, stdout=out),
        )
        print(f"  → {out.getvalue().strip()}")
        export = Path(tmp) / f"export.{args.format}"
        timed(
            "export",
            ExperienceSheetPage.objects.live().count(),
            lambda: call_command(
                "export_experiences", "--format", args.format, "--output", str(export), stderr=io.StringIO()
            ),
        )


if __name__ == "__main__":
    main()

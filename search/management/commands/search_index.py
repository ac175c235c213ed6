from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import engine, lifecycle
from search.models import IndexQueue
from search.queue import drain


class Command(BaseCommand):
    help = (
        "Gère l'index de recherche : ensure (crée l'index s'il manque, au déploiement), rebuild (sans "
        "interruption), check [--fix], drain, status."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["ensure", "rebuild", "check", "drain", "status"])
        parser.add_argument("--fix", action="store_true", help="avec check : répare les écarts trouvés")
        parser.add_argument("--chunk", type=int, default=lifecycle.CHUNK, help="taille des lots (rebuild)")
        parser.add_argument(
            "--target",
            choices=["engine", "database", "all"],
            help="avec rebuild : l'index du moteur (défaut si OPENSEARCH_URL est défini), les entrées de la "
            "recherche en base (défaut sinon), ou les deux",
        )

    def handle(self, *args, action, fix, chunk, target, **options):
        quiet = options["verbosity"] < 1
        try:
            if action == "ensure":
                self.ensure(quiet)
            elif action == "rebuild":
                self.rebuild(target or ("engine" if engine.enabled() else "database"), chunk, quiet)
            elif action == "check":
                reports = lifecycle.check(fix=fix)
                for report in reports:
                    self.stdout.write(report.summary())
                drift = sum(report.total for report in reports)
                if drift and fix:
                    self.stdout.write(self.style.SUCCESS(f"{drift} écart(s) réparé(s)."))
                elif drift:
                    raise CommandError(f"{drift} écart(s) : relancez avec --fix pour les réparer.", returncode=1)
                else:
                    self.stdout.write(self.style.SUCCESS("Aucun écart."))
            elif action == "drain":
                synced, failed = drain()
                self.stdout.write(f"{synced} page(s) synchronisée(s), {failed} en attente (reportée(s)).")
            else:
                pending = IndexQueue.objects.count()
                self.stdout.write(f"Moteur : {engine.ENGINE if engine.enabled() else 'aucun (base de données)'}")
                self.stdout.write(f"Opérations en attente : {pending}")
                if engine.enabled():
                    client = engine.get_client()
                    alias = engine.alias_name()
                    for index in lifecycle.current_indices(client, alias):
                        count = client.count(index=index)["count"]
                        self.stdout.write(f"Alias {alias} → {index} ({count} documents)")
        except engine.ENGINE_UNAVAILABLE as exc:
            raise CommandError(f"Moteur de recherche injoignable ({exc}). Les changements restent en file.") from exc

    def ensure(self, quiet):
        if not engine.enabled():
            self.stdout.write("OPENSEARCH_URL n'est pas défini : pas d'index, la recherche répond depuis la base.")
            return
        with tqdm(total=lifecycle.count_indexable(), desc="Index du moteur", unit="doc", disable=quiet) as bar:
            name = lifecycle.ensure(progress=bar.update)
        if name:
            self.stdout.write(self.style.SUCCESS(f"Index {name} créé, alias {engine.alias_name()} posé."))
        else:
            self.stdout.write(f"L'alias {engine.alias_name()} existe déjà : rien à faire.")

    def rebuild(self, target, chunk, quiet):
        if target in ("engine", "all") and not engine.enabled():
            raise CommandError("OPENSEARCH_URL n'est pas défini : pas d'index moteur à reconstruire.")
        total = lifecycle.count_indexable()
        if target in ("engine", "all"):
            with tqdm(total=total, desc="Index du moteur", unit="doc", disable=quiet) as bar:
                name = lifecycle.rebuild(progress=bar.update, chunk=chunk)
            self.stdout.write(self.style.SUCCESS(f"Index {name} construit ({total} documents), alias basculé."))
        if target in ("database", "all"):
            with tqdm(total=total, desc="Entrées en base", unit="doc", disable=quiet) as bar:
                written = lifecycle.rebuild_entries(progress=bar.update, chunk=chunk)
            self.stdout.write(self.style.SUCCESS(f"{written} entrées de recherche en base réécrites."))

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import backends, engine, relevance
from search.models import SearchEntry


class Command(BaseCommand):
    help = (
        "Mesure la pertinence de la recherche sur le jeu de requêtes jugées : nDCG@10, MRR, P@3 par moitié "
        "(réglage, témoin) et les requêtes les moins bien servies."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queries", default=str(relevance.JUDGEMENTS), help="fichier TOML des requêtes jugées")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--engine", action="store_true", help="interroger le moteur (OpenSearch)")
        which.add_argument("--fallback", action="store_true", help="interroger la recherche en base de données")
        parser.add_argument("--worst", type=int, default=10, help="nombre de requêtes les moins bien servies à lister")

    def handle(self, *args, queries, engine: bool, fallback, worst, **options):
        try:
            judged = relevance.load(queries)
        except relevance.JudgementError as exc:
            raise CommandError(str(exc)) from exc
        missing = relevance.missing_titles(judged, SearchEntry.objects.values_list("title", flat=True))
        if missing:
            raise CommandError(
                f"{len(missing)} titre(s) jugé(s) absent(s) du corpus indexé (jugements à revoir, ou index à "
                f"reconstruire) : " + " ; ".join(f"« {t} »" for t in missing[:10])
            )
        service = self.service(engine, fallback)
        quiet = options["verbosity"] < 1
        outcomes = relevance.run(service, tqdm(judged, desc="Requêtes", unit="req", disable=quiet))
        self.report(service.name, outcomes, worst)

    def service(self, want_engine, want_fallback):
        if want_fallback:
            return backends.database()
        if want_engine and not engine.enabled():
            raise CommandError("Aucun moteur configuré (OPENSEARCH_URL) : utilisez --fallback.")
        return backends.implementation()

    def report(self, name, outcomes, worst):
        self.stdout.write(f"Recherche : {'moteur' if name == 'engine' else 'base de données'}")
        self.stdout.write(f"  tout      {relevance.summarise(outcomes).line()}")
        for split, summary in relevance.by_split(outcomes).items():
            self.stdout.write(f"  {split:<9} {summary.line()}")
        listed = relevance.worst(outcomes, worst)
        if listed:
            self.stdout.write("Requêtes les moins bien servies :")
        for outcome in listed:
            judged = outcome.judged
            if judged.expect_nothing:
                self.stdout.write(f"  « {judged.q} » (hors sujet) : {outcome.count} résultat(s) au lieu d'aucun")
                continue
            self.stdout.write(
                f"  « {judged.q} » [{judged.split}] nDCG {outcome.ndcg:.2f}, RR {outcome.rr:.2f}, P@3 {outcome.p3:.2f}"
            )
            for rank, title in enumerate(outcome.titles[:3], start=1):
                self.stdout.write(f"      {rank}. ({judged.grades.get(title, 0)}) {title}")

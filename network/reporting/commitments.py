"""The quality commitments of SPEC §5, evaluated from a centre's figures, each with the figure behind it.

Every commitment gives `{"state": …, "value": …}` where state is one of:
- `met` / `not_met`: decided from the figure in `value`;
- `not_applicable`: the commitment does not apply this year (e.g. no chantier was programmed);
- `not_available`: the figure it needs is not recorded (e.g. a budget the centre has not entered);
  never a made-up zero.

Rules chosen where SPEC §5 leaves room (documented in docs/indicators.md):
- *diversity of publics*: people were present from at least DIVERSITY_MIN_CATEGORIES of the eight
  public categories over the year; not applicable when no attendance was recorded at all;
- *active diffusion*: at least one newsletter issue sent in the year to at least one subscriber.
"""

from decimal import Decimal

MET, NOT_MET, NOT_APPLICABLE, NOT_AVAILABLE = "met", "not_met", "not_applicable", "not_available"
DIVERSITY_MIN_CATEGORIES = 4
STATE_SHARE_MIN = Decimal("0.50")
COMPETITIVE_SHARE_MAX = Decimal("0.20")

LABELS = {
    "formalised_production": "Au moins une production formalisée dans l'année",
    "active_diffusion": "Diffusion active (lettres d'information envoyées)",
    "elected_officials_session": "Au moins une séance pour les élus",
    "diversity_of_publics": f"Diversité des publics (au moins {DIVERSITY_MIN_CATEGORIES} catégories présentes)",
    "national_programme": "Participation à au moins deux chantiers nationaux",
    "state_share_of_socle": "État ≥ 50 % du budget socle",
    "competitive_services_share": "Prestations concurrentielles ≤ 20 % du budget annuel",
}


def _decide(ok, value):
    return {"state": MET if ok else NOT_MET, "value": value}


def evaluate(figures, entered=None):
    """{commitment: {state, value}}; `entered` holds the centre's typed figures (budgets), if any."""
    entered = entered or {}
    productions = figures["sheets_published"] + figures["publications_published"]
    result = {
        "formalised_production": _decide(productions >= 1, productions),
        "elected_officials_session": _decide(figures["sessions_elus"] >= 1, figures["sessions_elus"]),
    }
    if figures["newsletters_sent"] is None:
        result["active_diffusion"] = {"state": NOT_AVAILABLE, "value": None}
    else:
        result["active_diffusion"] = _decide(
            figures["newsletters_sent"] >= 1 and (figures["subscribers"] or 0) >= 1, figures["newsletters_sent"]
        )
    present = figures["attendance"]
    reached = sum(1 for count in present.values() if count > 0)
    if sum(present.values()) == 0:
        result["diversity_of_publics"] = {"state": NOT_APPLICABLE, "value": 0}
    else:
        result["diversity_of_publics"] = _decide(reached >= DIVERSITY_MIN_CATEGORIES, reached)
    if figures["chantiers_open"] == 0:
        result["national_programme"] = {"state": NOT_APPLICABLE, "value": figures["chantiers_joined"]}
    else:
        # A year with a single chantier can only ask for that one.
        needed = min(2, figures["chantiers_open"])
        result["national_programme"] = _decide(figures["chantiers_joined"] >= needed, figures["chantiers_joined"])
    result["state_share_of_socle"] = _share(
        entered.get("state_socle"), entered.get("socle_total"), STATE_SHARE_MIN, True
    )
    result["competitive_services_share"] = _share(
        entered.get("competitive_revenue"), entered.get("annual_budget"), COMPETITIVE_SHARE_MAX, False
    )
    return result


def _share(part, total, bound, at_least):
    if part is None or total is None:
        return {"state": NOT_AVAILABLE, "value": None}
    if total == 0:
        return {"state": NOT_APPLICABLE, "value": None}
    share = (Decimal(part) / Decimal(total)).quantize(Decimal("0.001"))
    return _decide(share >= bound if at_least else share <= bound, float(share))

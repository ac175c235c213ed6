"""Codes of the common format (SPEC §3), shared by the model, the codec and the JSON Schema."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

QPV_PATTERN = r"^(QP\d{6}|QN(\d{3}|02[AB])\d{2}[A-Z])$"
INSEE_COMMUNE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
SIREN_PATTERN = r"^\d{9}$"
REGION_PATTERN = r"^\d{2}$"
DEPARTEMENT_PATTERN = r"^(\d{2}|2[AB]|97\d)$"

validate_qpv = RegexValidator(
    QPV_PATTERN,
    _("Code QPV invalide : « QP » suivi de 6 chiffres (liste 2015) ou « QN » suivi de 6 caractères (liste 2024)."),
)
validate_insee_commune = RegexValidator(INSEE_COMMUNE_PATTERN, _("Code INSEE de commune invalide (5 caractères)."))
validate_siren = RegexValidator(SIREN_PATTERN, _("SIREN invalide : 9 chiffres."))

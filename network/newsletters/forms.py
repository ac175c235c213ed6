"""Public forms (no account): subscribing to lists, an alert, and the preferences page.

The privacy notice and the consent label are recorded word for word with each consent
(`consent_wording`), so that what the person saw can be shown later.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from resources.taxonomy.models import Theme

from .models import AlertFrequency, MailingList

PRIVACY_NOTICE = _(
    "Votre adresse électronique sert uniquement à vous envoyer ce que vous avez choisi. Seuls le centre "
    "qui publie la lettre (ou l'équipe nationale pour les lettres nationales) et l'administrateur du portail "
    "y ont accès ; elle n'est jamais cédée. Chaque courriel contient un lien pour vous désinscrire en un clic, "
    "obtenir une copie de vos données ou les effacer."
)
CONSENT_LABEL = _("J'ai lu la notice ci-dessus et j'accepte de recevoir ces courriels.")
PREFERENCES_WORDING = _("Lettres cochées sur la page « Vos abonnements », ouverte depuis un lien reçu par courriel.")


def consent_wording():
    """The exact text shown next to the consent checkbox, as recorded with the consent."""
    return f"{PRIVACY_NOTICE} {CONSENT_LABEL}"


class ConsentForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    consent = forms.BooleanField(
        label=CONSENT_LABEL,
        error_messages={"required": _("Cochez la case pour accepter de recevoir ces courriels.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    website = forms.CharField(label=_("Ne pas remplir"), required=False)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Votre demande n'a pas pu être enregistrée."))
        return ""


class SubscribeForm(ConsentForm):
    lists = forms.ModelMultipleChoiceField(
        label=_("Lettres"),
        queryset=MailingList.objects.public(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choisissez au moins une lettre."),
            "invalid_choice": _("Cette lettre n'existe pas ou n'est plus ouverte aux inscriptions."),
            "invalid_pk_value": _("Cette lettre n'existe pas."),
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes qui vous intéressent (facultatif)"),
        queryset=Theme.objects.order_by("label"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Ce thème n'existe pas."), "invalid_pk_value": _("Ce thème n'existe pas.")},
    )


class AlertForm(ConsentForm):
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=AlertFrequency.choices, initial=AlertFrequency.WEEKLY, widget=forms.RadioSelect
    )


class PreferencesForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Lettres reçues"),
        queryset=MailingList.objects.public(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Cette lettre n'existe pas ou n'est plus ouverte aux inscriptions.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes qui vous intéressent"),
        queryset=Theme.objects.order_by("label"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Ce thème n'existe pas.")},
    )

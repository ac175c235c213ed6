"""The public registration form (no account). Its rules are the service's; the form only checks input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicCategory

PRIVACY_NOTICE = _(
    "Vos nom, adresse électronique, structure, catégorie, territoire et besoins d'accessibilité servent "
    "uniquement à organiser cet événement (liste des participants, courriels d'information). Seul le centre "
    "organisateur y a accès. Ils sont effacés au plus tard %(months)s mois après l'événement ; seuls des "
    "effectifs anonymes par catégorie sont conservés. Chaque courriel contient un lien pour annuler votre "
    "inscription."
)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    email = forms.EmailField(label=_("Adresse électronique"), max_length=254)
    organisation = forms.CharField(label=_("Structure"), max_length=200, required=False)
    public_category = forms.ChoiceField(label=_("Vous êtes"), choices=PublicCategory.choices, widget=forms.RadioSelect)
    territory = forms.CharField(label=_("Territoire (commune, quartier)"), max_length=200, required=False)
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent = forms.BooleanField(
        label=_("J'ai lu la notice ci-dessus et j'accepte que ces données soient utilisées pour cet événement."),
        error_messages={"required": _("Cochez la case pour accepter l'utilisation de vos données.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots.
    website = forms.CharField(label=_("Ne pas remplir"), required=False)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Votre demande n'a pas pu être enregistrée."))
        return ""

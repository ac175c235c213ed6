"""The admin log-in form in French.

Wagtail's LoginForm declares its password field without a label, so Django shows the field
name, « Password », whatever the language: the label is given here.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Mot de passe")

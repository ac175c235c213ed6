"""Admin pages of an issue: preview (HTML and text), test send, send form, status with pause/resume/cancel.

Who may do what follows the page permissions of the issue's section: editing it (the centre's
editors and moderators, the national team) allows preview, test send and « what's new »;
publishing it (moderators, national team) allows sending, pausing, resuming and cancelling.
Another centre's staff get a 403, on GET and on a forged POST alike.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.validators import validate_email
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import sending
from .composing import add_items, whats_new
from .delivery import Delivery, DeliveryState, IssueSend, SendState
from .issues import NewsletterIssuePage
from .rendering import MailTemplate, render_issue, sender


def _issue(request, issue_id, need="edit"):
    issue = get_object_or_404(NewsletterIssuePage, pk=issue_id)
    permissions = issue.permissions_for_user(request.user)
    if not (permissions.can_publish() if need == "send" else permissions.can_edit()):
        raise PermissionDenied
    return issue


def _draft(issue):
    revision = issue.get_latest_revision()
    return revision.as_object() if revision else issue


def preview(request, issue_id, part="html"):
    """The mail as it will look: the HTML part (CSS inlined) or the text part, with sample links."""
    issue = _issue(request, issue_id)
    rendered = render_issue(_draft(issue))
    template = MailTemplate(rendered, sender(issue.centre))
    text, html, _header = template.personal(0, None)
    if part == "text":
        return HttpResponse(text, content_type="text/plain; charset=utf-8")
    return HttpResponse(html)


class TestSendForm(forms.Form):
    email = forms.CharField(label="Adresse de test", validators=[validate_email])


@require_POST
def test_send(request, issue_id):
    issue = _issue(request, issue_id)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Adresse de test non valide : vérifiez-la.")
        return redirect("newsletters_admin:status", issue.pk)
    template = MailTemplate(render_issue(_draft(issue)), sender(issue.centre), subject_prefix="[Test] ")
    address = form.cleaned_data["email"]
    template.email_message(address, 0, None, template.new_message_id()).send()
    messages.success(request, f"Envoi de test adressé à {address}.")
    return redirect("newsletters_admin:status", issue.pk)


class ScheduleForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        queryset=None, label="Listes destinataires", widget=forms.CheckboxSelectMultiple
    )
    when = forms.DateTimeField(
        label="Envoyer le (facultatif)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Vide : envoi immédiat.",
    )

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = lists

    def clean_when(self):
        when = self.cleaned_data["when"]
        if when and when < timezone.now():
            raise forms.ValidationError("Cette date est passée : laissez vide pour envoyer tout de suite.")
        return when


def schedule(request, issue_id):
    issue = _issue(request, issue_id, need="send")
    draft = _draft(issue)
    allowed = sending.allowed_lists(issue, request.user)
    record = IssueSend.objects.filter(issue=issue).first()
    if record and record.state not in (SendState.DRAFT, SendState.SCHEDULED):
        return redirect("newsletters_admin:status", issue.pk)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    initial = {"lists": [item.pk for item in draft.lists.all() if item.pk in allowed_ids], "when": draft.send_at}
    form = ScheduleForm(request.POST or None, lists=allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sending.schedule(
                issue.pk, [item.pk for item in form.cleaned_data["lists"]], form.cleaned_data["when"], request.user
            )
        except sending.SendError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Envoi programmé.")
            return redirect("newsletters_admin:status", issue.pk)
    return render(request, "newsletters/admin/schedule.html", {"issue": issue, "form": form})


def status(request, issue_id):
    issue = _issue(request, issue_id)
    record = IssueSend.objects.filter(issue=issue).prefetch_related("lists").first()
    state = record.state if record else SendState.DRAFT
    context = {
        "issue": issue,
        "record": record,
        "state": state,
        "state_label": SendState(state).label,
        "counts": sending.progress(issue.pk),
        "can_send": issue.permissions_for_user(request.user).can_publish(),
        "refresh": state in (SendState.SCHEDULED, SendState.SENDING),
        "uncertain": Delivery.objects.filter(issue=issue, state=DeliveryState.UNCERTAIN).select_related("subscriber")[
            :100
        ],
        "failed": Delivery.objects.filter(issue=issue, state=DeliveryState.FAILED).select_related("subscriber")[:100],
        "test_form": TestSendForm(),
        "SendState": SendState,
    }
    return render(request, "newsletters/admin/status.html", context)


ACTIONS = {"pause": sending.pause, "resume": sending.resume, "cancel": sending.cancel}
DONE = {"pause": "Envoi mis en pause.", "resume": "Envoi repris.", "cancel": "Envoi annulé."}


@require_POST
def action(request, issue_id, name):
    issue = _issue(request, issue_id, need="send")
    if name not in ACTIONS:
        raise PermissionDenied
    try:
        ACTIONS[name](issue.pk)
    except sending.SendError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE[name])
    return redirect("newsletters_admin:status", issue.pk)


def add_whats_new(request, issue_id):
    """GET lists the proposals; POST adds them to the issue's draft."""
    issue = _issue(request, issue_id)
    draft = _draft(issue)
    items = whats_new(draft)
    if request.method == "POST":
        added = add_items(draft, [item["page"] for item in items if not item["already"]])
        messages.success(request, f"{added} contenu(s) ajouté(s) au brouillon de la lettre.")
        return redirect("wagtailadmin_pages:edit", issue.pk)
    return render(request, "newsletters/admin/whats_new.html", {"issue": issue, "items": items})

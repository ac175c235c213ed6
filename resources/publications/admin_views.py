"""Admin report « Extraction des documents »: what search could read of each attached file.

Editors see the documents of the collections they may change (their centre's), the national
team sees all; a failed or pending extraction can be queued again from here.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from .models import DocumentText
from .tasks import extract_document_text_task

STATES = {
    "erreur": "En erreur",
    "attente": "En attente",
    "extrait": "Texte extrait",
}
PAGE_SIZE = 50


def _policy():
    return policy_registry.get_by_type(get_document_model())


def can_see(user):
    return _policy().user_has_permission(user, "change")


def _documents(user):
    failed = DocumentText.objects.filter(document=OuterRef("pk"), extracted_at__isnull=False).exclude(error="")
    done = DocumentText.objects.filter(document=OuterRef("pk"), extracted_at__isnull=False, error="")
    return (
        _policy()
        .instances_user_has_permission_for(user, "change")
        .select_related("collection", "extracted_text")
        .annotate(failed=Exists(failed), done=Exists(done))
    )


def _state_filter(state):
    return {
        "erreur": Q(failed=True),
        "attente": Q(failed=False, done=False),
        "extrait": Q(done=True),
    }[state]


def extraction_report(request):
    if not can_see(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _retry(request)
    documents = _documents(request.user)
    counts = {state: documents.filter(_state_filter(state)).count() for state in STATES}
    state = request.GET.get("etat")
    if state in STATES:
        documents = documents.filter(_state_filter(state))
    else:
        state = None
    page = Paginator(documents.order_by("-failed", "-done", "title", "pk"), PAGE_SIZE).get_page(request.GET.get("p"))
    return render(
        request,
        "publications/admin_extraction.html",
        {"page": page, "filters": [(key, label, counts[key]) for key, label in STATES.items()], "state": state},
    )


def _retry(request):
    raw_id = request.POST.get("document", "")
    document = get_object_or_404(get_document_model(), pk=int(raw_id) if raw_id.isdigit() else 0)
    if not _policy().user_has_permission_for_instance(request.user, "change", document):
        raise PermissionDenied
    document_id = document.pk
    transaction.on_commit(lambda: extract_document_text_task.enqueue(document_id, force=True), robust=True)
    messages.success(request, f"Extraction du document « {document.title} » relancée.")
    query = f"?etat={request.POST['etat']}" if request.POST.get("etat") in STATES else ""
    return redirect(reverse("publications_extraction") + query)

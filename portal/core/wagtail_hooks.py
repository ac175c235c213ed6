"""Wagtail hooks of the site shell."""

from django.http import Http404
from wagtail import hooks

from .public_files import public_files


@hooks.register("before_serve_document")
def hide_unpublished_documents(document, request):
    """A document no public page uses is served to people who may use the admin only (previews)."""
    if request.user.has_perm("wagtailadmin.access_admin"):
        return None
    if not public_files(type(document).objects.filter(pk=document.pk)).exists():
        raise Http404
    return None

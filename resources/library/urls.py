from django.urls import path

from .feeds import LibraryAtomFeed, LibraryFeed

urlpatterns = [
    path("bibliotheque/flux.rss", LibraryFeed(), name="library_rss"),
    path("bibliotheque/flux.atom", LibraryAtomFeed(), name="library_atom"),
]

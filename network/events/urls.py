from django.urls import path

from . import views

urlpatterns = [
    path("agenda/", views.agenda_page, name="agenda"),
    path("agenda/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("agenda/flux.rss", views.AgendaFeed(), name="agenda_rss"),
    path("agenda/flux.atom", views.AgendaAtomFeed(), name="agenda_atom"),
]

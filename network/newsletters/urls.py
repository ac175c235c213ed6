from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("lettres/", views.lists_page, name="lists"),
    path("lettres/alerte/", views.alert_page, name="alert"),
    path("lettres/confirmation/<str:token>/", views.confirm, name="confirm"),
    path("lettres/preferences/<str:token>/", views.preferences, name="preferences"),
    path("lettres/preferences/<str:token>/donnees/", views.personal_data, name="personal_data"),
    path("lettres/preferences/<str:token>/effacer/", views.erase, name="erase"),
    path("lettres/donnees-effacees/", views.erased, name="erased"),
    path("lettres/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("lettres/desinscription/<str:token>/un-clic/", views.one_click, name="one_click"),
]

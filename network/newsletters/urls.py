from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("lettres/confirmation/<str:token>/", views.confirm, name="confirm"),
    path("lettres/preferences/<str:token>/", views.preferences, name="preferences"),
    path("lettres/desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("lettres/desinscription/<str:token>/un-clic/", views.one_click, name="one_click"),
]

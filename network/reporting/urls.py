from django.urls import path

from . import dashboard_views

urlpatterns = [
    path("tableau-de-bord/<int:year>/", dashboard_views.public_dashboard, name="public_dashboard"),
]

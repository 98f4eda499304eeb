from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("agenda-afmelden/<str:token>/", views.cancel_registration, name="cancel"),
]

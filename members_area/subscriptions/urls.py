"""Newsletter and calendar URLs, inside i18n_patterns (/nl/nieuwsbrief/..., /en/nieuwsbrief/...)."""

from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("nieuwsbrief/aanmelden/", views.signup, name="signup"),
    path("nieuwsbrief/aanmelden/verstuurd/", views.signup_done, name="signup_done"),
    path("nieuwsbrief/bevestigen/<str:token>/", views.confirm, name="confirm"),
    path("nieuwsbrief/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path(
        "nieuwsbrief/afmelden/<str:token>/een-klik/",
        views.unsubscribe_one_click,
        name="unsubscribe_one_click",
    ),
    path("mijn-nieuwsbrief/", views.my_newsletter, name="my_newsletter"),
    path("mijn-agenda/", views.my_calendar, name="my_calendar"),
    path("mijn-agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]

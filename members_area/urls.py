"""Member URLs, inside i18n_patterns (/nl/login/, /en/login/ ...).

The names follow django.contrib.auth's ("login", "password_reset_confirm", ...) so that Django's
own views and LOGIN_URL = "login" resolve to these language-aware pages.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("login/code/", views.code_request, name="login_code"),
    path("login/code/invoeren/", views.code_enter, name="login_code_enter"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-vergeten/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-vergeten/klaar/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("mijn-profiel/", views.profile, name="members_profile"),
    path("mijn-aanmeldingen/", views.my_signups, name="members_signups"),
    path("mijn-profiel/mijn-gegevens.json", views.profile_data, name="members_profile_data"),
    path("mijn-profiel/verwijderen/", views.profile_remove, name="members_profile_remove"),
]

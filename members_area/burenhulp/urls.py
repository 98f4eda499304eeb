"""Burenhulp URLs, inside i18n_patterns (/nl/burenhulp/, /en/burenhulp/)."""

from django.urls import path

from . import views

app_name = "burenhulp"

urlpatterns = [
    path("burenhulp/", views.index, name="index"),
    path("burenhulp/hulp-vragen/", views.ask, name="ask"),
    path("burenhulp/hulp-aanbieden/", views.offer, name="offer"),
    path("burenhulp/namens-een-buur/", views.on_behalf, name="on_behalf"),
    path("burenhulp/contactpersoon/", views.contact_overview, name="contact"),
    path("burenhulp/e-mail/", views.preferences, name="preferences"),
    path("burenhulp/<int:post_id>/", views.detail, name="detail"),
    path("burenhulp/<int:post_id>/ik-help/", views.respond, name="respond"),
    path("burenhulp/<int:post_id>/intrekken/", views.withdraw, name="withdraw"),
    path("burenhulp/<int:post_id>/kiezen/<int:response_id>/", views.choose, name="choose"),
    path("burenhulp/<int:post_id>/afsluiten/", views.close, name="close"),
    path("burenhulp/<int:post_id>/verlengen/", views.extend, name="extend"),
    path("burenhulp/<int:post_id>/melden/", views.report, name="report"),
    path("burenhulp/<int:post_id>/verbergen/", views.hide, name="hide"),
    path("burenhulp/<int:post_id>/weer-tonen/", views.unhide, name="unhide"),
    path("burenhulp/<int:post_id>/meldingen-afhandelen/", views.dismiss_reports, name="dismiss"),
]

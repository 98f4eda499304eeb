"""Membership URLs, inside i18n_patterns (/nl/lidmaatschap/aanmelden/..., /en/...).

Not under /lid-worden/: that address belongs to the editors' content page about becoming a member,
not this form.
"""

from django.urls import path

from . import (
    contribution_views,
    import_views,
    member_views,
    paper_views,
    profile_views,
    views,
)

app_name = "membership"

urlpatterns = [
    path("lidmaatschap/aanmelden/", views.apply_index, name="apply_index"),
    path("lidmaatschap/aanmelden/<slug:slug>/", views.apply, name="apply"),
    path("lidmaatschap/aanmelden/<slug:slug>/verstuurd/", views.apply_done, name="apply_done"),
    path("welkom/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
    path("mijn-profiel/e-mailadres/", profile_views.email_change, name="email_change"),
    path(
        "e-mailadres-bevestigen/<str:token>/",
        profile_views.email_confirm,
        name="email_confirm",
    ),
    path("ledenadministratie/", views.queue, name="queue"),
    path(
        "ledenadministratie/aanmelding-invoeren/",
        views.enter_application,
        name="enter",
    ),
    path(
        "ledenadministratie/aanmeldingen/<int:pk>/",
        views.application_detail,
        name="application",
    ),
    path(
        "ledenadministratie/binnenbuurten/<int:binnenbuurt_id>/straten/",
        views.edit_area,
        name="area",
    ),
    path("ledenadministratie/leden/", member_views.member_list, name="members"),
    path(
        "ledenadministratie/leden/<int:member_id>/",
        member_views.member_detail,
        name="member",
    ),
    path(
        "ledenadministratie/leden/export.csv",
        member_views.member_export,
        {"file_format": "csv"},
        name="members_csv",
    ),
    path(
        "ledenadministratie/leden/export.xlsx",
        member_views.member_export,
        {"file_format": "xlsx"},
        name="members_xlsx",
    ),
    path("ledenadministratie/lijsten/", member_views.printable_lists, name="printable_lists"),
    path(
        "ledenadministratie/lijsten/<int:binnenbuurt_id>.pdf",
        member_views.binnenbuurt_list_pdf,
        name="binnenbuurt_list_pdf",
    ),
    path("ledenadministratie/contributie/", contribution_views.overview, name="contributions"),
    path(
        "ledenadministratie/contributie/<int:member_id>/<int:year>/",
        contribution_views.edit,
        name="contribution",
    ),
    path(
        "ledenadministratie/contributie/export.csv",
        contribution_views.export,
        {"file_format": "csv"},
        name="contributions_csv",
    ),
    path(
        "ledenadministratie/contributie/export.xlsx",
        contribution_views.export,
        {"file_format": "xlsx"},
        name="contributions_xlsx",
    ),
    path(
        "ledenadministratie/contributie/brieven.pdf",
        contribution_views.letters,
        name="contribution_letters",
    ),
    path(
        "ledenadministratie/nieuwsbrief/<int:page_id>/op-papier.pdf",
        paper_views.edition,
        name="newsletter_paper",
    ),
    path(
        "ledenadministratie/nieuwsbrief/<int:page_id>/etiketten.pdf",
        paper_views.labels,
        name="newsletter_labels",
    ),
    path("ledenadministratie/inlezen/", import_views.upload, name="import"),
    path(
        "ledenadministratie/inlezen/<int:import_id>/",
        import_views.apply_import,
        name="import_apply",
    ),
]

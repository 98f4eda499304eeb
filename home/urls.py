"""Site-wide URLs without a language prefix (included by ``cms.urls`` outside i18n_patterns)."""

from django.urls import path

from home import views

urlpatterns = [
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("tekstgrootte/", views.set_text_size, name="set_text_size"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.favicon, name="favicon"),
]

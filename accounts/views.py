"""Account views that replace Wagtail's own where those were not safe enough."""

from django.http import HttpResponseNotAllowed

from wagtail.admin.views.account import LogoutView


class AdminLogoutView(LogoutView):
    """Wagtail's logout, but a GET changes nothing.

    Wagtail's view answers a GET with 405 and still deletes the session cookie on that answer, so
    any page could log an editor out with an ``<img src="/admin/logout/">``. Logging out is a
    POST with a CSRF token (the admin's own menu sends one).
    """

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)

"""The "Snel aan de slag" panel on the admin dashboard: one click to the things volunteer editors
do most ("Nieuw verslag", "Nieuwe activiteit"), instead of finding the right parent page first.

Apps offer their shortcuts with the ``register_editor_shortcuts`` hook: a function taking the
request and returning ``add_page_shortcut(...)`` results. A shortcut is only shown to an editor
who may add that page type there.
"""

from dataclasses import dataclass

from laces.components import Component

from django.urls import reverse

from wagtail import hooks


@dataclass
class Shortcut:
    label: str
    url: str


def add_page_shortcut(request, label, model, parent):
    """A shortcut to "add a ``model`` page under ``parent``", or None when not allowed."""
    if parent is None or not parent.permissions_for_user(request.user).can_add_subpage():
        return None
    if not model.can_create_at(parent):
        return None
    url = reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )
    return Shortcut(label=str(label), url=url)


class ShortcutsPanel(Component):
    name = "editor_shortcuts"
    order = 50
    template_name = "home/admin/shortcuts_panel.html"

    def __init__(self, request):
        self.shortcuts = [
            shortcut
            for offer in hooks.get_hooks("register_editor_shortcuts")
            for shortcut in offer(request)
            if shortcut is not None
        ]

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.shortcuts else ""

    def get_context_data(self, parent_context=None):
        return {"shortcuts": self.shortcuts}

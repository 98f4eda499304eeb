"""An admin button on pages of one type, in the page header and in the page listing's "More" menu.

Events ("Aanmeldingen") and the newsletter ("Nieuwsbrief versturen") both add a screen of their
own to a page type; the button must show only on that type and only to users who may edit the
page, since those screens hold personal data or send e-mail.
https://docs.wagtail.org/en/stable/reference/hooks.html#register-page-header-buttons
"""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.widgets import Button


def register_page_action_button(page_model, label, url_name, icon_name, priority=60):
    def button_for(page, user):
        specific_class = page.specific_class
        if specific_class is None or not issubclass(specific_class, page_model):
            return None
        if not page.permissions_for_user(user).can_edit():
            return None
        return Button(
            label, reverse(url_name, args=[page.pk]), icon_name=icon_name, priority=priority
        )

    def listing_button(page, user, next_url=None):
        if button := button_for(page, user):
            yield button

    def header_button(page, user, view_name=None, next_url=None):
        if button := button_for(page, user):
            yield button

    hooks.register("register_page_listing_more_buttons", listing_button)
    hooks.register("register_page_header_buttons", header_button)

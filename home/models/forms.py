"""Contact and sign-up forms built by editors with Wagtail's form builder.

See https://docs.wagtail.org/en/stable/reference/contrib/forms/index.html. Spam protection and the
double-submit guard live in ``home.form_protection``; the page model only wires them in.
"""

from modelcluster.fields import ParentalKey

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from .base import BasePage


class FormField(AbstractFormField):
    page = ParentalKey("home.FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormSubmissionToken(models.Model):
    """A one-time token per rendered form, so that a double submit stores one submission."""

    token = models.UUIDField(unique=True)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(
        "wagtailforms.FormSubmission", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verzonden formulier (token)")
        verbose_name_plural = _("verzonden formulieren (tokens)")


class FormPage(BasePage, AbstractEmailForm):
    introduction = RichTextField(
        _("introductie"),
        blank=True,
        features=["bold", "italic", "link", "ul"],
        help_text=_("Uitleg boven het formulier: waarvoor is het en wat gebeurt er daarna?"),
    )
    thank_you_text = RichTextField(
        _("bedankt-tekst"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Wat de bezoeker ziet na het versturen."),
    )

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("introduction"),
        InlinePanel("form_fields", label=_("Formuliervelden")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail bij een nieuw bericht"),
        ),
    ]
    promote_panels = BasePage.promote_panels
    search_fields = [*BasePage.search_fields, index.SearchField("introduction")]

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("formulierpagina")
        verbose_name_plural = _("formulierpagina's")

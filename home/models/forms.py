"""Contact and sign-up forms built by editors with Wagtail's form builder.

See https://docs.wagtail.org/en/stable/reference/contrib/forms/index.html. Spam protection and the
double-submit guard live in ``home.form_protection``; the page model only wires them in.
"""

from modelcluster.fields import ParentalKey

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import FORM_FIELD_CHOICES, AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.form_protection import ProtectedFormBuilder

from .base import BasePage, SiteSettings


class FormField(AbstractFormField):
    # A phone number gets its own type: the phone keypad on a mobile and the browser's autofill.
    field_type = models.CharField(
        verbose_name=_("soort veld"),
        max_length=16,
        choices=[*FORM_FIELD_CHOICES, ("phone", _("Telefoonnummer"))],
    )
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
    """A contact or sign-up form; messages go by e-mail to ``to_address`` or the site address."""

    form_builder = ProtectedFormBuilder
    landing_page_template = "home/form_page_landing.html"

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

    def notification_addresses(self):
        if self.to_address:
            return [address.strip() for address in self.to_address.split(",") if address.strip()]
        contact_email = SiteSettings.load().contact_email
        return [contact_email] if contact_email else []

    def send_mail(self, form):
        addresses = self.notification_addresses()
        if not addresses:
            return
        subject = self.subject or _("Nieuw bericht via '%(title)s'") % {"title": self.title}
        # "Beantwoorden" in the office's mail program then writes to the sender, not to us.
        sender_addresses = [
            form.cleaned_data[field.clean_name]
            for field in self.get_form_fields()
            if field.field_type == "email" and form.cleaned_data.get(field.clean_name)
        ]
        EmailMessage(
            str(subject),
            self.render_email(form),
            self.from_address or settings.DEFAULT_FROM_EMAIL,
            addresses,
            reply_to=sender_addresses[:1],
        ).send()

    def get_submissions_list_view_class(self):
        """Wagtail's list of submissions, with a CSV export that cannot carry formulas.

        Imported here, as Wagtail's own method does: its admin views cannot be imported while
        the models load. https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html#customise-form-submissions-listing-in-wagtail-admin
        """
        from home.form_exports import FormulaSafeSubmissionsListView

        return FormulaSafeSubmissionsListView

    def process_form_submission(self, form):
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        self.send_mail(form)
        return submission

    def submit_once(self, form):
        """Store the submission unless this exact form (its token) was already sent."""
        try:
            with transaction.atomic():
                token, created = FormSubmissionToken.objects.get_or_create(
                    token=form.submission_token, defaults={"page": self}
                )
                if not created:
                    return token.submission
                token.submission = self.process_form_submission(form)
                token.save(update_fields=["submission"])
                return token.submission
        except IntegrityError:  # the same token posted at the very same moment
            return FormSubmissionToken.objects.get(token=form.submission_token).submission

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.is_valid():
                submission = None if form.is_spam else self.submit_once(form)
                response = self.render_landing_page(request, submission, *args, **kwargs)
            else:
                context = self.get_context(request)
                context["form"] = form
                response = TemplateResponse(request, self.get_template(request), context)
        else:
            form = self.get_form(page=self, user=request.user)
            context = self.get_context(request)
            context["form"] = form
            response = TemplateResponse(request, self.get_template(request), context)
        # Every rendering carries its own one-time token: it must never come from a cache.
        patch_cache_control(response, private=True, no_store=True)
        return response

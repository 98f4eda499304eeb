"""What members and contact persons do with help posts, one function per action.

Views call these; every change that someone must hear about calls ``notifications.later`` once
the transaction has committed. Each action checks the state it starts from inside the same
transaction (``select_for_update``), so a double click or two neighbours at once cannot, for
example, choose two helpers for one request. Failures are ``ActionRefused`` with a Dutch message
for the member; nothing is changed then.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import notifications
from .models import REMINDER_BEFORE, HelpPost, Kind, Report, Response, Status
from .permissions import can_manage, in_scope, is_contact_for


class ActionRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def create_post(*, kind, author, data, binnenbuurt, form_token, posted_by=None):
    """A new request or offer; a second submit of the same form returns the first post.

    Returns (post, created).
    """
    if form_token:
        existing = HelpPost.objects.filter(form_token=form_token).first()
        if existing is not None:
            if author.pk != existing.author_id:
                raise ActionRefused(_("Dit formulier is al gebruikt. Begin opnieuw."))
            return existing, False
    post = HelpPost(
        kind=kind,
        author=author,
        posted_by=posted_by,
        binnenbuurt=binnenbuurt,
        stadsdorp_id=binnenbuurt.stadsdorp_id,
        category=data["category"],
        title=data["title"],
        description=data.get("description", ""),
        timing=data["timing"],
        date_from=data.get("date_from"),
        date_until=data.get("date_until"),
        reach=data["reach"],
        form_token=form_token or None,
    )
    try:
        with transaction.atomic():
            post.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the other submit won.
        existing = HelpPost.objects.filter(form_token=form_token).first()
        if existing is None or existing.author_id != author.pk:
            raise
        return existing, False
    if post.kind == Kind.REQUEST:
        notifications.later(notifications.notify_new_request, post.pk)
    return post, True


def _locked(post):
    return HelpPost.objects.select_for_update().get(pk=post.pk)


def respond(post, viewer, user, message=""):
    """ "Ik help" (or "Graag" on an offer): the poster is told and chooses."""
    with transaction.atomic():
        post = _locked(post)
        if viewer.user_id in (post.author_id, post.posted_by_id):
            raise ActionRefused(_("Dit is uw eigen bericht: daarop kunt u niet reageren."))
        if not in_scope(post, viewer) or post.status == Status.HIDDEN:
            raise ActionRefused(_("Dit bericht bestaat niet of is niet voor u zichtbaar."))
        if not post.is_open and not (post.kind == Kind.OFFER and post.is_current):
            raise ActionRefused(
                _("Dit bericht is niet meer open. Er helpt al iemand, of het is afgesloten.")
            )
        response, created = Response.objects.get_or_create(
            post=post, helper=user, defaults={"message": message}
        )
        if not created:
            if response.state != Response.State.WITHDRAWN:
                raise ActionRefused(_("U had al gereageerd. De vrager heeft uw bericht."))
            response.state = Response.State.OFFERED
            response.message = message
            response.created_at = timezone.now()
            response.save(update_fields=["state", "message", "created_at"])
    notifications.later(notifications.notify_response, response.pk)
    return response


def withdraw(post, user):
    with transaction.atomic():
        updated = Response.objects.filter(
            post=post, helper=user, state=Response.State.OFFERED
        ).update(state=Response.State.WITHDRAWN, decided_at=timezone.now())
    if not updated:
        raise ActionRefused(_("Er is geen reactie van u om in te trekken."))


def choose(post, viewer, response_id, accept):
    """The poster (or their contact person) accepts or declines one answer."""
    with transaction.atomic():
        post = _locked(post)
        if not can_manage(post, viewer):
            raise ActionRefused(_("Alleen de vrager of de contactpersoon kan kiezen."))
        response = (
            Response.objects.select_for_update().filter(pk=response_id, post_id=post.pk).first()
        )
        if response is None or response.state != Response.State.OFFERED:
            raise ActionRefused(_("Deze reactie is er niet meer, of er is al over beslist."))
        if accept and not post.is_current:
            raise ActionRefused(_("Dit bericht is afgesloten. Plaats zo nodig een nieuw bericht."))
        if accept and post.kind == Kind.REQUEST and post.status != Status.OPEN:
            raise ActionRefused(_("U heeft al iemand gekozen."))
        now = timezone.now()
        response.state = Response.State.ACCEPTED if accept else Response.State.DECLINED
        response.decided_at = now
        response.save(update_fields=["state", "decided_at"])
        if accept and post.kind == Kind.REQUEST:
            post.status = Status.MATCHED
            post.save(update_fields=["status", "updated_at"])
            # The others are thanked on the page: someone else helps.
            post.responses.filter(state=Response.State.OFFERED).update(
                state=Response.State.DECLINED, decided_at=now
            )
    if accept:
        notifications.later(notifications.notify_accepted, response.pk)
    return response


def close(post, viewer):
    with transaction.atomic():
        post = _locked(post)
        if not can_manage(post, viewer):
            raise ActionRefused(_("Alleen de vrager of de contactpersoon kan dit afsluiten."))
        if post.status not in (Status.OPEN, Status.MATCHED):
            raise ActionRefused(_("Dit bericht was al afgesloten."))
        post.status = Status.CLOSED
        post.closed_at = timezone.now()
        post.save(update_fields=["status", "closed_at", "updated_at"])
    return post


def extend(post, viewer):
    """Still needed: another 30 days (90 for an offer) from today."""
    with transaction.atomic():
        post = _locked(post)
        if not can_manage(post, viewer):
            raise ActionRefused(_("Alleen de vrager of de contactpersoon kan dit verlengen."))
        if post.status not in (Status.OPEN, Status.MATCHED, Status.EXPIRED):
            raise ActionRefused(_("Dit bericht is afgesloten en kan niet meer verlengd worden."))
        now = timezone.now()
        post.expires_at = max(post.expires_at, now) + post.lifetime
        if post.status == Status.EXPIRED:
            post.status = Status.OPEN
        post.reminder_sent_at = None
        post.save(update_fields=["expires_at", "status", "reminder_sent_at", "updated_at"])
    return post


def report(post, viewer, user, reason):
    if viewer.user_id in (post.author_id, post.posted_by_id):
        raise ActionRefused(_("Dit is uw eigen bericht. Sluit het af als het niet klopt."))
    try:
        with transaction.atomic():
            created = Report.objects.create(post=post, reporter=user, reason=reason)
    except IntegrityError:
        raise ActionRefused(
            _("U had dit bericht al gemeld. De contactpersonen kijken ernaar.")
        ) from None
    notifications.later(notifications.notify_report, created.pk)
    return created


def hide(post, viewer, user, reason=""):
    with transaction.atomic():
        post = _locked(post)
        if not is_contact_for(post, viewer):
            raise ActionRefused(_("Alleen de contactpersonen van de binnenbuurt kunnen verbergen."))
        if post.status == Status.HIDDEN:
            raise ActionRefused(_("Dit bericht was al verborgen."))
        now = timezone.now()
        post.status = Status.HIDDEN
        post.hidden_at = now
        post.hidden_by = user
        post.hidden_reason = reason
        post.save(update_fields=["status", "hidden_at", "hidden_by", "hidden_reason", "updated_at"])
        post.reports.filter(handled_at__isnull=True).update(handled_at=now)
    return post


def unhide(post, viewer):
    with transaction.atomic():
        post = _locked(post)
        if not is_contact_for(post, viewer):
            raise ActionRefused(_("Alleen de contactpersonen van de binnenbuurt kunnen dit."))
        if post.status != Status.HIDDEN:
            raise ActionRefused(_("Dit bericht is niet verborgen."))
        matched = post.responses.filter(state=Response.State.ACCEPTED).exists()
        post.status = Status.MATCHED if matched and post.kind == Kind.REQUEST else Status.OPEN
        post.hidden_at = None
        post.hidden_by = None
        post.hidden_reason = ""
        post.save(update_fields=["status", "hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    return post


def dismiss_reports(post, viewer):
    if not is_contact_for(post, viewer):
        raise ActionRefused(_("Alleen de contactpersonen van de binnenbuurt kunnen dit."))
    post.reports.filter(handled_at__isnull=True).update(handled_at=timezone.now())


def expire_and_remind(now=None):
    """The daily job: end posts past their date, remind authors 3 days before the end.

    Returns (expired, reminded) counts.
    """
    now = now or timezone.now()
    expired = HelpPost.objects.filter(
        status__in=(Status.OPEN, Status.MATCHED), expires_at__lte=now
    ).update(status=Status.EXPIRED, updated_at=now)
    # Only posts that have been up at least a day: a request for tomorrow needs no reminder.
    due = list(
        HelpPost.objects.filter(
            status__in=(Status.OPEN, Status.MATCHED),
            reminder_sent_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + REMINDER_BEFORE,
            created_at__lte=now - timedelta(days=1),
        ).values_list("pk", flat=True)
    )
    reminded = HelpPost.objects.filter(pk__in=due, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    )
    for post_id in due:
        notifications.later(notifications.notify_reminder, post_id)
    return expired, reminded

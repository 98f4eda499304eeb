"""The burenhulp pages. Every page needs a login and a binnenbuurt; nothing here is cached.

A post that does not exist and a post the visitor may not see get the same 404 answer, so that a
guessed id tells nothing. Refused actions (answering one's own or a closed request, a second
report, ...) come back as a Dutch message on the post's page; what was typed stays in the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from members_area.models import Member

from . import listings, services
from .forms import HelpPostForm, HideForm, OnBehalfForm, PreferenceForm, ReportForm, RespondForm
from .models import HelpPost, Kind, NotificationPreference, Response, Status
from .permissions import can_manage, is_contact_for, post_for, viewer_for


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def members_only(view):
    """Logged in, and in a binnenbuurt (or looking after one); else a plain explanation."""

    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        viewer = viewer_for(request.user)
        if not viewer.may_use:
            return _private(render(request, "burenhulp/no_binnenbuurt.html", status=403))
        return _private(view(request, viewer, *args, **kwargs))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _not_found(request):
    return render(request, "burenhulp/not_found.html", status=404)


def _member_of(viewer):
    return (
        Member.objects.select_related("binnenbuurt__stadsdorp")
        .filter(user_id=viewer.user_id)
        .first()
    )


@members_only
def index(request, viewer):
    """The board: open requests and offers, the member's own posts and answers."""
    board = listings.board(
        viewer, requests_page=request.GET.get("vragen"), offers_page=request.GET.get("aanbod")
    )
    return render(
        request,
        "burenhulp/index.html",
        {
            "board": board,
            "viewer": viewer,
            "own_posts": listings.own_posts(request.user),
            "own_responses": listings.own_responses(request.user),
            "is_contact": bool(viewer.contact_of),
        },
    )


def _create(request, viewer, kind):
    member = _member_of(viewer)
    if member is None or member.binnenbuurt is None:
        return render(request, "burenhulp/no_binnenbuurt.html", status=403)
    form = HelpPostForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            post, created = services.create_post(
                kind=kind,
                author=request.user,
                data=form.cleaned_data,
                binnenbuurt=member.binnenbuurt,
                form_token=form.cleaned_data.get("form_token"),
            )
        except services.ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            if created:
                messages.success(
                    request,
                    _("Uw hulpvraag staat erop. U krijgt bericht als iemand wil helpen.")
                    if kind == Kind.REQUEST
                    else _("Uw aanbod staat erop. Dank u wel!"),
                )
            else:
                messages.info(request, _("Dit was al geplaatst; het staat er één keer."))
            return redirect("burenhulp:detail", post_id=post.pk)
    return render(
        request,
        "burenhulp/post_form.html",
        {"form": form, "kind": kind, "binnenbuurt": member.binnenbuurt},
    )


@members_only
def ask(request, viewer):
    return _create(request, viewer, Kind.REQUEST)


@members_only
def offer(request, viewer):
    return _create(request, viewer, Kind.OFFER)


@members_only
def on_behalf(request, viewer):
    """A contact person posts a request for a neighbour of their binnenbuurt."""
    if not viewer.contact_of:
        return render(request, "burenhulp/not_contact.html", status=403)
    form = OnBehalfForm(
        request.POST or None,
        kind=Kind.REQUEST,
        binnenbuurt_ids=viewer.contact_of,
        exclude_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["for_member"]
        try:
            post, created = services.create_post(
                kind=Kind.REQUEST,
                author=member.user,
                posted_by=request.user,
                data=form.cleaned_data,
                binnenbuurt=member.binnenbuurt,
                form_token=form.cleaned_data.get("form_token"),
            )
        except services.ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "De hulpvraag voor %(name)s staat erop. U krijgt bericht als iemand "
                        "wil helpen."
                    )
                    % {"name": member.display_name},
                )
            else:
                messages.info(request, _("Dit was al geplaatst; het staat er één keer."))
            return redirect("burenhulp:detail", post_id=post.pk)
    return render(request, "burenhulp/on_behalf_form.html", {"form": form})


def _contact_card(user):
    member = getattr(user, "member", None)
    return {
        "name": user.get_full_name() or user.email,
        "phone": getattr(member, "phone", ""),
        "email": user.email,
    }


def _detail_context(request, viewer, post, respond_form=None, report_form=None):
    user = request.user
    manager = can_manage(post, viewer)
    responses = list(post.responses.select_related("helper__member")) if manager else []
    own_response = (
        post.responses.filter(helper=user).first()
        if user.pk not in (post.author_id, post.posted_by_id)
        else None
    )
    shared = []
    if manager:
        shared = [
            {"response": response, "card": _contact_card(response.helper)}
            for response in responses
            if response.state == Response.State.ACCEPTED
        ]
    asker_card = None
    via_card = None
    if own_response is not None and own_response.state == Response.State.ACCEPTED:
        # Both agreed: the helper by answering, the asker by choosing.
        asker_card = _contact_card(post.author)
        if post.posted_by_id and post.posted_by_id != post.author_id:
            via_card = _contact_card(post.posted_by)
    is_own = user.pk in (post.author_id, post.posted_by_id)
    may_respond = (
        not is_own
        and (own_response is None or own_response.state == Response.State.WITHDRAWN)
        and post.status != Status.HIDDEN
        and (post.is_open or (post.kind == Kind.OFFER and post.is_current))
    )
    return {
        "post": post,
        "viewer": viewer,
        "is_manager": manager,
        "is_contact": is_contact_for(post, viewer),
        "is_own": is_own,
        "from_own_binnenbuurt": post.binnenbuurt_id == viewer.binnenbuurt_id,
        "poster_text": listings.poster_text(post, viewer),
        "responses": responses,
        "waiting": [r for r in responses if r.state == Response.State.OFFERED],
        "shared": shared,
        "own_response": own_response,
        "asker_card": asker_card,
        "via_card": via_card,
        "may_respond": may_respond,
        "respond_form": respond_form or RespondForm(),
        "report_form": report_form or ReportForm(),
        "hide_form": HideForm(),
        "open_reports": (
            list(post.reports.filter(handled_at__isnull=True))
            if is_contact_for(post, viewer)
            else []
        ),
    }


@members_only
def detail(request, viewer, post_id):
    post = post_for(viewer, post_id)
    if post is None:
        return _not_found(request)
    return render(request, "burenhulp/detail.html", _detail_context(request, viewer, post))


def _post_action(view):
    """POST only; loads the post the viewer may see (else 404) and turns refusals into a
    message on the post's page."""

    @require_POST
    @members_only
    def wrapper(request, viewer, post_id, *args, **kwargs):
        post = post_for(viewer, post_id)
        if post is None:
            return _not_found(request)
        try:
            result = view(request, viewer, post, *args, **kwargs)
        except services.ActionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("burenhulp:detail", post_id=post.pk)
        return result or redirect("burenhulp:detail", post_id=post.pk)

    wrapper.__name__ = view.__name__
    return wrapper


@_post_action
def respond(request, viewer, post):
    form = RespondForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, viewer, post, respond_form=form)
        return render(request, "burenhulp/detail.html", context, status=400)
    try:
        services.respond(post, viewer, request.user, form.cleaned_data["message"])
    except services.ActionRefused as refusal:
        # Shown at the top (the form may not be on the page any more); the text stays in it.
        messages.error(request, refusal.message)
        context = _detail_context(request, viewer, post, respond_form=form)
        return render(request, "burenhulp/detail.html", context, status=409)
    messages.success(
        request,
        _("Dank u wel! De vrager krijgt uw reactie en laat weten of het uitkomt.")
        if post.kind == Kind.REQUEST
        else _("Uw reactie is verstuurd. U hoort het als het uitkomt."),
    )
    return None


@_post_action
def withdraw(request, viewer, post):
    services.withdraw(post, request.user)
    messages.success(request, _("Uw reactie is ingetrokken."))


@_post_action
def choose(request, viewer, post, response_id):
    accept = request.POST.get("accept") == "yes"
    services.choose(post, viewer, response_id, accept)
    messages.success(
        request,
        _("Fijn! U ziet nu elkaars gegevens. Neem contact op om het af te spreken.")
        if accept
        else _("Genoteerd: deze reactie is niet nodig."),
    )


@_post_action
def close(request, viewer, post):
    services.close(post, viewer)
    messages.success(request, _("Het bericht is afgesloten. Fijn dat het geregeld is!"))


@_post_action
def extend(request, viewer, post):
    post = services.extend(post, viewer)
    messages.success(
        request,
        _("Het bericht blijft staan tot %(date)s.")
        % {"date": post.expires_at.strftime("%d-%m-%Y")},
    )


@never_cache
@login_required
def report(request, post_id):
    viewer = viewer_for(request.user)
    post = post_for(viewer, post_id)
    if post is None:
        return _private(_not_found(request))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(post, viewer, request.user, form.cleaned_data["reason"])
        except services.ActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("Dank u wel. De contactpersonen van de binnenbuurt kijken ernaar.")
            )
        return redirect("burenhulp:detail", post_id=post.pk)
    return _private(render(request, "burenhulp/report_form.html", {"post": post, "form": form}))


@_post_action
def hide(request, viewer, post):
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.hide(post, viewer, request.user, reason)
    messages.success(request, _("Het bericht is verborgen. Alleen contactpersonen zien het nog."))


@_post_action
def unhide(request, viewer, post):
    services.unhide(post, viewer)
    messages.success(request, _("Het bericht is weer zichtbaar."))


@_post_action
def dismiss_reports(request, viewer, post):
    services.dismiss_reports(post, viewer)
    messages.success(request, _("De meldingen zijn afgehandeld; het bericht blijft staan."))


@members_only
def contact_overview(request, viewer):
    """For contact persons: what needs a phone call, what they posted for others, reports."""
    if not viewer.contact_of:
        return render(request, "burenhulp/not_contact.html", status=403)
    reported = list(
        HelpPost.objects.filter(
            binnenbuurt_id__in=viewer.contact_of, reports__handled_at__isnull=True
        )
        .select_related("author", "binnenbuurt")
        .distinct()
        .order_by("-created_at")
    )
    hidden = list(
        HelpPost.objects.filter(binnenbuurt_id__in=viewer.contact_of, status=Status.HIDDEN)
        .select_related("author", "binnenbuurt")
        .order_by("-hidden_at")[:50]
    )
    on_behalf = [post for post in listings.own_posts(request.user) if post.posted_by_id]
    return render(
        request,
        "burenhulp/contact_overview.html",
        {
            "unanswered": listings.unanswered(viewer.contact_of),
            "on_behalf": on_behalf,
            "reported": reported,
            "hidden": hidden,
        },
    )


@members_only
def preferences(request, viewer):
    preference, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Uw keuze is opgeslagen."))
        return redirect("burenhulp:preferences")
    return render(request, "burenhulp/preferences.html", {"form": form})

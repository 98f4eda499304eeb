"""Contact persons post news and events from their binnenbuurt page, without the admin.

The forms create ordinary Wagtail pages (children of the BinnenbuurtPage), with uploads in the
binnenbuurt's collection, and either publish them or start the moderation workflow when the
stadsdorp asks for approval (https://docs.wagtail.org/en/stable/extending/customising_group_views.html
is not needed: the contact group's page permissions already limit them to their section).

A double submit (two clicks, the back button) creates one post: every form carries a one-time
token, claimed atomically with ``cache.add`` before anything is written.
"""

import re
import uuid
from datetime import datetime

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from events.models import EventPage
from home.text import html_to_text

from .forms import PostForm
from .models import BinnenbuurtNewsPage, NewsAttachment

TOKEN_SECONDS = 6 * 60 * 60
SESSION_KEY = "members_area_post_tokens"


def no_access(request, status=403):
    return render(request, "members_area/no_access.html", status=status)


def text_to_html(text):
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join("<p>{}</p>".format(escape(part).replace("\n", "<br/>")) for part in paragraphs)


def _new_token(request):
    token = uuid.uuid4().hex
    tokens = request.session.get(SESSION_KEY, {})
    tokens[token] = None
    # Keep the session small: only the latest tokens matter.
    request.session[SESSION_KEY] = dict(list(tokens.items())[-20:])
    return token


def _claim_token(request, token):
    """True for the first submission with this token; later ones find the stored result."""
    if not token or token not in request.session.get(SESSION_KEY, {}):
        return False
    return cache.add(f"members_area:post-token:{token}", True, TOKEN_SECONDS)


def _remember_result(request, token, page):
    tokens = request.session.get(SESSION_KEY, {})
    tokens[token] = page.pk
    request.session[SESSION_KEY] = tokens


def _upload_image(binnenbuurt, upload, description, user):
    if not upload:
        return None
    image = get_image_model()(
        title=description or upload.name,
        file=upload,
        collection_id=binnenbuurt.collection_id,
        uploaded_by_user=user,
    )
    image.save()
    return image


def _upload_document(binnenbuurt, upload, user):
    if not upload:
        return None
    document = get_document_model()(
        title=upload.name,
        file=upload,
        collection_id=binnenbuurt.collection_id,
        uploaded_by_user=user,
    )
    document.save()
    return document


def _publish_or_submit(page, user, binnenbuurt):
    revision = page.save_revision(user=user, log_action=True)
    if not binnenbuurt.requires_approval:
        revision.publish(user=user)
        return True
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, user)
    return False


def _own_post(section, user, post_id):
    for model in (BinnenbuurtNewsPage, EventPage):
        post = model.objects.child_of(section).filter(pk=post_id).first()
        if post is not None:
            owner_id = getattr(post, "posted_by_id", None) or post.owner_id
            return post if owner_id == user.pk else None
    return None


def _initial_for(post):
    if isinstance(post, BinnenbuurtNewsPage):
        return {"title": post.title, "text": html_to_text(post.body), "kind": "news"}
    start = timezone.localtime(post.start)
    end = timezone.localtime(post.end)
    return {
        "title": post.title,
        "text": html_to_text(post.description),
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end_time": end.strftime("%H:%M") if end > start else "",
        "kind": "event",
    }


def _build(kind, section, binnenbuurt, data, user, image, document, post=None):
    body = text_to_html(data["text"])
    if kind == "news":
        post = post or BinnenbuurtNewsPage(date=timezone.localdate(), posted_by=user, owner=user)
        post.body = body
        if document is not None:
            post.attachments.add(NewsAttachment(document=document))
    else:
        post = post or EventPage(
            audience=EventPage.Audience.BINNENBUURT,
            audience_group_id=binnenbuurt.members_group_id,
            owner=user,
        )
        if data.get("location"):
            body += "<p>{}: {}</p>".format(escape(_("Waar")), escape(data["location"]))
        if document is not None:
            body += f'<p><a id="{document.pk}" linktype="document">{escape(document.title)}</a></p>'
        post.description = body
        post.start = data["start"]
        # Without an end time the activity shows "vanaf 15:00 uur", not an end nobody gave.
        end_time = data.get("end_time")
        post.end = (
            timezone.make_aware(datetime.combine(timezone.localtime(post.start).date(), end_time))
            if end_time
            else post.start
        )
    post.title = data["title"]
    if image is not None:
        post.image = image
        if kind == "news":
            post.image_description = data.get("photo_description", "")
    return post


def create_post(section, request, kind):
    binnenbuurt = section.binnenbuurt
    if binnenbuurt is None or not binnenbuurt.is_contact_person(request.user):
        return no_access(request)
    if kind not in ("nieuws", "activiteit"):
        return no_access(request, status=404)
    form_kind = "news" if kind == "nieuws" else "event"
    if request.method == "POST":
        token = request.POST.get("form_token", "")
        done_page_id = request.session.get(SESSION_KEY, {}).get(token)
        if done_page_id:
            messages.info(request, _("Dit bericht was al geplaatst."))
            return redirect(section.url)
        form = PostForm(request.POST, request.FILES, kind=form_kind)
        if form.is_valid():
            if not _claim_token(request, token):
                messages.info(request, _("Dit bericht was al geplaatst."))
                return redirect(section.url)
            data = form.cleaned_data
            image = _upload_image(
                binnenbuurt, data.get("photo"), data.get("photo_description"), request.user
            )
            document = _upload_document(binnenbuurt, data.get("attachment"), request.user)
            post = _build(form_kind, section, binnenbuurt, data, request.user, image, document)
            post.live = False
            section.add_child(instance=post)
            published = _publish_or_submit(post, request.user, binnenbuurt)
            _remember_result(request, token, post)
            messages.success(
                request,
                _("Uw bericht staat op de pagina.")
                if published
                else _(
                    "Uw bericht is verstuurd. Het verschijnt zodra een moderator het goedkeurt."
                ),
            )
            return redirect(section.url)
    else:
        form = PostForm(kind=form_kind, initial={"form_token": _new_token(request)})
    return render(
        request,
        "members_area/post_form.html",
        {"page": section, "form": form, "kind": form_kind, "binnenbuurt": binnenbuurt},
    )


def edit_post(section, request, post_id):
    binnenbuurt = section.binnenbuurt
    if binnenbuurt is None or not binnenbuurt.is_contact_person(request.user):
        return no_access(request)
    post = _own_post(section, request.user, post_id)
    if post is None:
        return no_access(request)
    post = post.get_latest_revision_as_object()
    initial = _initial_for(post)
    form_kind = initial.pop("kind")
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES, kind=form_kind)
        form.fields["form_token"].required = False
        if form.is_valid():
            data = form.cleaned_data
            image = _upload_image(
                binnenbuurt, data.get("photo"), data.get("photo_description"), request.user
            )
            document = _upload_document(binnenbuurt, data.get("attachment"), request.user)
            _build(form_kind, section, binnenbuurt, data, request.user, image, document, post)
            published = _publish_or_submit(post, request.user, binnenbuurt)
            messages.success(
                request,
                _("De wijziging staat op de pagina.")
                if published
                else _("De wijziging is verstuurd en verschijnt na goedkeuring."),
            )
            return redirect(section.url)
    else:
        form = PostForm(kind=form_kind, initial={**initial, "form_token": "edit"})
    return render(
        request,
        "members_area/post_form.html",
        {"page": section, "form": form, "kind": form_kind, "post": post, "editing": True},
    )


def delete_post(section, request, post_id):
    binnenbuurt = section.binnenbuurt
    if binnenbuurt is None or not binnenbuurt.is_contact_person(request.user):
        return no_access(request)
    post = _own_post(section, request.user, post_id)
    if post is None:
        return no_access(request)
    if request.method == "POST":
        title = post.title
        post.delete(user=request.user)
        messages.success(request, _("“%(title)s” is verwijderd.") % {"title": title})
        return redirect(section.url)
    return render(request, "members_area/post_delete.html", {"page": section, "post": post})

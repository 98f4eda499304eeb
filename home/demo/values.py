"""How the demo files' values become model values: dates relative to now, Markdown, references.

See ``home/demo/README.md`` for the format as editors and translators see it.
"""

import datetime
import re
from decimal import Decimal

from markdown_it import MarkdownIt

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models

from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import Collection, Locale, Page, Task, TranslatableMixin

MARKDOWN = MarkdownIt("commonmark", {"html": True})
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MOMENT = re.compile(r"^(today|now)\b(.*)$")


class MissingReference(LookupError):
    """A reference to something that does not exist (yet): the loader tries again later."""


def markdown(text):
    """Markdown (or HTML) to the HTML that Wagtail's rich text stores: no newlines between tags."""
    rendered = MARKDOWN.render(str(text)).strip()
    return re.sub(r">\s*\n\s*<", "><", rendered)


def is_moment(value):
    return isinstance(value, str) and MOMENT.match(value.strip()) is not None


def moment(expression, now, zone):
    """``today +18d next wed -2d 18:00`` → a date, or an aware datetime when a time is given.

    Steps, left to right: ``+3d`` / ``-30d`` / ``+2w`` / ``+3min`` move; ``next tue`` goes to
    that weekday on or after the date; ``first fri`` is the first Friday of the month, or of the
    next month when it has passed; ``HH:MM`` sets the local time. ``now`` keeps the current time.
    """
    start, rest = MOMENT.match(expression.strip()).groups()
    local = now.astimezone(zone)
    day = local.date()
    clock = local.time().replace(tzinfo=None) if start == "now" else None
    extra = datetime.timedelta()
    tokens = rest.split()
    while tokens:
        token = tokens.pop(0)
        if match := re.fullmatch(r"([+-]\d+)(d|w|min)", token):
            amount, unit = int(match[1]), match[2]
            if unit == "min":
                extra += datetime.timedelta(minutes=amount)
            else:
                day += datetime.timedelta(days=amount * (7 if unit == "w" else 1))
        elif token == "next":
            weekday = WEEKDAYS.index(tokens.pop(0))
            day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
        elif token == "first":
            weekday = WEEKDAYS.index(tokens.pop(0))
            first = _first_weekday(day.replace(day=1), weekday)
            if first < day:
                following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
                first = _first_weekday(following, weekday)
            day = first
        elif re.fullmatch(r"\d{1,2}:\d{2}", token):
            hour, minute = token.split(":")
            clock = datetime.time(int(hour), int(minute))
        else:
            raise ValueError(f"unknown step {token!r} in the moment {expression!r}")
    if clock is None:
        return day
    return datetime.datetime.combine(day, clock).replace(tzinfo=zone) + extra


def _first_weekday(first_of_month, weekday):
    return first_of_month + datetime.timedelta(days=(weekday - first_of_month.weekday()) % 7)


def page_path(value):
    """``netwerk-stadsdorpen/agenda`` → ``/netwerk-stadsdorpen/agenda/`` (a page's url_path)."""
    parts = [part for part in str(value or "").split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts)


def reference(model, value):
    """The object a demo file names: a page by its path, a user by name, a theme by slug..."""
    if value is None or value == "":
        return None
    if isinstance(model, str):  # DocumentChooserBlock names its model by label
        model = apps.get_model(model)
    if isinstance(value, dict):
        return _get(model, **value)
    value = str(value)
    if issubclass(model, Page):
        page = Page.objects.filter(url_path=page_path(value)).first()
        if page is None:
            raise MissingReference(value)
        return page.specific
    if issubclass(model, BaseGenericSetting):
        return model.load()
    if issubclass(model, get_user_model()):
        return _get(model, username=value)
    if model is Group:
        return _get(model, name=value)
    if model is Permission:
        app_label, codename = value.split(".")
        return _get(model, content_type__app_label=app_label, codename=codename)
    if model is Collection:
        return collection(value)
    if model is Locale:
        return _get(model, language_code=value)
    if issubclass(model, AbstractImage | AbstractDocument):
        return _get(model, title=value)
    if issubclass(model, Task):
        return _get(model, name=value)
    if issubclass(model, TranslatableMixin):
        slug, _at, language = value.partition("@")
        return _get(model, slug=slug, locale__language_code=language or "nl")
    for name in ("slug", "name", "email", "username", "title"):
        if any(field.name == name for field in model._meta.fields):
            return _get(model, **{name: value})
    raise ValueError(f"{model._meta.label} cannot be named in a demo file")


def _get(model, **lookup):
    found = model._default_manager.filter(**lookup).first()
    if found is None:
        raise MissingReference(f"{model._meta.label} {lookup}")
    return found


def collection(path, create=False):
    """``Kennisbank`` or ``Binnenbuurten/Zonnehof``: a collection below the root collection."""
    node = Collection.get_first_root_node()
    for name in [part for part in str(path).split("/") if part and part != "Root"]:
        child = node.get_children().filter(name=name).first()
        if child is None:
            if not create:
                raise MissingReference(f"collection {path}")
            child = node.add_child(name=name)
        node = child
    return node


def field_value(field, value, now, zone):
    """A plain (not relational, not StreamField) field's value from a demo file."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField | models.DateField) and is_moment(value):
        return moment(value, now, zone)
    if isinstance(field, models.DecimalField):
        return Decimal(str(value))
    return value

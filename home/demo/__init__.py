"""The demo site, loaded from data files: ``<app>/demo/*.yaml`` of every app, in stack order.

One loader for all apps (``load_all``, run by ``manage.py load_demo``). Each file is a list of
steps — locales, images, documents, embeds, objects, pages, accounts, messages — that name
what they create and refer to other things by path, name or slug; ``README.md`` next to this file
describes the format. Idempotent: every object is found by its key first; a second run changes
only what differs from the files (so an editor's change to a demo page is undone by the next run,
as it was before), and saves or publishes nothing when nothing differs.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import get_all_child_relations

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.module_loading import import_string

from taggit.managers import TaggableManager
from wagtail import blocks
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.snippets.blocks import SnippetChooserBlock

from .values import (
    MissingReference,
    collection,
    field_value,
    markdown,
    page_path,
    reference,
)

# The apps in the order of the stack: a lower layer's content exists before a higher one's.
DEMO_APPS = ["home", "kennisbank", "events", "members_area", "subscriptions", "burenhulp"]
DEMO_LANGUAGE = "nl"
PAGE_KEYS = {"model", "slug", "children", "translations", "initial", "login_required", "path"}


@dataclass
class DemoAccount:
    role: str
    username: str
    password: str
    note: str = ""


@dataclass
class DemoContext:
    stdout: object
    now: object
    zone: object
    folder: Path = None
    accounts: list[DemoAccount] = field(default_factory=list)
    results: dict = field(default_factory=dict)
    # Pages whose fields named pages that did not exist yet: set again at the end of the step.
    pending: list = field(default_factory=list)
    missing: bool = False

    def log(self, message):
        self.stdout.write(message)


def demo_files():
    """Every app's demo files, app by app in stack order, numbered files in their order."""
    for label in DEMO_APPS:
        folder = Path(apps.get_app_config(label).path) / "demo"
        yield from sorted(folder.glob("*.yaml"))


def load_all(stdout, now=None):
    context = DemoContext(
        stdout=stdout, now=now or timezone.now(), zone=timezone.get_current_timezone()
    )
    for path in demo_files():
        context.folder = path.parent
        for step in yaml.safe_load(path.read_text()) or []:
            run_step(context, step)
    return context


def run_step(context, step):
    """A step is one mapping: its kind (``pages``, ``objects``...) and the kind's options."""
    (kind,) = [name for name in step if name in STEPS]
    options = {name: value for name, value in step.items() if name != kind}
    STEPS[kind](context, step[kind], **options)


# --- steps -----------------------------------------------------------------------------------


def step_locales(context, languages):
    for language in languages:
        Locale.objects.get_or_create(language_code=language)


def step_objects(context, specs, model=None, key=None, create_only=False):
    """Rows of one model, each found by its ``key`` fields and updated to the file's values."""
    model = apps.get_model(model)
    for spec in specs:
        upsert(context, model, dict(spec), key, create_only)


def step_settings(context, spec, model, unless=None):
    model = apps.get_model(model)
    instance = model.load()
    if unless and getattr(instance, unless):
        return
    if assign(context, instance, spec):
        instance.save()


def step_images(context, specs):
    Image = get_image_model()
    for spec in specs:
        target = collection(spec.get("collection", ""), create=True)
        if Image.objects.filter(title=spec["title"], collection=target).exists():
            continue
        image = Image(title=spec["title"], collection=target)
        path = context.folder / spec["file"]
        image.file = ImageFile(path.open("rb"), name=path.name)
        image.save()


def step_documents(context, specs):
    Document = get_document_model()
    for spec in specs:
        target = collection(spec.get("collection", ""), create=True)
        if Document.objects.filter(title=spec["title"], collection=target).exists():
            continue
        if "text" in spec:
            content, name = spec["text"].encode(), spec["filename"]
        else:
            path = context.folder / spec["file"]
            content, name = path.read_bytes(), path.name
        document = Document(title=spec["title"], collection=target)
        document.file = ContentFile(content, name=name)
        document.save()


def step_embeds(context, specs):
    """Embeds stored up front, so that no page render needs the internet."""
    for spec in specs:
        spec = dict(spec)
        url, max_width = spec.pop("url"), spec.pop("max_width", None)
        Embed.objects.update_or_create(
            hash=get_embed_hash(url, max_width),
            defaults={"url": url, "max_width": max_width, **spec},
        )


def step_pages(context, specs):
    context.pending = []
    for spec in specs:
        spec = dict(spec)
        if "path" in spec and "model" not in spec:
            update_page(context, reference(Page, spec.pop("path")), spec)
        else:
            parent = Page.objects.get(url_path=page_path(spec.pop("parent", "")))
            upsert_page(context, parent, spec)
    pending, context.pending = context.pending, []
    for page, fields in pending:
        update_page(context, type(page).objects.get(pk=page.pk), fields, strict=True)


def step_site(context, spec):
    """The default site shows the demo home page; Wagtail's welcome page goes."""
    root = reference(Page, spec.pop("root_page"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(root_page=root, is_default_site=True, **spec)
    elif site.root_page_id != root.pk:
        site.root_page = root
        site.site_name = spec["site_name"]
        site.save()
    for welcome in Page.objects.filter(depth=2, content_type__model="page"):
        if not Site.objects.filter(root_page=welcome).exists():
            welcome.delete()


def step_accounts(context, specs):
    User = get_user_model()
    for spec in specs:
        spec = dict(spec)
        password, groups = spec.pop("password"), spec.pop("groups", [])
        role, note = spec.pop("role", None), spec.pop("note", "")
        user, _created = User.objects.get_or_create(username=spec.pop("username"))
        changed = assign(context, user, spec)
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if changed:
            user.save()
        for name in groups:
            user.groups.add(reference(user.groups.model, name))
        if role:
            context.accounts.append(DemoAccount(role, user.get_username(), password, note))


def step_run(context, dotted_path):
    """A service that the demo content needs run (e.g. subscribing every member)."""
    context.results[dotted_path.rsplit(".", 1)[-1]] = import_string(dotted_path)()


def step_message(context, template):
    """A line for the console; ``{count:app.Model}``, ``{count:app.Model@nl}``,
    ``{children:path}``, ``{url:path}`` and the results of ``run`` steps are filled in."""

    def fill(match):
        kind, _colon, argument = match[1].partition(":")
        if kind == "count":
            label, _at, language = argument.partition("@")
            queryset = apps.get_model(label)._default_manager.all()
            if language:
                queryset = queryset.filter(locale__language_code=language)
            return str(queryset.count())
        if kind == "children":
            return str(reference(Page, argument).get_children().count())
        if kind == "url":
            return reference(Page, argument).url
        return str(context.results[kind])

    context.log(re.sub(r"\{([^}]+)\}", fill, template))


STEPS = {
    "locales": step_locales,
    "objects": step_objects,
    "settings": step_settings,
    "images": step_images,
    "documents": step_documents,
    "embeds": step_embeds,
    "pages": step_pages,
    "site": step_site,
    "accounts": step_accounts,
    "run": step_run,
    "message": step_message,
}


# --- objects ---------------------------------------------------------------------------------


def upsert(context, model, spec, key, create_only):
    translations = spec.pop("translations", {})
    key = key or (["slug", "locale"] if hasattr(model, "locale") else ["name"])
    if "locale" in key and "locale" not in spec:
        spec["locale"] = DEMO_LANGUAGE
    lookup = {}
    for name in key:
        django_field = model._meta.get_field(name)
        value = spec.get(name, None if django_field.is_relation else django_field.get_default())
        lookup[name] = (
            reference(django_field.related_model, value) if django_field.is_relation else value
        )
    instance = model._default_manager.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup)
    elif create_only:
        return instance
    context.missing = False
    if assign(context, instance, spec) or created:
        if context.missing:
            raise MissingReference(f"{model._meta.label} {lookup}: a page it names is missing")
        instance.save()
        save_relations(instance)
    for language, fields in translations.items():
        locale = Locale.objects.get(language_code=language)
        translation = instance.get_translation_or_none(locale)
        if translation is None:
            translation = model(locale=locale, translation_key=instance.translation_key)
            assign(context, translation, fields)
            translation.save()
            save_relations(translation)
        elif assign(context, translation, fields):
            translation.save()
    return instance


def assign(context, instance, spec):
    """Sets the file's values on ``instance``; True when any of them differed."""
    changed = False
    for name, value in spec.items():
        new = convert(context, instance, name, value)
        if comparable(instance, name) != comparable(instance, name, new):
            set_value(instance, name, new)
            changed = True
    return changed


def resolve(context, model, value):
    """``reference``, but a page that does not exist yet is None for now (``context.missing``)."""
    try:
        return reference(model, value)
    except MissingReference:
        if not issubclass(model, Page):
            raise
        context.missing = True
        return None


def convert(context, instance, name, value):
    model = type(instance)
    relation = child_relation(model, name)
    if relation is not None:
        child_model = relation.related_model
        rows, missing = [], context.missing
        for row in value or []:
            context.missing = False
            values = converted(context, child_model, dict(row))
            if not context.missing:  # a row naming a page that is not there yet comes later
                rows.append(child_model(**values))
            missing = missing or context.missing
        context.missing = missing
        return rows
    django_field = model._meta.get_field(name)
    if isinstance(django_field, TaggableManager):
        return list(value or [])
    if django_field.many_to_many:
        found = [resolve(context, django_field.related_model, item) for item in value or []]
        return [item for item in found if item is not None]
    if django_field.is_relation:
        return resolve(context, django_field.related_model, value)
    if isinstance(django_field, StreamField):
        return stream_data(context, django_field.stream_block, value or [])
    if isinstance(django_field, RichTextField):
        return markdown(value) if value else ""
    return field_value(django_field, value, context.now, context.zone)


def converted(context, model, row):
    instance = model()
    return {name: convert(context, instance, name, value) for name, value in row.items()}


def child_relation(model, name):
    for relation in get_all_child_relations(model):
        if relation.get_accessor_name() == name:
            return relation
    return None


def set_value(instance, name, value):
    django_field = None
    if child_relation(type(instance), name) is None:
        django_field = type(instance)._meta.get_field(name)
    if django_field is not None and isinstance(django_field, TaggableManager):
        getattr(instance, name).set(value)
    elif django_field is not None and django_field.many_to_many:
        if instance.pk is None and not isinstance(django_field, ParentalManyToManyField):
            instance._demo_m2m = {**getattr(instance, "_demo_m2m", {}), name: value}
        else:
            getattr(instance, name).set(value)
    else:
        setattr(instance, name, value)


def save_relations(instance):
    for name, value in getattr(instance, "_demo_m2m", {}).items():
        getattr(instance, name).set(value)
    instance._demo_m2m = {}


def comparable(instance, name, *new):
    """The value (current, or ``new``) in a form that compares equal when nothing changes."""
    model = type(instance)
    relation = child_relation(model, name)
    if relation is not None:
        rows = new[0] if new else getattr(instance, name).all()
        return [row_values(row) for row in rows]
    django_field = model._meta.get_field(name)
    if isinstance(django_field, TaggableManager):
        if new:
            return sorted(new[0])
        return sorted(tag.name for tag in getattr(instance, name).all()) if instance.pk else []
    if django_field.many_to_many:
        if new:
            return sorted(item.pk for item in new[0])
        if instance.pk is None and not isinstance(django_field, ParentalManyToManyField):
            return []
        return sorted(item.pk for item in getattr(instance, name).all())
    if django_field.is_relation:
        value = new[0] if new else getattr(instance, name, None)
        return value.pk if value is not None else None
    value = new[0] if new else getattr(instance, django_field.attname)
    if isinstance(django_field, StreamField):
        value = django_field.get_prep_value(django_field.to_python(value))
        return without_ids(json.loads(value) if isinstance(value, str) else value)
    return django_field.get_prep_value(django_field.to_python(value))


def row_values(row):
    """A child row's own values (not its id, parent or position), datetimes in UTC."""
    values = {}
    for django_field in row._meta.concrete_fields:
        if django_field.primary_key or isinstance(django_field, ParentalKey):
            continue
        if django_field.name == "sort_order":
            continue
        value = django_field.value_from_object(row)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC)
        values[django_field.name] = value
    return values


def without_ids(value):
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    return value


# --- StreamField -----------------------------------------------------------------------------


def stream_data(context, block, value):
    """A StreamField's raw data from the file: blocks as ``{type: value}``, chosen objects by
    name, rich text as Markdown."""
    if isinstance(block, blocks.StreamBlock):
        data = []
        for item in value:
            ((kind, item_value),) = item.items()
            data.append(
                {"type": kind, "value": stream_data(context, block.child_blocks[kind], item_value)}
            )
        return data
    if isinstance(block, blocks.ListBlock):
        return [stream_data(context, block.child_block, item) for item in value or []]
    if isinstance(block, blocks.StructBlock):
        value = value or {}
        return {
            name: stream_data(context, child, value[name]) if name in value else default(child)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.RichTextBlock):
        return markdown(value) if value else ""
    if isinstance(block, blocks.ChooserBlock | SnippetChooserBlock):
        chosen = resolve(context, block.target_model, value)
        return chosen.pk if chosen is not None else None
    return value


def default(block):
    """A block's value when the file leaves it out: its default, or "" for a text (as the
    admin stores an empty text field)."""
    value = block.get_prep_value(block.get_default())
    if value is None and isinstance(getattr(block, "field", None), forms.CharField):
        return ""
    return value


# --- pages -----------------------------------------------------------------------------------


def upsert_page(context, parent, spec):
    model = apps.get_model(spec.pop("model"))
    children = spec.pop("children", [])
    translations = spec.pop("translations", {})
    initial = spec.pop("initial", {})
    login_required = spec.pop("login_required", False)
    page = model.objects.child_of(parent).filter(slug=spec["slug"]).first()
    if page is None:
        page = model(locale=parent.locale, live=not login_required)
        fields = {**initial, **spec}
        deferred = set_page_fields(context, page, fields)
        parent.add_child(instance=page)
        save_relations(page)
        if login_required:
            ensure_login(page)
        page.save_revision().publish()
        if deferred:
            context.pending.append((page, fields))
    else:
        update_page(context, page, spec)
        if login_required:
            ensure_login(page)
    for language, fields in translations.items():
        translate_page(context, page, language, dict(fields), login_required)
    for child in children:
        upsert_page(context, page, dict(child))
    return page


def set_page_fields(context, page, fields):
    """Sets what can be set now; True when a page named in ``fields`` does not exist yet."""
    deferred = False
    for name, value in fields.items():
        context.missing = False
        new = convert(context, page, name, value)
        deferred = deferred or context.missing
        if page.pk is None or comparable(page, name) != comparable(page, name, new):
            set_value(page, name, new)
            page._demo_changed = True
    return deferred


def update_page(context, page, fields, strict=False):
    page._demo_changed = False
    deferred = set_page_fields(context, page, fields)
    if deferred and strict:
        raise MissingReference(f"{page.url_path}: a page it names does not exist")
    if deferred:
        context.pending.append((page, fields))
    if page._demo_changed:
        owner = getattr(page, "owner", None)
        page.save_revision(user=owner).publish()


def translate_page(context, page, language, fields, login_required):
    locale = Locale.objects.get(language_code=language)
    initial = fields.pop("initial", {})
    translation = page.get_translation_or_none(locale)
    if translation is not None and translation.alias_of_id:
        translation.delete()  # an alias from the locale synchronisation: make a real one
        translation = None
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True).specific
        fields = {**initial, **fields}
        deferred = set_page_fields(context, translation, fields)
        if deferred:
            context.pending.append((translation, fields))
        if login_required:
            ensure_login(translation)
        translation.save_revision().publish()
    else:
        update_page(context, translation.specific, fields)
        if login_required:
            ensure_login(translation)


def ensure_login(page):
    """A page that must never be public (the member home): a login restriction."""
    if not PageViewRestriction.objects.filter(page=page).exists():
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

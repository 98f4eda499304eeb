"""Every concrete model of every app of ours has a factory in ``<app>/factories.py``, and each
factory builds a row that is saved (tests and benchmarks make their data with them).

A page type that only serves as the shared table of other page types (``is_creatable = False``
and subclassed, like the kennisbank's item page) is made through those types' factories.
"""

import importlib
import importlib.util
import inspect

import pytest
from factory.django import DjangoModelFactory

from django.apps import apps

from wagtail.models import Page

# The project's own apps (nested ones too), as pyproject.toml's import contract names them.
PROJECT_PACKAGES = {"cms", "home", "kennisbank", "events", "members_area"}
OUR_APPS = [
    config.label
    for config in apps.get_app_configs()
    if config.name.split(".")[0] in PROJECT_PACKAGES
]


def test_every_app_of_ours_is_covered():
    assert {"accounts", "home", "kennisbank", "events", "members_area", "burenhulp"} <= set(
        OUR_APPS
    )


def factories_module(app_config):
    name = f"{app_config.name}.factories"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


def factories_by_model(app_config):
    module = factories_module(app_config)
    found = {}
    for _name, member in inspect.getmembers(module, inspect.isclass) if module else []:
        if issubclass(member, DjangoModelFactory) and member.__module__ == module.__name__:
            model = member._meta.model
            if model is not None and model._meta.app_label == app_config.label:
                found.setdefault(model, member)
    return found


def is_shared_base(model):
    subclassed = any(other is not model and issubclass(other, model) for other in apps.get_models())
    return issubclass(model, Page) and not model.is_creatable and subclassed


def concrete_models():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.proxy and not is_shared_base(model):
                yield model


@pytest.mark.parametrize("model", list(concrete_models()), ids=lambda model: model._meta.label)
@pytest.mark.django_db
def test_model_has_a_factory_that_builds_it(model):
    app_config = apps.get_app_config(model._meta.app_label)
    factory_class = factories_by_model(app_config).get(model)
    assert factory_class is not None, (
        f"{model._meta.label} has no factory in {app_config.name}/factories.py"
    )
    kwargs = {}
    if issubclass(model, Page):
        kwargs["parent"] = Page.get_first_root_node()
    instance = factory_class(**kwargs)
    assert isinstance(instance, model)
    assert model._default_manager.filter(pk=instance.pk).exists()

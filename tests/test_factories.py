"""Every page model of the home app has a factory in home.factories (tests and benchmarks use them).

Other apps keep their own factories; this meta-test covers the home app's page models only.
"""

import inspect

from django.apps import apps

from wagtail.models import Page

import home.factories


def home_page_models():
    return [
        model
        for model in apps.get_app_config("home").get_models()
        if issubclass(model, Page) and not model._meta.abstract
    ]


def test_every_home_page_model_has_a_factory():
    factories = [
        member
        for _name, member in inspect.getmembers(home.factories, inspect.isclass)
        if hasattr(member, "_meta") and getattr(member._meta, "model", None) is not None
    ]
    covered = {factory._meta.model for factory in factories}
    missing = [model.__name__ for model in home_page_models() if model not in covered]
    assert home_page_models(), "the home app should define page models"
    assert not missing, f"page models without a factory in home/factories.py: {missing}"

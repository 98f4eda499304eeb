"""Factories for the accounts app's tables (tests and benchmarks)."""

from datetime import timedelta

import factory
from factory.django import DjangoModelFactory

from django.utils import timezone

from .models import RequestCounter


class RequestCounterFactory(DjangoModelFactory):
    key = factory.Sequence(lambda n: f"code:{n}")
    count = 1
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))

    class Meta:
        model = RequestCounter

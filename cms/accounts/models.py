"""Counters for requests that send e-mail (login codes, password resets, newsletter sign-ups).

Kept in the database, not the cache: they must keep counting when Redis is away, and all app
servers must see the same counts. These endpoints are rare, so a row write per request is cheap.
"""

from django.db import models


class RequestCounter(models.Model):
    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "request counter"

    def __str__(self):
        return f"{self.key}: {self.count}"

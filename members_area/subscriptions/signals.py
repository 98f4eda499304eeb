"""Members are subscribed to the newsletter by default (they can opt out at any time)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from members_area.models import Member

from .services import sync_member_user


@receiver(post_save, sender=Member)
def subscribe_new_member(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    sync_member_user(instance.user)

"""Keep groups, sections and permissions in step with binnenbuurten and member profiles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Binnenbuurt, BinnenbuurtPage, Member, StadsdorpMemberSettings
from .services import restrict_section_copy, setup_binnenbuurt, sync_member_groups


@receiver(post_save, sender=Binnenbuurt)
def binnenbuurt_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        setup_binnenbuurt(instance)


@receiver(post_save, sender=StadsdorpMemberSettings)
def member_settings_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for binnenbuurt in Binnenbuurt.objects.filter(stadsdorp_id=instance.stadsdorp_id):
        setup_binnenbuurt(binnenbuurt)


@receiver(post_save, sender=Member)
def member_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        sync_member_groups(instance)


@receiver(post_delete, sender=Member)
def member_deleted(sender, instance, **kwargs):
    # When the user itself is being deleted its group links go with it.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        user.groups.remove(*Group.objects.filter(binnenbuurt_as_members__isnull=False))


@receiver(post_save, sender=BinnenbuurtPage)
def binnenbuurt_page_created(sender, instance, created=False, raw=False, **kwargs):
    """Translations and aliases of a section must be as private as the section itself."""
    if created and not raw:
        restrict_section_copy(instance)

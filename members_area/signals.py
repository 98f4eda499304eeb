"""The one receiver left: copies of a binnenbuurt section that Wagtail itself makes.

Translations (``copy_for_translation``) and the aliases that wagtail-localize's locale
synchronisation creates for a new page's ancestors are saved by Wagtail and wagtail-localize, not
by any code of ours that could call a service, and an alias does not copy a restriction when its
parent has one. Everything else (binnenbuurten, member settings, members) calls ``services.py``
from where it is changed.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import BinnenbuurtPage
from .services import restrict_section_copy


@receiver(post_save, sender=BinnenbuurtPage)
def binnenbuurt_page_created(sender, instance, created=False, raw=False, **kwargs):
    """Translations and aliases of a section must be as private as the section itself."""
    if created and not raw:
        restrict_section_copy(instance)

"""Background upkeep of the member area, enqueued by the scheduler (``cms/scheduler.py``)."""

from django.db.models import Q
from django.utils import timezone

from cms.tasks import retrying_task

from .models import LoginCode


@retrying_task(max_attempts=3, base_delay=60)
def delete_expired_login_codes():
    """E-mailed login codes are valid 15 minutes and once; nothing needs them afterwards."""
    deleted, _ = LoginCode.objects.filter(
        Q(expires_at__lte=timezone.now()) | Q(used_at__isnull=False)
    ).delete()
    return deleted

"""The admin's report "Mislukte taken": background tasks that failed, and whether a retry follows.

Only for administrators (a traceback may show more than an editor should see). A failed attempt
of a ``cms.tasks.retrying_task`` is followed by the next attempt unless it was the last; this
report shows the newest failures, the attempt number and whether another attempt is planned.
Registered in ``home/wagtail_hooks.py``.
"""

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from cms.tasks import ATTEMPT_KWARG

SHOWN = 100


def attempt_of(result):
    return int((result.args_kwargs or {}).get("kwargs", {}).get(ATTEMPT_KWARG, 1))


def failed_rows():
    failures = list(
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")[:SHOWN]
    )
    paths = {result.task_path for result in failures}
    later = DBTaskResult.objects.filter(task_path__in=paths).values_list("task_path", "args_kwargs")
    followers = {
        (path, repr(value.get("args", [])), int(value.get("kwargs", {}).get(ATTEMPT_KWARG, 1)))
        for path, value in later
    }
    rows = []
    for result in failures:
        attempt = attempt_of(result)
        args = repr(result.args_kwargs.get("args", []))
        rows.append(
            {
                "name": result.task_path.rsplit(".", 1)[-1],
                "path": result.task_path,
                "arguments": ", ".join(str(a) for a in result.args_kwargs.get("args", [])),
                "finished_at": result.finished_at,
                "attempt": attempt,
                "retried": (result.task_path, args, attempt + 1) in followers,
                "error": result.exception_class_path.rsplit(".", 1)[-1],
                "traceback": result.traceback,
            }
        )
    return rows


def failed_tasks(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    return TemplateResponse(
        request,
        "home/admin/failed_tasks.html",
        {"rows": failed_rows(), "page_title": _("Mislukte taken")},
    )

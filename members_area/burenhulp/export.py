"""What burenhulp keeps about a member, for their data export (AVG/GDPR art. 15).

Deleting the account deletes all of it too: posts, answers, reports and the e-mail choice hang on
the user with ``on_delete=CASCADE``; posts a contact person placed for someone else stay with
that person and lose only the name of who typed them in (``SET_NULL``).
"""

from django.db.models import Q

from .models import HelpPost, NotificationPreference, Report, Response


def _date(value):
    return value.isoformat() if value else None


def member_data(user):
    posts = HelpPost.objects.filter(Q(author=user) | Q(posted_by=user)).order_by("created_at")
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "posts": [
            {
                "kind": post.kind,
                "title": post.title,
                "description": post.description,
                "category": post.category,
                "timing": post.timing,
                "date_from": _date(post.date_from),
                "date_until": _date(post.date_until),
                "reach": post.reach,
                "status": post.status,
                "created_at": _date(post.created_at),
                "expires_at": _date(post.expires_at),
                "posted_for_someone_else": post.author_id != user.pk,
                "posted_by_contact_person": bool(post.posted_by_id)
                and post.posted_by_id != user.pk,
            }
            for post in posts
        ],
        "responses": [
            {
                "post_title": response.post.title,
                "message": response.message,
                "state": response.state,
                "created_at": _date(response.created_at),
            }
            for response in Response.objects.filter(helper=user).select_related("post")
        ],
        "reports": [
            {
                "post_title": report.post.title,
                "reason": report.reason,
                "created_at": _date(report.created_at),
            }
            for report in Report.objects.filter(reporter=user).select_related("post")
        ],
        "email_choice": preference.mode if preference else NotificationPreference.Mode.OFF,
    }

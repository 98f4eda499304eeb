"""Lists of help posts for the burenhulp pages, the member home and the newsletter.

Each list is one sliced query with its author and binnenbuurt joined (plus one count), so the
number of queries does not grow with the number of posts (``tests/bench/bench_burenhulp.py``).

The member home and the newsletter are shared between everyone of one binnenbuurt (and, on the
member home, whether they are its contact person); their lists are therefore built from the
binnenbuurt alone (``viewer_of_binnenbuurt``), never from the person looking.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import UNANSWERED_AFTER, HelpPost, Kind, Reach, Response, Status, Timing
from .permissions import Viewer, listed_posts

HOME_LIMIT = 8
# The board shows this many requests and offers at a time: with 240 posts one long page took
# over a second to build and far longer to read.
BOARD_PAGE_SIZE = 20


def viewer_of_binnenbuurt(binnenbuurt_id, stadsdorp_id, is_contact=False):
    """What every member of this binnenbuurt sees in common (no personal posts or answers)."""
    if binnenbuurt_id is None:
        return Viewer()
    return Viewer(
        user_id=None,
        binnenbuurt_id=binnenbuurt_id,
        stadsdorp_id=stadsdorp_id,
        contact_of=frozenset({binnenbuurt_id}) if is_contact else frozenset(),
    )


def _joined(queryset):
    return queryset.select_related("author", "binnenbuurt", "posted_by")


# What a row of the board and of the member home shows (templates/burenhulp/includes/
# post_list.html, ``label_poster``): reading only these columns and joins made those lists a fifth
# cheaper to build. A row that needs another field would cost a query per row, which the tests that
# count queries at two sizes catch.
LIST_FIELDS = (
    "kind",
    "status",
    "title",
    "category",
    "timing",
    "date_from",
    "date_until",
    "reach",
    "binnenbuurt_id",
    "author_id",
    "author__first_name",
    "binnenbuurt__name",
)


def _list_rows(queryset):
    return queryset.select_related("author", "binnenbuurt").only(*LIST_FIELDS)


def poster_text(post, viewer):
    """Who asks or offers, as a list or a post's page shows it: the first name only to the own
    binnenbuurt and its contact persons, everyone else sees only the place."""
    if post.binnenbuurt_id == viewer.binnenbuurt_id or post.binnenbuurt_id in viewer.contact_of:
        name = post.author.first_name or _("een buur")
        return _("%(name)s, uit uw binnenbuurt") % {"name": name}
    return _("Een buur uit %(place)s") % {"place": post.binnenbuurt.name}


def label_poster(posts, viewer):
    """What a list shows of each post besides its title, worked out here rather than in two
    included templates per row (which cost more than the post's query on the member home)."""
    for post in posts:
        post.from_own_binnenbuurt = post.binnenbuurt_id == viewer.binnenbuurt_id
        post.poster_text = poster_text(post, viewer)
        post.when_text = when_text(post)
    return posts


@dataclass
class Board:
    requests: list
    offers: list
    request_count: int
    offer_count: int
    request_page: int = 1
    offer_page: int = 1
    page_size: int | None = None

    @property
    def request_pages(self):
        return _pages(self.request_count, self.page_size)

    @property
    def offer_pages(self):
        return _pages(self.offer_count, self.page_size)


def _pages(count, size):
    return max(1, -(-count // size)) if size else 1


def page_number(value, count, size):
    """A page number from the address, kept between 1 and the last page (bad input: page 1)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), _pages(count, size))


def board(viewer, limit=None, requests_page=None, offers_page=None, page_size=BOARD_PAGE_SIZE):
    """Open requests (the own binnenbuurt first) and current offers the viewer may see.

    With ``limit`` the first that many of each (the member home); otherwise one page of each.
    """
    base = listed_posts(viewer)
    requests = _list_rows(base.filter(kind=Kind.REQUEST, status=Status.OPEN))
    offers = _list_rows(base.filter(kind=Kind.OFFER))
    own_first = (
        Q(binnenbuurt_id=viewer.binnenbuurt_id)
        if viewer.binnenbuurt_id is not None
        else Q(pk__in=[])
    )
    # The own binnenbuurt first, then the soonest date (flexible ones last), then the newest.
    requests = requests.alias(
        elsewhere=Case(
            When(own_first, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("elsewhere", F("date_from").asc(nulls_last=True), "-created_at", "-pk")
    offers = offers.order_by("-created_at", "-pk")
    counts = base.aggregate(
        requests=Count("pk", filter=Q(kind=Kind.REQUEST, status=Status.OPEN)),
        offers=Count("pk", filter=Q(kind=Kind.OFFER)),
    )
    if limit is not None:
        return Board(
            requests=label_poster(list(requests[:limit]), viewer),
            offers=label_poster(list(offers[:limit]), viewer),
            request_count=counts["requests"],
            offer_count=counts["offers"],
        )
    request_page = page_number(requests_page, counts["requests"], page_size)
    offer_page = page_number(offers_page, counts["offers"], page_size)
    return Board(
        requests=label_poster(list(_slice(requests, request_page, page_size)), viewer),
        offers=label_poster(list(_slice(offers, offer_page, page_size)), viewer),
        request_count=counts["requests"],
        offer_count=counts["offers"],
        request_page=request_page,
        offer_page=offer_page,
        page_size=page_size,
    )


def _slice(queryset, number, size):
    start = (number - 1) * size
    return queryset[start : start + size]


def unanswered(binnenbuurt_ids, now=None):
    """Open requests of these binnenbuurten that nobody answered for 48 hours: for the contact
    persons, who then phone around ("signaleringsfunctie")."""
    now = now or timezone.now()
    return list(
        _joined(
            HelpPost.objects.current(now).filter(
                kind=Kind.REQUEST,
                status=Status.OPEN,
                binnenbuurt_id__in=binnenbuurt_ids,
                created_at__lte=now - UNANSWERED_AFTER,
            )
        )
        .alias(
            answers=Count(
                "responses",
                filter=Q(responses__state__in=[Response.State.OFFERED, Response.State.ACCEPTED]),
            )
        )
        .filter(answers=0)
        .order_by("created_at")
    )


def unanswered_count(binnenbuurt_id, now=None):
    return len(unanswered([binnenbuurt_id], now)) if binnenbuurt_id else 0


def own_posts(user):
    """Everything the member posted or had posted for them, with the number of answers."""
    return list(
        _joined(HelpPost.objects.filter(Q(author=user) | Q(posted_by=user)))
        .annotate(
            waiting=Count("responses", filter=Q(responses__state=Response.State.OFFERED)),
        )
        .order_by("-created_at")[:50]
    )


def own_responses(user):
    return list(
        Response.objects.filter(helper=user)
        .select_related("post__binnenbuurt")
        .exclude(post__status=Status.HIDDEN)
        .order_by("-created_at")[:50]
    )


def newsletter_posts(binnenbuurt, limit=5):
    """Open requests and current offers for a newsletter reader of this binnenbuurt."""
    if binnenbuurt is None:
        return []
    viewer = viewer_of_binnenbuurt(binnenbuurt.pk, binnenbuurt.stadsdorp_id)
    posts = (
        listed_posts(viewer)
        .filter(Q(kind=Kind.OFFER) | Q(status=Status.OPEN))
        .filter(Q(binnenbuurt_id=binnenbuurt.pk) | Q(reach=Reach.STADSDORP))
    )
    return label_poster(list(_joined(posts).order_by("kind", "-created_at")[:limit]), viewer)


def when_text(post):
    if post.timing == Timing.DATE and post.date_from:
        return formats.date_format(post.date_from, "l j F Y")
    if post.timing == Timing.PERIOD and post.date_from and post.date_until:
        return _("van %(start)s tot en met %(end)s") % {
            "start": formats.date_format(post.date_from, "j F"),
            "end": formats.date_format(post.date_until, "j F Y"),
        }
    return _("flexibel")


def describe(post):
    """One line for a newsletter: kind, category, when, and from where when not the own."""
    parts = [
        _("Hulpvraag") if post.kind == Kind.REQUEST else _("Aanbod"),
        post.get_category_display(),
        when_text(post),
    ]
    if not post.from_own_binnenbuurt:
        parts.append(post.binnenbuurt.name)
    return " · ".join(str(part) for part in parts)

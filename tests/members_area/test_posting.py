"""Contact persons post, edit and remove news and events from the binnenbuurt page."""

import io
from datetime import timedelta
from unittest import mock

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wagtail.models import WorkflowState

from members_area.factories import StadsdorpMemberSettingsFactory
from members_area.models import BinnenbuurtNewsPage
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def form_token(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]["form_token"].value()


@pytest.fixture
def contact(client, world):
    client.force_login(world.users["contact_a"])
    return client


def post_news(client, section, **data):
    url = section.url + "nieuw/nieuws/"
    payload = {
        "title": "Buurtborrel was gezellig",
        "text": "Met twintig buren.\n\nVolgende keer bij Anna.",
        "form_token": form_token(client, url),
        **data,
    }
    return client.post(url, payload)


def test_contact_person_posts_news_with_photo_and_attachment(contact, world):
    response = post_news(
        contact,
        world.page_a,
        photo=SimpleUploadedFile("borrel.png", png_bytes(), content_type="image/png"),
        photo_description="Buren met een glas",
        attachment=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    assert response.status_code == 302
    news = BinnenbuurtNewsPage.objects.get(title="Buurtborrel was gezellig")
    assert news.live
    assert news.get_parent().pk == world.page_a.pk
    assert news.body == "<p>Met twintig buren.</p><p>Volgende keer bij Anna.</p>"
    assert news.posted_by == world.users["contact_a"]
    assert news.image.collection_id == world.a.collection_id
    assert news.image_description == "Buren met een glas"
    attachment = news.attachments.get().document
    assert attachment.collection_id == world.a.collection_id
    # Members of the binnenbuurt see it; members of another binnenbuurt do not.
    contact.force_login(world.users["member_a"])
    assert "Buurtborrel was gezellig" in contact.get(world.page_a.url).content.decode()
    contact.force_login(world.users["member_b"])
    assert contact.get(news.url).status_code == 403


def test_double_submit_creates_one_post(contact, world):
    url = world.page_a.url + "nieuw/nieuws/"
    token = form_token(contact, url)
    data = {"title": "Een keer graag", "text": "Tekst", "form_token": token}
    first = contact.post(url, data)
    second = contact.post(url, data)
    assert first.status_code == second.status_code == 302
    assert BinnenbuurtNewsPage.objects.filter(title="Een keer graag").count() == 1


def test_invalid_input_keeps_what_was_typed(contact, world):
    response = post_news(
        contact,
        world.page_a,
        title="",
        photo=SimpleUploadedFile("nep.png", b"geen plaatje", content_type="image/png"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Geef het bericht een titel." in content
    assert "Dit bestand is geen foto die we kunnen gebruiken." in content
    assert "Volgende keer bij Anna." in content
    assert not BinnenbuurtNewsPage.objects.filter(posted_by=world.users["contact_a"]).exists()


def test_wrong_attachment_type_is_refused(contact, world):
    response = post_news(
        contact,
        world.page_a,
        attachment=SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream"),
    )
    assert "Dit soort bestand kan niet." in response.content.decode()


@pytest.mark.parametrize("role", ["member_a", "member_b", "editor"])
def test_others_cannot_use_the_form(client, world, role):
    login_with_second_factor(client, world.users[role])
    response = client.get(world.page_a.url + "nieuw/nieuws/")
    assert response.status_code == 403


def test_contact_person_cannot_post_in_another_binnenbuurt(contact, world):
    assert contact.get(world.page_b.url + "nieuw/nieuws/").status_code == 403


def test_only_own_posts_can_be_edited_and_deleted(contact, world):
    post_news(contact, world.page_a)
    own = BinnenbuurtNewsPage.objects.get(title="Buurtborrel was gezellig")
    page = contact.get(world.page_a.url).content.decode()
    assert f"bericht/{own.pk}/bewerken/" in page
    assert f"bericht/{world.news_a.pk}/bewerken/" not in page
    # Somebody else's news item: refused.
    assert contact.get(world.page_a.url + f"bericht/{world.news_a.pk}/bewerken/").status_code == 403
    edit_url = world.page_a.url + f"bericht/{own.pk}/bewerken/"
    response = contact.get(edit_url)
    assert "Volgende keer bij Anna." in response.content.decode()
    response = contact.post(edit_url, {"title": "Borrel (aangepast)", "text": "Nieuwe tekst"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.title == "Borrel (aangepast)"
    assert own.live
    delete_url = world.page_a.url + f"bericht/{own.pk}/verwijderen/"
    assert contact.get(delete_url).status_code == 200
    assert contact.post(delete_url).status_code == 302
    assert not BinnenbuurtNewsPage.objects.filter(pk=own.pk).exists()
    other_delete_url = world.page_a.url + f"bericht/{world.news_a.pk}/verwijderen/"
    assert contact.post(other_delete_url).status_code == 403


def test_with_approval_the_post_waits_for_a_moderator(contact, world):
    StadsdorpMemberSettingsFactory(stadsdorp=world.stadsdorp, requires_approval=True)
    response = post_news(contact, world.page_a)
    assert response.status_code == 302
    news = BinnenbuurtNewsPage.objects.get(title="Buurtborrel was gezellig")
    assert not news.live
    state = WorkflowState.objects.get(object_id=str(news.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Goedkeuring ledenberichten"


def test_contact_person_posts_an_event_for_the_binnenbuurt(contact, world):
    from events.models import EventPage

    url = world.page_a.url + "nieuw/activiteit/"
    start = (timezone.localtime() + timedelta(days=5)).replace(second=0, microsecond=0)
    response = contact.post(
        url,
        {
            "title": "Koffie bij Carla",
            "text": "Iedereen welkom.",
            "start": start.strftime("%d-%m-%Y %H:%M"),
            "location": "Zonnehof 12",
            "form_token": form_token(contact, url),
        },
    )
    assert response.status_code == 302
    event = EventPage.objects.get(title="Koffie bij Carla")
    assert event.live
    assert event.audience == EventPage.Audience.BINNENBUURT
    assert event.audience_group_id == world.a.members_group_id
    assert event.start == start
    contact.force_login(world.users["member_a"])
    assert "Koffie bij Carla" in contact.get(world.members_area.url).content.decode()
    assert event.end == event.start  # no end time asked, none invented
    contact.force_login(world.users["member_a"])
    assert f"vanaf {start:%H:%M} uur" in contact.get(event.url).content.decode()
    contact.force_login(world.users["member_b"])
    assert "Koffie bij Carla" not in contact.get(world.members_area.url).content.decode()
    assert contact.get(event.url).status_code == 403


def event_payload(contact, url, start, **data):
    return {
        "title": "Buurtdiner",
        "text": "Iedereen welkom.",
        "start": start.strftime("%d-%m-%Y %H:%M"),
        "form_token": form_token(contact, url),
        **data,
    }


def test_an_end_time_the_contact_person_gives_is_shown(contact, world):
    from events.models import EventPage

    url = world.page_a.url + "nieuw/activiteit/"
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=17, minute=0, second=0)
    start = start.replace(microsecond=0)
    response = contact.post(url, event_payload(contact, url, start, end_time="19:30"))
    assert response.status_code == 302
    event = EventPage.objects.get(title="Buurtdiner")
    assert timezone.localtime(event.end).strftime("%H:%M") == "19:30"
    assert "17:00 tot 19:30 uur" in contact.get(event.url).content.decode()


def test_an_end_time_before_the_start_is_refused_and_input_kept(contact, world):
    from events.models import EventPage

    url = world.page_a.url + "nieuw/activiteit/"
    start = (timezone.localtime() + timedelta(days=5)).replace(hour=17, minute=0, second=0)
    response = contact.post(url, event_payload(contact, url, start, end_time="16:00"))
    content = response.content.decode()
    assert "De eindtijd ligt vóór de begintijd" in content
    assert 'value="16:00"' in content
    assert not EventPage.objects.filter(title="Buurtdiner").exists()


def huge_png(width=12000, height=12000):
    """A 12000 x 12000 PNG of about 17 KB (one colour compresses to almost nothing)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_photo_with_too_many_pixels_is_refused_before_anything_is_made(contact, world):
    from wagtail.images import get_image_model

    data = huge_png()
    assert len(data) < 200_000
    with mock.patch("wagtail.images.models.AbstractImage.create_rendition") as rendition:
        response = post_news(
            contact,
            world.page_a,
            photo=SimpleUploadedFile("plattegrond.png", data, content_type="image/png"),
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert "De foto heeft te veel pixels" in content
    assert "Verklein de foto" in content
    rendition.assert_not_called()
    assert not get_image_model().objects.exists()
    assert not BinnenbuurtNewsPage.objects.filter(title="Buurtborrel was gezellig").exists()


def test_a_photo_over_the_upload_size_is_refused_in_dutch(contact, world):
    import os

    from PIL import Image

    # Noise does not compress: 2000 x 2000 x 3 bytes is over the 10 MB limit, in few pixels.
    buffer = io.BytesIO()
    Image.frombytes("RGB", (2000, 2000), os.urandom(2000 * 2000 * 3)).save(
        buffer, format="PNG", compress_level=0
    )
    response = post_news(
        contact,
        world.page_a,
        photo=SimpleUploadedFile("borrel.png", buffer.getvalue(), content_type="image/png"),
    )
    assert response.status_code == 200
    assert "De foto is te groot" in response.content.decode()


def test_markup_a_contact_person_types_shows_as_typed_in_the_teaser(contact, world):
    post_news(contact, world.page_a, title="Let op", text="Neem <b>koek</b> mee & thee.")
    contact.force_login(world.users["member_a"])
    content = contact.get(world.page_a.url).content.decode()
    assert "Neem &lt;b&gt;koek&lt;/b&gt; mee &amp; thee." in content
    assert "&amp;lt;" not in content


@pytest.mark.redis
def test_a_post_made_while_redis_is_away_is_posted_once(contact, world, redis_cache):
    """The double-submit guard lives in the cache: while Redis is away it works from the worker's
    memory, so the first submit posts (before, it was taken for a second submit and lost)."""
    url = world.page_a.url + "nieuw/nieuws/"
    token = form_token(contact, url)
    redis_cache.stop()
    data = {"title": "Tijdens de storing", "text": "Tekst", "form_token": token}
    assert contact.post(url, data).status_code == 302
    assert contact.post(url, data).status_code == 302
    assert BinnenbuurtNewsPage.objects.filter(title="Tijdens de storing").count() == 1

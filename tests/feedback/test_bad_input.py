"""Bad input to the insight API: 400, the offending field named with a clear message
(in Arabic when asked), and nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.models import Category, Comment, Insight, InsightEvent
from portal.models import Notification
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 8), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def _written() -> tuple:
    return (
        Insight.objects.count(),
        InsightEvent.objects.count(),
        Comment.objects.count(),
        Notification.objects.count(),
    )


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": None}, "title", "This field is required."),
        ({"pain_point": None}, "pain_point", "This field is required."),
        ({"channel": None}, "channel", "This field is required."),
        ({"category": None}, "category", "This field is required."),
        ({"title": ""}, "title", "This field may not be blank."),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"pain_point": ""}, "pain_point", "This field may not be blank."),
        ({"title": "x" * 201}, "title", "Ensure this field has no more than 200 characters."),
        (
            {"pain_point": "x" * 4001},
            "pain_point",
            "Ensure this field has no more than 4000 characters.",
        ),
        (
            {"suggested_fix": "x" * 4001},
            "suggested_fix",
            "Ensure this field has no more than 4000 characters.",
        ),
        ({"channel": "nope"}, "channel", "Object with code=nope does not exist."),
        ({"category": "nope"}, "category", "Object with code=nope does not exist."),
        ({"category": "retired"}, "category", "Object with code=retired does not exist."),
        ({"location": "NOPE-99"}, "location", "Object with code=NOPE-99 does not exist."),
        ({"team": "NOPE"}, "team", "Object with code=NOPE does not exist."),
        ({"standard": "STD-NOPE"}, "standard", "Object with code=STD-NOPE does not exist."),
        (
            {"team": "JED-01-TELLER"},
            "team",
            "The team does not belong to that location.",
        ),
        ({"customer_impact": "extreme"}, "customer_impact", '"extreme" is not a valid choice.'),
        ({"frequency": "never"}, "frequency", '"never" is not a valid choice.'),
        ({"privacy": "public"}, "privacy", '"public" is not a valid choice.'),
        ({"title": ["a", "list"]}, "title", "Not a valid string."),
        ({"owner_department": "CS"}, "owner_department", "Set by a manager after submission."),
        ({"assignee": "mona"}, "assignee", "Set by a manager after submission."),
    ],
    ids=[
        "missing-title",
        "missing-pain-point",
        "missing-channel",
        "missing-category",
        "blank-title",
        "whitespace-title",
        "blank-pain-point",
        "title-over-200",
        "pain-point-over-4000",
        "fix-over-4000",
        "unknown-channel",
        "unknown-category",
        "inactive-category",
        "unknown-location",
        "unknown-team",
        "unknown-standard",
        "team-of-another-location",
        "unknown-impact",
        "unknown-frequency",
        "unknown-privacy",
        "title-not-a-string",
        "owner-department-on-submit",
        "assignee-on-submit",
    ],
)
def test_a_bad_insight_is_refused_naming_the_field(api, alice, mona, change, field, message):
    # given a retired category, and an otherwise valid report
    Category.objects.create(code="retired", name_en="Old", name_ar="قديم", is_active=False)
    before = _written()

    # when alice submits it with one thing wrong
    response = api(alice).post(INSIGHTS, insight_payload(**change), format="json")

    # then it is refused, the field named with a clear message
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    # and nothing was written
    assert _written() == before


def test_every_bad_field_is_named_at_once(api, alice):
    response = api(alice).post(
        INSIGHTS,
        {"title": "x" * 201, "channel": "nope", "category": "nope", "frequency": "never"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"title", "pain_point", "channel", "category", "frequency"}
    assert not Insight.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("[]", "application/json"), ('{"title": ', "application/json"), ("title=x", "text/plain")],
    ids=["a-list", "malformed-json", "unsupported-media-type"],
)
def test_a_body_that_is_not_an_insight_is_refused(api, alice, body, content_type):
    response = api(alice).generic("POST", INSIGHTS, body, content_type=content_type)

    assert response.status_code in (400, 415)
    assert response.json()
    assert not Insight.objects.exists()


# --- photos --------------------------------------------------------------------------------
def _multipart(photo) -> dict:
    return {**insight_payload(), "photo": photo}


@pytest.mark.parametrize(
    ("photo", "message"),
    [
        (
            SimpleUploadedFile("x.jpg", b"this is only text", content_type="image/jpeg"),
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image.",
        ),
        (
            SimpleUploadedFile(
                "evil.jpg", b"<?php system($_GET['c']); ?>", content_type="image/jpeg"
            ),
            "Upload a valid image. The file you uploaded was either not an image or a "
            "corrupted image.",
        ),
        (
            SimpleUploadedFile(
                "big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), content_type="image/png"
            ),
            "The photo is larger than 5 MB.",
        ),
        (
            SimpleUploadedFile("old.bmp", png_bytes(fmt="BMP"), content_type="image/bmp"),
            "Upload a JPEG, PNG, WebP or GIF image.",
        ),
    ],
    ids=["text-named-jpg", "script-named-jpg", "over-5-mb", "bitmap"],
)
def test_a_bad_photo_is_refused(api, alice, settings, photo, message):
    response = api(alice).post(INSIGHTS, _multipart(photo), format="multipart")

    assert response.status_code == 400
    assert response.json() == {"photo": [message]}
    assert not Insight.objects.exists()
    assert _stored_files(settings) == []


def test_a_real_photo_is_kept_under_a_safe_name(api, alice, settings):
    photo = SimpleUploadedFile(
        "../../Alice Anwar's receipt.png", png_bytes(), content_type="image/png"
    )

    response = api(alice).post(INSIGHTS, _multipart(photo), format="multipart")

    assert response.status_code == 201, response.content
    [stored] = _stored_files(settings)
    assert stored.suffix == ".png"
    assert "Alice" not in str(stored) and ".." not in str(stored.relative_to(settings.MEDIA_ROOT))
    assert response.json()["photo_url"] == f"/api/v1/insights/{response.json()['id']}/photo/"


MARKER = "Noura Alqahtani SN-4471"


def photo_with_metadata(fmt: str) -> bytes:
    """A 40x20 image carrying its taker's name where each format keeps metadata."""
    image = Image.new("RGB", (40, 20), (10, 120, 200))
    exif = Image.Exif()
    exif[0x013B] = MARKER  # Artist
    exif[0xA431] = MARKER  # BodySerialNumber
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    buffer = io.BytesIO()
    if fmt == "PNG":
        from PIL.PngImagePlugin import PngInfo

        text = PngInfo()
        text.add_text("Author", MARKER)
        image.save(buffer, format="PNG", pnginfo=text, exif=exif)
    elif fmt == "GIF":
        frames = [image.convert("P"), Image.new("RGB", (40, 20), (200, 0, 0)).convert("P")]
        frames[0].save(
            buffer, format="GIF", save_all=True, append_images=frames[1:], comment=MARKER
        )
    else:
        image.save(buffer, format=fmt, exif=exif)
    assert MARKER.encode() in buffer.getvalue()
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_photo_is_stored_without_its_metadata(api, client, alice, bob, fmt):
    name = f"photo.{fmt.lower()}"
    upload = SimpleUploadedFile(name, photo_with_metadata(fmt), content_type="image/*")

    response = api(alice).post(
        INSIGHTS, {**_multipart(upload), "privacy": "anonymous"}, format="multipart"
    )

    assert response.status_code == 201, response.content
    client.force_login(bob)
    served = client.get(response.json()["photo_url"])
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert MARKER.encode() not in body
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == fmt
        if fmt == "GIF":
            assert image.n_frames == 2  # still animated
        else:
            assert image.size == (20, 40)  # the orientation is applied to the pixels


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_photo_with_too_many_pixels_is_refused(api, alice):
    # A small file that would unpack into 400 megabytes of pixels.
    buffer = io.BytesIO()
    Image.new("L", (10_000, 10_000)).save(buffer, format="PNG", optimize=True)
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")

    response = api(alice).post(INSIGHTS, _multipart(upload), format="multipart")

    assert response.status_code == 400
    assert response.json() == {"photo": ["The photo has too many pixels (at most 40 megapixels)."]}
    assert not Insight.objects.exists()


# --- edits, transitions, comments ----------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "x" * 201}, "title"),
        ({"title": ""}, "title"),
        ({"pain_point": "x" * 4001}, "pain_point"),
        ({"channel": "nope"}, "channel"),
        ({"category": "nope"}, "category"),
        ({"team": "JED-01-TELLER"}, "team"),
        ({"standard": "STD-NOPE"}, "standard"),
    ],
    ids=[
        "title-over-200",
        "blank-title",
        "pain-point-over-4000",
        "channel",
        "category",
        "team",
        "standard",
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(api, submit, alice, change, field):
    insight = submit()
    before = (Insight.objects.filter(pk=insight["id"]).values().get(), _written())

    response = api(alice).patch(detail_url(insight["id"]), change, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert (Insight.objects.filter(pk=insight["id"]).values().get(), _written()) == before


def test_an_illegal_transition_is_refused_and_changes_nothing(api, submit, mona):
    insight = submit()
    before = (Insight.objects.filter(pk=insight["id"]).values().get(), _written())

    response = api(mona).post(
        detail_url(insight["id"], "transition"), {"status": "implemented"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": ["An insight cannot move from “New” to “Implemented”."]}
    assert (Insight.objects.filter(pk=insight["id"]).values().get(), _written()) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 4001}, "body"),
        ({"body": "ok", "is_internal": "perhaps"}, "is_internal"),
    ],
    ids=["missing", "blank", "whitespace", "over-4000", "internal-not-a-boolean"],
)
def test_a_bad_comment_is_refused(api, submit, mona, body, field):
    insight = submit()
    before = _written()

    response = api(mona).post(detail_url(insight["id"], "comments"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert _written() == before


# --- in Arabic -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": None}, "title", "هذا الحقل مطلوب."),
        ({"title": "x" * 201}, "title", "تأكد ان عدد الحروف في هذا الحقل لا تتجاوز 200."),
        ({"channel": "nope"}, "channel", "عنصر ب code=nope غير موجود."),
        ({"team": "JED-01-TELLER"}, "team", "الفريق لا ينتمي إلى هذا الموقع."),
    ],
    ids=["missing-title", "title-over-200", "unknown-channel", "team-of-another-location"],
)
def test_errors_are_in_arabic_when_asked(api, alice, change, field, message):
    response = api(alice, "ar").post(INSIGHTS, insight_payload(**change), format="json")

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Insight.objects.exists()


def test_a_refused_transition_is_explained_in_arabic(api, submit, mona):
    insight = submit()

    response = api(mona, "ar").post(
        detail_url(insight["id"], "transition"), {"status": "implemented"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"status": ["لا يمكن نقل ملاحظة من «جديدة» إلى «مُنفَّذة»."]}


def test_a_bad_photo_is_explained_in_arabic(api, alice):
    photo = SimpleUploadedFile("old.bmp", png_bytes(fmt="BMP"), content_type="image/bmp")

    response = api(alice, "ar").post(INSIGHTS, _multipart(photo), format="multipart")

    assert response.status_code == 400
    assert response.json() == {"photo": ["ارفع صورة بصيغة JPEG أو PNG أو WebP أو GIF."]}

"""The profile page, the e-mail footer that points to it, the error pages, and the
language of the password-reset e-mail."""

import re

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.urls import include, path
from django.utils import translation

from portal import services
from portal.models import User
from tests.factories import make_user
from tests.html import foreign_urls

PROFILE = "/accounts/profile/"
HTML_TAG = re.compile(r"<html[^>]*>")
FIELD = re.compile(r'<div class="field[^"]*">.*?</div>', re.S)

# The page's own words in each language, to show it was really translated.
PROFILE_TITLE = {"en": "Your profile", "ar": "ملفك الشخصي"}
SAVED = {"en": "Your profile was saved.", "ar": "تم حفظ ملفك الشخصي."}
NOT_FOUND = {"en": "Page not found", "ar": "الصفحة غير موجودة"}
FORBIDDEN = {"en": "You cannot open this page", "ar": "لا يمكنك فتح هذه الصفحة"}
SERVER_ERROR = {"en": "Something went wrong", "ar": "حدث خطأ ما"}
HOME_LINK = {"en": "Go to the home page", "ar": "الانتقال إلى الصفحة الرئيسية"}


def assert_language(html: str, language: str):
    tag = HTML_TAG.search(html).group(0)
    direction = "rtl" if language == "ar" else "ltr"
    assert f'lang="{language}"' in tag and f'dir="{direction}"' in tag, tag


def field_html(html: str, name: str) -> str:
    """The ``<div class="field">`` holding the named input, with its errors."""
    for block in FIELD.findall(html):
        if f'name="{name}"' in block:
            return block
    raise AssertionError(f"no field {name!r} in the page")


def profile_of(user: User) -> tuple[str, str, bool]:
    user = User.objects.get(pk=user.pk)
    return user.display_name, user.language, user.email_notifications


def speak(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


# --- the profile page -----------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_profile_page_shows_the_users_settings_in_their_language(client, alice, language):
    speak(alice, language)
    client.force_login(alice)

    response = client.get(PROFILE)

    assert response.status_code == 200
    html = response.content.decode()
    assert_language(html, language)
    assert foreign_urls(html) == []
    assert 'value="Alice Anwar"' in field_html(html, "display_name")
    assert f'<option value="{language}" selected>' in field_html(html, "language")
    assert "checked" in html.split('name="email_notifications"')[1].split(">")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_profile_page_is_translated(client, alice, language):
    speak(alice, language)
    client.force_login(alice)

    html = client.get(PROFILE).content.decode()

    assert f"<h1>{PROFILE_TITLE[language]}</h1>" in html


@pytest.mark.django_db
def test_saving_the_profile_changes_the_three_fields_and_the_language(client, alice):
    # Given an English-speaking user who gets e-mails
    client.force_login(alice)
    assert profile_of(alice) == ("Alice Anwar", "en", True)

    # When she saves a new name, Arabic, and no e-mails (an unticked box is not sent)
    response = client.post(PROFILE, {"display_name": "  Alice A.  ", "language": "ar"})

    # Then all three are saved, and the next page, cookie included, is in Arabic
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert profile_of(alice) == ("Alice A.", "ar", False)
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert_language(html, "ar")
    assert 'value="Alice A."' in field_html(html, "display_name")
    assert 'class="message success"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to"), [("en", "ar"), ("ar", "en")], ids=["to-arabic", "to-english"]
)
def test_the_saved_message_is_in_the_new_language(client, alice, start, to):
    speak(alice, start)
    client.force_login(alice)

    page = client.post(PROFILE, {"display_name": "Alice", "language": to}, follow=True)

    assert SAVED[to] in page.content.decode()
    assert SAVED[start] not in page.content.decode()


@pytest.mark.django_db
def test_ticking_the_box_turns_emails_back_on(client, alice):
    services.user_update(user=alice, email_notifications=False)
    client.force_login(alice)

    client.post(PROFILE, {"display_name": "Alice", "language": "en", "email_notifications": "on"})

    assert profile_of(alice) == ("Alice", "en", True)


@pytest.mark.django_db
def test_the_profile_page_changes_nothing_else(client, alice):
    client.force_login(alice)

    client.post(
        PROFILE,
        {
            "display_name": "Alice",
            "language": "en",
            "email": "mallory@example.test",
            "username": "mallory",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    alice = User.objects.get(pk=alice.pk)
    assert (alice.email, alice.username, alice.is_staff, alice.is_superuser) == (
        "alice@example.test",
        "alice",
        False,
        False,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "data", "error"),
    [
        ("display_name", {"display_name": "", "language": "ar"}, "required-en"),
        ("display_name", {"display_name": "   ", "language": "ar"}, "required-en"),
        ("display_name", {"display_name": "x" * 151, "language": "ar"}, "too-long-en"),
        ("language", {"display_name": "Alice A.", "language": "fr"}, "choice-en"),
        ("language", {"display_name": "Alice A."}, "required-en"),
        ("display_name", {"display_name": "", "language": "en"}, "required-ar"),
        ("display_name", {"display_name": "x" * 151, "language": "en"}, "too-long-ar"),
        ("language", {"display_name": "Alice A.", "language": "fr"}, "choice-ar"),
    ],
    ids=[
        "empty-name",
        "blank-name",
        "name-over-150",
        "unknown-language",
        "no-language",
        "empty-name-arabic",
        "name-over-150-arabic",
        "unknown-language-arabic",
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(
    client, alice, field, data, error
):
    # Django's own Arabic catalog has these messages: no new translations needed.
    messages = {
        "required-en": "This field is required.",
        "too-long-en": "Ensure this value has at most 150 characters (it has 151).",
        "choice-en": "Select a valid choice. fr is not one of the available choices.",
        "required-ar": "هذا الحقل مطلوب.",
        "too-long-ar": "تأكد أن هذه القيمة تحتوي على",
        "choice-ar": "انتق خياراً صحيحاً. fr ليس أحد الخيارات المتاحة.",
    }
    language = error.rsplit("-", 1)[1]
    speak(alice, language)
    client.force_login(alice)
    before = profile_of(alice)

    response = client.post(PROFILE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert_language(html, language)
    block = field_html(html, field)
    assert "has-error" in block
    assert messages[error] in block
    # and a screen reader reads the error with the field
    assert f'aria-describedby="id_{field}_error"' in block
    assert f'<div id="id_{field}_error">' in block
    assert profile_of(alice) == before
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert 'class="message success"' not in html


@pytest.mark.django_db
def test_a_stored_value_the_model_refuses_is_reported_not_a_server_error(client, alice):
    # Given a row written around the model's validation (as bulk imports do)
    User.objects.filter(pk=alice.pk).update(email="not-an-address")
    client.force_login(alice)

    response = client.post(PROFILE, {"display_name": "Alice A.", "language": "ar"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errors" role="alert"' in html
    assert "Enter a valid email address." in html
    # Nothing was saved, and the page still shows what is stored
    assert profile_of(alice) == ("Alice Anwar", "en", True)
    assert_language(html, "en")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_profile_page_needs_a_login(client, org, method):
    data = {"display_name": "x", "language": "ar"} if method == "post" else None

    response = getattr(client, method)(PROFILE, data)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={PROFILE}"


# --- the notification e-mail's footer --------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_notification_email_footer_links_to_the_profile(
    django_capture_on_commit_callbacks, mailoutbox, settings, org, language
):
    settings.SITE_URL = "https://voice.example.test/"
    reader = make_user("layla", team=org.team_ruh, language=language)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipient=reader, kind="welcome", context={"username": "layla"})

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "https://voice.example.test/accounts/profile/" in message.body
    html, _mime = message.alternatives[0]
    assert '<a href="https://voice.example.test/accounts/profile/">' in html


# --- error pages -----------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_404_page_is_in_the_users_language(client, settings, alice, language):
    settings.DEBUG = False
    speak(alice, language)
    client.force_login(alice)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert_language(html, language)
    assert NOT_FOUND[language] in html
    assert f'href="/">{HOME_LINK[language]}</a>' in html
    if language == "ar":
        assert NOT_FOUND["en"] not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_404_page_speaks_the_browsers_language_before_login(client, settings, language):
    settings.DEBUG = False

    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    html = response.content.decode()
    assert_language(html, language)
    assert NOT_FOUND[language] in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_403_page_is_in_the_users_language(client, settings, alice, language):
    settings.DEBUG = False
    speak(alice, language)
    client.force_login(alice)

    # A frontline member of staff opens the managers' triage queue
    response = client.get("/insights/triage/")

    assert response.status_code == 403
    html = response.content.decode()
    assert_language(html, language)
    assert FORBIDDEN[language] in html
    assert f'href="/">{HOME_LINK[language]}</a>' in html
    if language == "ar":
        assert FORBIDDEN["en"] not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_500_page_needs_neither_a_request_nor_the_database(django_assert_num_queries, language):
    with translation.override(language), django_assert_num_queries(0):
        html = render_to_string("500.html")

    assert_language(html, language)
    assert SERVER_ERROR[language] in html
    assert foreign_urls(html) == []


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", include("portal.urls"))]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_server_error_shows_the_500_page_in_the_users_language(client, settings, alice, language):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    speak(alice, language)
    client.force_login(alice)
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert_language(html, language)
    assert SERVER_ERROR[language] in html


# --- the password-reset e-mail ---------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("en", "ltr")], ids=["arabic", "english"]
)
def test_the_password_reset_html_email_carries_the_recipients_language_and_direction(
    client, mailoutbox, org, language, direction
):
    # Given a recipient whose language differs from the browser asking for the reset
    make_user("huda", team=org.team_ruh, language=language)
    browser = "en" if language == "ar" else "ar"

    client.post(
        "/accounts/password/reset/", {"email": "huda@example.test"}, HTTP_ACCEPT_LANGUAGE=browser
    )

    assert len(mailoutbox) == 1
    html, _mime = mailoutbox[0].alternatives[0]
    tag = HTML_TAG.search(html).group(0)
    assert f'lang="{language}"' in tag and f'dir="{direction}"' in tag, tag

"""Pages in English and Arabic, only same-origin assets, and the person's language."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.models import User
from tests.conftest import PASSWORD
from tests.factories import make_user
from tests.html import ARABIC, foreign_urls

HTML_TAG = re.compile(r"<html[^>]*>")

SIGNED_IN_PAGES = {
    "home": "/",
    "notifications": "/notifications/",
    "password-change": "/accounts/password/change/",
    "password-change-done": "/accounts/password/change/done/",
}
ANONYMOUS_PAGES = {
    "login": "/accounts/login/",
    "password-reset": "/accounts/password/reset/",
    "password-reset-done": "/accounts/password/reset/done/",
    "password-reset-bad-link": "/accounts/reset/MQ/not-a-token/",
    "password-reset-complete": "/accounts/reset/done/",
}
# What the page says, in each language, to show it was really translated.
HOME_NAV = {
    "en": ["Home", "Notifications", "Log out"],
    "ar": ["الرئيسية", "الإشعارات", "تسجيل الخروج"],
}


def html_tag(html: str) -> str:
    return HTML_TAG.search(html).group(0)


def assert_language(html: str, language: str):
    tag = html_tag(html)
    if language == "ar":
        assert 'lang="ar"' in tag and 'dir="rtl"' in tag, tag
    else:
        assert 'lang="en"' in tag and 'dir="ltr"' in tag, tag


def assert_page_is_self_contained(html: str):
    assert foreign_urls(html) == []
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'action="/language/"' in html  # the language switcher is on every page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", list(SIGNED_IN_PAGES))
def test_signed_in_pages_render_in_the_users_language(client, alice, name, language):
    alice.language = language
    alice.save(update_fields=["language"])
    client.force_login(alice)

    response = client.get(SIGNED_IN_PAGES[name])

    assert response.status_code == 200
    html = response.content.decode()
    assert_language(html, language)
    assert_page_is_self_contained(html)
    for text in HOME_NAV[language]:
        assert text in html
    if language == "ar":
        assert "Log out" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("name", list(ANONYMOUS_PAGES))
def test_public_pages_render_in_the_browsers_language(client, name, language):
    response = client.get(ANONYMOUS_PAGES[name], HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    html = response.content.decode()
    assert_language(html, language)
    assert_page_is_self_contained(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert bool(ARABIC.search(title)) == (language == "ar"), title


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_admin_renders_in_the_users_language(client, ada, language):
    ada.language = language
    ada.save(update_fields=["language"])
    client.force_login(ada)

    for url in ["/admin/", "/admin/portal/user/", f"/admin/portal/user/{ada.pk}/change/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_language(html, language)
        assert foreign_urls(html) == [], url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "sees_admin"), [("alice", False), ("tariq", False), ("mona", True), ("ada", True)]
)
def test_the_admin_link_shows_for_managers_and_admins_only(client, cast, user, sees_admin):
    client.force_login(cast[user])

    html = client.get("/").content.decode()

    assert ('href="/admin/"' in html) == sees_admin


@pytest.mark.django_db
def test_pages_need_a_login(client):
    for url in SIGNED_IN_PAGES.values():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


# --- the person's language ------------------------------------------------------------------
@pytest.mark.django_db
def test_the_preferred_language_applies_after_login(client, org):
    # Given an Arabic-speaking user on an English browser
    make_user("huda", team=org.team_ruh, language="ar")
    login_page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert_language(login_page.content.decode(), "en")

    # When she logs in
    response = client.post(
        "/accounts/login/",
        {"username": "huda", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # Then the portal speaks Arabic to her, and keeps doing so after she logs out
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    home = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert_language(home.content.decode(), "ar")
    client.post("/accounts/logout/")
    after = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert_language(after.content.decode(), "ar")


@pytest.mark.django_db
def test_the_language_switcher_saves_the_users_choice(client, alice):
    client.force_login(alice)

    response = client.post("/language/", {"language": "ar", "next": "/notifications/"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    alice.refresh_from_db()
    assert alice.language == "ar"
    assert_language(client.get("/notifications/").content.decode(), "ar")

    client.post("/language/", {"language": "en", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "en"
    assert_language(client.get("/").content.decode(), "en")


@pytest.mark.django_db
def test_the_language_switcher_works_before_login_with_a_cookie(client):
    response = client.post("/language/", {"language": "ar", "next": "/accounts/login/"})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert_language(page.content.decode(), "ar")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "next_url", "location"),
    [
        ("ar", "https://evil.example/phish", "/"),
        ("ar", "//evil.example/", "/"),
        ("fr", "/notifications/", "/notifications/"),
    ],
    ids=["foreign-next", "scheme-relative-next", "unknown-language"],
)
def test_the_language_switcher_refuses_bad_input(client, alice, language, next_url, location):
    client.force_login(alice)

    response = client.post("/language/", {"language": language, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == location
    alice.refresh_from_db()
    assert alice.language == ("ar" if language == "ar" else "en")


def test_the_language_switcher_only_accepts_post(client, db):
    assert client.get("/language/?language=ar").status_code == 405


# --- passwords ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("en", "Choose a new Frontline Voice password", "Someone asked to reset the password"),
        ("ar", "اختر كلمة مرور جديدة لصوت الميدان", "طلب أحدهم إعادة تعيين كلمة مرور حسابك"),
    ],
    ids=["english-recipient", "arabic-recipient"],
)
def test_the_password_reset_email_is_in_the_recipients_language(
    client, mailoutbox, org, language, subject, line
):
    # Given a recipient whose language differs from the browser asking for the reset
    make_user("huda", team=org.team_ruh, language=language)
    browser = "ar" if language == "en" else "en"

    response = client.post(
        "/accounts/password/reset/",
        {"email": "huda@example.test"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["huda@example.test"]
    assert message.subject == subject
    assert line in message.body
    html, _mime = message.alternatives[0]
    assert line in html
    # And the link in it lets her choose a new password
    link = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]


@pytest.mark.django_db
def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, mailoutbox, alice
):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_reset_link_sets_a_new_password(client, alice):
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    form_url = client.get(f"/accounts/reset/{uid}/{token}/")["Location"]

    response = client.post(
        form_url,
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/reset/done/"
    assert User.objects.get(pk=alice.pk).check_password("a-brand-new-passphrase")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "error"),
    [("en", "This password is too short"), ("ar", "كلمة المرور هذه قصيرة جدًا")],
    ids=["english", "arabic"],
)
def test_the_password_change_form_explains_a_weak_password(client, alice, language, error):
    alice.language = language
    alice.save(update_fields=["language"])
    client.force_login(alice)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "x1", "new_password2": "x1"},
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


@pytest.mark.django_db
def test_the_password_change_form_changes_the_password(client, alice):
    client.force_login(alice)

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-brand-new-passphrase",
            "new_password2": "a-brand-new-passphrase",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/change/done/"
    assert User.objects.get(pk=alice.pk).check_password("a-brand-new-passphrase")

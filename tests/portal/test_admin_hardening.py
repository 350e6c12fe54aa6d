"""Every admin page, whatever its model: no lookup through a hidden column, no 500 on
any query string, service errors on the form, no readable API keys (issue 6.2, 6.3,
6.6, 6.7)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from feedback.models import Insight
from portal.admin import HIDDEN_LOOKUPS
from portal.models import ApiToken, Notification
from tests.feedback.conftest import INSIGHTS, detail_url, insight_payload

pytestmark = pytest.mark.django_db


def _submit(api, user, **fields) -> dict:
    response = api(user).post(INSIGHTS, insight_payload(**fields), format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _changelists() -> list[str]:
    return sorted(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    )


def _hidden_paths(model, depth: int = 2, prefix: str = "") -> list[str]:
    """Lookup paths from ``model`` to a hidden column, through up to ``depth`` relations."""
    found = []
    for field in model._meta.get_fields():
        name = prefix + field.name
        if field.name in HIDDEN_LOOKUPS:
            found.append(name)
        elif field.is_relation and field.related_model is not None and depth > 1:
            found += _hidden_paths(field.related_model, depth - 1, name + "__")
    return found


HIDDEN = sorted(
    {
        (reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist"), path)
        for m in admin.site._registry
        for path in _hidden_paths(m)
    }
)


def test_there_is_something_hidden_to_look_for():
    urls = {url for url, _path in HIDDEN}
    assert "/admin/feedback/insight/" in urls
    assert "/admin/portal/notification/" in urls
    paths = {path for _url, path in HIDDEN}
    assert {
        "author_token",
        "recipient_token",
        "api_tokens__digest",
        "insights__author_token",
    } <= paths


@pytest.mark.parametrize(("url", "path"), HIDDEN, ids=[f"{u}?{p}" for u, p in HIDDEN])
@pytest.mark.parametrize("lookup", ["", "__startswith", "__in", "__isnull"])
def test_no_admin_filters_on_a_hidden_column(client, ada, url, path, lookup):
    """Issue 6.2: refused on every model, directly or through a relation."""
    client.force_login(ada)

    response = client.get(f"{url}?{path}{lookup}=e5")

    assert response.status_code == 400


def test_the_notification_admin_lists_no_anonymous_recipients(api, client, ada, alice, mona):
    # Given alice's anonymous insight, accepted (its news goes to her stand-in)
    insight = _submit(api, alice, privacy="anonymous")
    moved = api(mona).post(detail_url(insight["id"], "transition"), {"status": "accepted"})
    assert moved.status_code == 200
    assert Notification.objects.filter(recipient__isnull=True).exists()
    client.force_login(ada)

    page = client.get("/admin/portal/notification/?recipient__isnull=True")

    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == []
    anonymous = Notification.objects.filter(recipient__isnull=True).first()
    assert client.get(f"/admin/portal/notification/{anonymous.pk}/change/").status_code == 302


NASTY = [
    "q=%00",
    "title=%00",
    "status__in=%00",
    "context__title=%00",
    "%00=1",
    "id__gt=abc",
    "created_at__gte=not-a-date",
    "created_at__day=99",
    "o=99",
    "o=-1.x",
    "p=999999",
    "e=1",
    "q=%ED%A0%80",
    "q=" + "x" * 5000,
    "all=",
    "_changelist_filters=%00",
]


@pytest.mark.parametrize("url", _changelists())
@pytest.mark.parametrize("query", NASTY)
def test_any_query_string_on_any_admin_list_is_answered_200_or_400(client, ada, url, query):
    """Issue 6.6."""
    client.force_login(ada)

    response = client.get(f"{url}?{query}")

    assert response.status_code in (200, 302, 400), (url, query, response.status_code)


@pytest.mark.parametrize(
    "url",
    ["/insights/", "/insights/triage/", "/insights/export.csv", "/notifications/", INSIGHTS],
)
def test_a_nul_in_any_query_string_is_a_clean_400(client, mona, url):
    client.force_login(mona)

    response = client.get(f"{url}?q=%00&status=%00")

    assert response.status_code == 400


def test_a_refused_admin_save_comes_back_on_the_form(api, client, alice, mona, omar):
    """Issue 6.7: an out-of-scope assignee is an error next to the field, not a 500."""
    insight = _submit(api, alice)
    url = f"/admin/feedback/insight/{insight['id']}/change/"
    client.force_login(mona)
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["assignee"] = omar.pk
    for formset in client.get(url).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v or 0 for k, v in management.initial.items()})

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["assignee"] == [
        "The assignee must be an active manager responsible for its location."
    ]
    assert Insight.objects.get(pk=insight["id"]).assignee is None


def test_no_admin_page_shows_api_keys(client, api, ada, alice):
    """Issue 6.3: no token admin; keys are stored as digests only."""
    key = (
        api(None)
        .post(
            "/api/v1/auth/token/",
            {"username": "alice", "password": "correct-horse-battery-9"},
            format="json",
        )
        .json()["token"]
    )
    client.force_login(ada)

    assert ApiToken not in admin.site._registry
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    for url in _changelists():
        assert key not in client.get(url).text
    assert not ApiToken.objects.filter(digest=key).exists()

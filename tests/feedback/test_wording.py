"""How counts, labels and dates read, in English and in Arabic: every count in its
plural (Arabic has six forms), no colon after a question mark, no ambiguous dates."""

import datetime
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from feedback.models import Endorsement, Insight
from portal.models import Notification
from portal.services import user_update
from tests.factories import make_user
from tests.feedback.conftest import detail_url
from tests.feedback.test_pages import messages_of, signed_in

pytestmark = pytest.mark.django_db

CATALOG = settings.BASE_DIR / "portal/locale/ar/LC_MESSAGES/django.po"


# --- plurals -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "count", "message"),
    [
        ("en", 1, "1 insight changed."),
        ("en", 2, "2 insights changed."),
        ("ar", 1, "تغيّرت ملاحظة واحدة."),
        ("ar", 2, "تغيّرت ملاحظتان."),
        ("ar", 3, "تغيّرت 3 ملاحظات."),
    ],
)
def test_the_bulk_change_message_counts_in_the_readers_plural(
    client, submit, mona, language, count, message
):
    """Issue 6.18: "1 insights changed" no more."""
    ids = [submit(title=f"Report {i}")["id"] for i in range(count)]
    user_update(user=mona, language=language)

    response = signed_in(client, mona).post(
        "/insights/triage/bulk/", {"ids": ids, "status": "under_review"}, follow=True
    )

    assert message in messages_of(response.text)


@pytest.mark.parametrize(
    ("language", "message"), [("en", "1 insight changed."), ("ar", "تغيّرت ملاحظة واحدة.")]
)
def test_the_admin_bulk_action_counts_in_the_readers_plural(
    client, submit, mona, language, message
):
    """Issue 6.18: the admin's messages count in plurals too."""
    fresh = submit(title="Fresh")
    user_update(user=mona, language=language)

    response = signed_in(client, mona).post(
        "/admin/feedback/insight/",
        {"action": "mark_accepted", "_selected_action": [fresh["id"]], "index": 0},
        follow=True,
    )

    assert message in response.text


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 0, "0 people said me too"),
        ("en", 1, "1 person said me too"),
        ("en", 6, "6 people said me too"),
        ("ar", 0, "لم يقل أحد «أنا أيضًا» بعد"),
        ("ar", 1, "قال شخص واحد «أنا أيضًا»"),
        ("ar", 2, "قال شخصان «أنا أيضًا»"),
        ("ar", 6, "قال 6 أشخاص «أنا أيضًا»"),
        ("ar", 11, "قال 11 شخصًا «أنا أيضًا»"),
    ],
)
def test_endorsements_read_as_people_who_said_me_too(client, submit, org, language, count, text):
    """Issue 6.18: "6 me too" becomes "6 people said me too", in each plural form."""
    insight = submit(title="Queue at the door")
    Endorsement.objects.bulk_create(
        Endorsement(insight_id=insight["id"], user=make_user(f"colleague{i}", team=org.team_jed))
        for i in range(count)
    )
    reader = make_user("reader", team=org.team_ruh, language=language)
    client = signed_in(client, reader)

    listing = client.get("/insights/").text
    detail = client.get(f"/insights/{insight['id']}/").text

    assert text in listing
    assert text in detail


@pytest.mark.parametrize(
    ("language", "hours", "text"),
    [
        ("en", 1, "was submitted 1 hour ago"),
        ("en", 49, "was submitted 49 hours ago"),
        ("ar", 1, "قبل ساعة ولم"),
        ("ar", 2, "قبل ساعتين ولم"),
        ("ar", 49, "قبل 49 ساعةً ولم"),
    ],
)
def test_the_overdue_reminder_counts_hours_in_the_readers_plural(language, hours, text):
    """Issue 6.18: notifications (and so their e-mails) count in plurals too."""
    notification = Notification(
        kind="insight_overdue", context={"insight_id": 7, "title": "Queue", "hours": hours}
    )

    with translation.override(language):
        assert text in notification.body


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "1 problem found: nothing was imported."),
        ("ar", "عُثر على مشكلة واحدة: لم يُستورد أي شيء."),
    ],
)
def test_import_employees_counts_its_problems_in_the_plural(tmp_path, org, language, message):
    """Issue 6.18: "1 problems found" no more."""
    path = tmp_path / "staff.csv"
    path.write_text(
        "username,display_name,email,team,roles,language\nnew1,New One,,NOPE,frontline,en\n"
    )

    with translation.override(language), pytest.raises(CommandError) as raised:
        call_command("import_employees", str(path), stdout=StringIO(), stderr=StringIO())
    assert str(raised.value) == message


def _plural_entries(po: str) -> list[tuple[str, dict[int, str]]]:
    entries = []
    for block in po.split("\n\n"):
        # comments and obsolete (#~) entries aside
        block = "\n".join(line for line in block.splitlines() if not line.startswith("#"))
        if "msgid_plural" not in block:
            continue
        msgid = re.search(r'^msgid "(.*)"', block, re.M).group(1)
        forms = {
            int(index): "".join(re.findall(r'"(.*)"', text))
            for index, text in re.findall(r"^msgstr\[(\d)\] ((?:\".*\"\n?)+)", block + "\n", re.M)
        }
        entries.append((msgid, forms))
    return entries


def test_every_plural_in_the_arabic_catalog_has_its_six_forms():
    """Issue 6.18: Arabic has six plural forms, and the catalog gives every one."""
    po = CATALOG.read_text(encoding="utf-8")

    assert "nplurals=6;" in po
    entries = _plural_entries(po)
    assert len(entries) >= 15
    for msgid, forms in entries:
        assert sorted(forms) == [0, 1, 2, 3, 4, 5], msgid
        assert all(forms.values()), msgid


@pytest.mark.parametrize(
    "msgid",
    [
        "%(count)s insight changed.",
        "%(counter)s person said me too",
        "%(counter)s insight",
        "%(counter)s overdue",
        "%(count)s problem found: nothing was imported.",
        "and %(counter)s other place",
    ],
)
def test_arabic_counts_of_things_differ_by_form(msgid):
    """Issue 6.18: one, two, a few and many read differently in Arabic."""
    forms = dict(_plural_entries(CATALOG.read_text(encoding="utf-8")))[msgid]

    assert len({forms[1], forms[2], forms[3], forms[4]}) == 4, forms


# --- labels --------------------------------------------------------------------------------
QUESTION_THEN_COLON = re.compile(r"<label[^>]*>[^<]*[?؟]\s*:\s*</label>")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_labels_ending_in_a_question_mark_get_no_colon(client, submit, move, mona, language):
    """Issue 6.18: no "؟:" (nor "?:") after a label that asks a question."""
    insight = submit()
    move(insight["id"], "accepted")
    user_update(user=mona, language=language)
    client = signed_in(client, mona)

    form = client.get("/insights/new/").text
    pages = [form] + [
        client.get(path).text
        for path in (
            f"/insights/{insight['id']}/",
            f"/insights/{insight['id']}/edit/",
            "/insights/triage/",
            "/insights/",
            "/accounts/profile/",
            "/accounts/password_change/",
            "/admin/feedback/insight/add/",
            f"/admin/feedback/insight/{insight['id']}/change/",
        )
    ]

    asked = "ماذا واجه العميل؟" if language == "ar" else "What did the customer experience?"
    assert f'<label for="id_pain_point">{asked}</label>' in form
    for html in pages:
        assert "؟:" not in html
        assert not QUESTION_THEN_COLON.search(html), QUESTION_THEN_COLON.search(html).group(0)
    # while other labels keep theirs
    assert ":</label>" in form


# --- dates ---------------------------------------------------------------------------------
NUMERIC_DATE = re.compile(r"\b\d{1,4}\u200f?[/.-]\u200f?\d{1,2}\u200f?[/.-]\u200f?\d{2,4}\b")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_dates_are_written_out_on_every_page(client, submit, move, alice, mona, language):
    """Issue 6.18: no 12/01/2026 anywhere; dates in the localised long format."""
    fixed = submit(title="Lights fixed")
    move(fixed["id"], "accepted", "implemented")
    waiting = submit(title="Queue at the door")
    created = timezone.now() - datetime.timedelta(days=40)
    Insight.objects.filter(pk=waiting["id"]).update(created_at=created)
    api_comment = {"body": "Looking"}
    from rest_framework.test import APIClient

    commenter = APIClient()
    commenter.force_authenticate(mona)
    commenter.post(detail_url(waiting["id"], "comments"), api_comment, format="json")
    user_update(user=alice, language=language)
    user_update(user=mona, language=language)

    seen = []
    for user, paths in (
        (alice, ["/", "/insights/", "/insights/mine/", f"/insights/{waiting['id']}/"]),
        (alice, ["/notifications/", f"/insights/{fixed['id']}/"]),
        (mona, ["/", "/insights/triage/?filtered=1", f"/insights/{waiting['id']}/"]),
    ):
        client = signed_in(client, user)
        for path in paths:
            html = client.get(path).text
            # ISO dates in machine-readable attributes are fine; what people read is not
            readable = re.sub(r'(datetime|value|href|content)="[^"]*"', "", html)
            assert not NUMERIC_DATE.search(readable), (path, NUMERIC_DATE.search(readable))
            seen.append(readable)

    with translation.override(language):
        long_date = date_format(timezone.localtime(created), "DATE_FORMAT")
        fix_date = date_format(timezone.localdate(), "DATE_FORMAT")
    assert any(long_date in html for html in seen), long_date
    assert any(fix_date in html for html in seen), fix_date

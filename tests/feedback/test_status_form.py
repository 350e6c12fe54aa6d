"""The status-change form on an insight's page, without script (the test client):
only the fields that can apply are there, each says when it applies, and what a
field of another status holds is not held against the manager."""

import re

import pytest

from feedback.models import Insight
from tests.feedback.test_pages import signed_in

pytestmark = pytest.mark.django_db


def transition_form(html: str) -> str:
    return re.search(r'<form[^>]*id="transition-form".*?</form>', html, re.S).group(0)


def field_names(form: str) -> set[str]:
    return set(re.findall(r'name="(status|note|duplicate_of|implemented_at)"', form))


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ((), {"status", "note", "duplicate_of"}),
        (("accepted",), {"status", "note", "duplicate_of", "implemented_at"}),
    ],
    ids=["new-cannot-be-implemented-yet", "accepted-can-be-implemented"],
)
def test_the_status_form_offers_only_the_fields_that_can_apply(
    client, submit, move, mona, path, fields
):
    """Issue 6.17: no "fix live since" date for an insight that cannot be implemented yet."""
    insight = submit()
    move(insight["id"], *path)

    form = transition_form(signed_in(client, mona).get(f"/insights/{insight['id']}/").text)

    assert field_names(form) == fields


def test_without_script_each_field_says_when_it_applies(client, submit, move, mona):
    """Issue 6.17: the fields of one status are marked with it, and say so in words."""
    insight = submit()
    move(insight["id"], "accepted")

    form = transition_form(signed_in(client, mona).get(f"/insights/{insight['id']}/").text)

    assert re.search(r'data-for-status="duplicate">\s*<label for="id_duplicate_of"', form)
    assert re.search(r'data-for-status="implemented">\s*<label for="id_implemented_at"', form)
    assert "Only when marking it a duplicate" in form
    assert "Only when marking it implemented" in form
    # declining needs a reason: said next to the note, before anything is sent
    assert "Required when declining: tell the submitter why." in form
    assert 'data-required-for="declined"' in form
    assert "Declining needs a reason" in form
    # and nothing is chosen for the manager
    assert '<option value="" selected>Choose a status</option>' in form


@pytest.mark.parametrize(
    "leftover",
    [{"duplicate_of": "12345"}, {"implemented_at": "2020-01-01"}],
    ids=["original-number", "implemented-date"],
)
def test_a_field_of_another_status_is_ignored(client, submit, move, mona, leftover):
    """Issue 6.17: a value typed into a field that does not apply to the chosen status
    (visible without script) is ignored, not refused."""
    insight = submit()
    move(insight["id"], "accepted")

    response = signed_in(client, mona).post(
        f"/insights/{insight['id']}/transition/",
        {"status": "in_progress", "note": "Started", **leftover},
    )

    assert response.status_code == 302
    changed = Insight.objects.get()
    assert (changed.status, changed.duplicate_of_id, changed.implemented_at) == (
        "in_progress",
        None,
        None,
    )

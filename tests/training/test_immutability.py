"""Acceptance 2: a published version cannot be changed through any path (API, page,
admin, the model itself), and an acknowledgement cannot be changed or deleted through
any path."""

import pytest
from django.db.models.deletion import ProtectedError

from tests.training.conftest import ACKS, STANDARDS, publish
from training import services
from training.errors import Conflict, Immutable
from training.models import Acknowledgement, StandardVersion, VersionAnswer

pytestmark = pytest.mark.django_db

VERSION_URL = f"{STANDARDS}STD-GREET-01/versions/1/"


def snapshot(model, pk) -> dict:
    return model.objects.filter(pk=pk).values().get()


@pytest.fixture
def published(standard, tariq):
    return publish(standard, tariq).version


def test_the_api_refuses_to_change_or_delete_a_published_version(api, tariq, ada, published):
    before = snapshot(StandardVersion, published.pk)
    for user in (tariq, ada):
        patched = api(user).patch(VERSION_URL, {"text_en": "Changed"}, format="json")
        deleted = api(user).delete(VERSION_URL)
        put = api(user).put(VERSION_URL, {"text_en": "Changed"}, format="json")
        published_again = api(user).post(f"{VERSION_URL}publish/")
        assert (patched.status_code, deleted.status_code) == (409, 409)
        assert put.status_code == 405
        assert published_again.status_code == 409
        assert "never changed" in patched.json()["detail"]
    assert snapshot(StandardVersion, published.pk) == before


def test_a_draft_is_edited_until_it_is_published(api, tariq, standard, published):
    versions = f"{STANDARDS}STD-GREET-01/versions/"
    draft = api(tariq).post(versions, {"text_en": "Draft", "change": "minor"}, format="json")
    assert draft.status_code == 201
    url = f"{versions}{draft.json()['number']}/"

    assert api(tariq).patch(url, {"text_ar": "مسودة"}, format="json").status_code == 200
    assert api(tariq).post(f"{url}publish/").status_code == 200
    assert api(tariq).patch(url, {"text_ar": "تغيير"}, format="json").status_code == 409
    assert StandardVersion.objects.get(standard=standard, number=2).text_ar == "مسودة"


def test_the_pages_refuse_to_change_a_published_version(client, tariq, published):
    before = snapshot(StandardVersion, published.pk)
    client.force_login(tariq)
    page = client.get("/training/standards/STD-GREET-01/versions/1/")
    html = page.content.decode()

    posted = client.post("/training/standards/STD-GREET-01/versions/1/", {"text_en": "Changed"})
    publish_again = client.post("/training/standards/STD-GREET-01/versions/1/publish/")

    assert page.status_code == 200
    assert "<textarea" not in html and "never changed" in html
    assert posted.status_code == 403
    assert publish_again.status_code == 302
    assert snapshot(StandardVersion, published.pk) == before


def test_the_admin_shows_a_published_version_read_only(client, ada, published, standard, tariq):
    draft = services.version_create_draft(standard=standard, by=tariq, text_en="d", change="minor")
    before = snapshot(StandardVersion, published.pk)
    client.force_login(ada)
    change_url = f"/admin/training/standardversion/{published.pk}/change/"

    page = client.get(change_url)
    assert 'name="_save"' not in page.content.decode()
    posted = client.post(change_url, {"text_en": "Changed", "change": "minor"})
    delete_page = client.get(f"/admin/training/standardversion/{published.pk}/delete/")
    deleted = client.post(
        f"/admin/training/standardversion/{published.pk}/delete/", {"post": "yes"}
    )
    bulk = client.post(
        "/admin/training/standardversion/",
        {"action": "delete_selected", "_selected_action": [published.pk, draft.pk], "post": "yes"},
    )

    assert page.status_code == 200
    assert 'name="text_en"' not in page.content.decode()
    assert posted.status_code == 403
    assert (delete_page.status_code, deleted.status_code) == (403, 403)
    assert bulk.status_code == 403  # the published version may not be deleted: nothing is
    assert snapshot(StandardVersion, published.pk) == before
    assert StandardVersion.objects.filter(pk=draft.pk).exists()


def test_the_model_and_services_refuse_to_change_a_published_version(tariq, published):
    published.text_en = "Changed"
    with pytest.raises(Immutable):
        published.save()
    with pytest.raises(Immutable):
        published.delete()
    with pytest.raises(Immutable):
        StandardVersion.objects.filter(pk=published.pk).update(text_en="Changed")
    with pytest.raises(Immutable):
        StandardVersion.objects.filter(pk=published.pk).delete()
    with pytest.raises(Immutable):
        VersionAnswer.objects.create(version=published, insight_id=1)
    with pytest.raises(Conflict):
        services.version_update(version=published, by=tariq, text_en="Changed")
    with pytest.raises(Conflict):
        services.version_publish(version=published, by=tariq)
    assert StandardVersion.objects.get(pk=published.pk).text_en != "Changed"


# --- acknowledgements -----------------------------------------------------------------------
@pytest.fixture
def ack(standard, tariq, alice, published):
    acknowledgement, created = services.acknowledge(
        user=alice, standard=standard, version_number=1, language="ar"
    )
    assert created
    return acknowledgement


def test_the_api_has_no_way_to_change_or_delete_an_acknowledgement(api, alice, ada, ack):
    before = snapshot(Acknowledgement, ack.pk)
    url = f"{ACKS}{ack.pk}/"
    for user in (alice, ada):
        client = api(user)
        assert client.get(url).status_code == 200
        assert client.put(url, {"language": "en"}, format="json").status_code == 405
        assert client.patch(url, {"language": "en"}, format="json").status_code == 405
        assert client.delete(url).status_code == 405
    # Acknowledging again returns the first acknowledgement, unchanged
    again = api(alice).post(
        ACKS, {"standard": "STD-GREET-01", "version": 1, "language": "en"}, format="json"
    )
    assert again.status_code == 200
    assert again.json()["id"] == ack.pk
    assert Acknowledgement.objects.count() == 1
    assert snapshot(Acknowledgement, ack.pk) == before


def test_the_pages_and_the_admin_cannot_change_or_delete_an_acknowledgement(
    client, alice, ada, ack
):
    before = snapshot(Acknowledgement, ack.pk)
    client.force_login(alice)
    client.post("/training/standards/STD-GREET-01/acknowledge/", {"version": "1", "language": "en"})

    client.force_login(ada)
    base = f"/admin/training/acknowledgement/{ack.pk}"
    page = client.get(f"{base}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="language"' not in html and 'name="_save"' not in html
    assert client.post(f"{base}/change/", {"language": "en"}).status_code == 403
    assert client.get(f"{base}/delete/").status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/training/acknowledgement/add/").status_code == 403
    listing = client.post(
        "/admin/training/acknowledgement/",
        {"action": "delete_selected", "_selected_action": [ack.pk], "post": "yes"},
    )
    assert listing.status_code == 200  # no such action here: the list again, nothing done
    assert snapshot(Acknowledgement, ack.pk) == before


def test_the_model_refuses_to_change_or_delete_an_acknowledgement(alice, ack):
    ack.language = "en"
    with pytest.raises(Immutable):
        ack.save()
    with pytest.raises(Immutable):
        ack.delete()
    with pytest.raises(Immutable):
        Acknowledgement.objects.filter(pk=ack.pk).update(language="en")
    with pytest.raises(Immutable):
        Acknowledgement.objects.all().delete()
    # and the person it records cannot be deleted from under it
    with pytest.raises(ProtectedError):
        alice.delete()
    assert Acknowledgement.objects.get(pk=ack.pk).language == "ar"

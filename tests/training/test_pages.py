"""The training pages, as trainers, managers and frontline staff use them, in English
and Arabic; Markdown from trainers is shown sanitised."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.html import ARABIC, foreign_urls
from tests.training.conftest import QUESTIONS, publish, right_answers
from training import services
from training.models import Assignment, AssignmentRule, Module, Standard, StandardVersion

pytestmark = pytest.mark.django_db


def in_arabic(user) -> None:
    from portal.services import user_update

    user_update(user=user, language="ar")


def _due(days=7):
    return timezone.localdate() + datetime.timedelta(days=days)


def test_a_trainer_writes_previews_and_publishes_a_standard_on_the_pages(client, tariq, org, alice):
    client.force_login(tariq)

    created = client.post(
        "/training/standards/new/",
        {"code": "STD-CONS-01", "title_en": "Consistency", "title_ar": "الاتساق"},
    )
    assert created.status_code == 302 and created["Location"].endswith("/versions/new/")

    # The editor previews both languages, sanitised, without saving
    preview = client.post(
        "/training/standards/STD-CONS-01/versions/new/",
        {
            "text_en": "**Same** answer <script>alert(1)</script>",
            "text_ar": "الإجابة **نفسها**",
            "change": "major",
            "effective_date": timezone.localdate().isoformat(),
            "preview": "1",
        },
    )
    html = preview.content.decode()
    assert "<strong>Same</strong>" in html and "<strong>نفسها</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert not StandardVersion.objects.exists()
    live = client.post("/training/preview/", {"language": "ar", "text_ar": "# عنوان"})
    assert (
        live.content.decode()
        .strip()
        .startswith('<div class="markdown-preview" lang="ar" dir="rtl">')
    )
    assert "<h2>عنوان</h2>" in live.content.decode()

    saved = client.post(
        "/training/standards/STD-CONS-01/versions/new/",
        {
            "text_en": "Same answer everywhere.",
            "text_ar": "الإجابة نفسها في كل مكان.",
            "change": "major",
            "effective_date": timezone.localdate().isoformat(),
            "answers_insights": "",
        },
    )
    assert saved.status_code == 302
    confirm = client.get("/training/standards/STD-CONS-01/versions/1/publish/").content.decode()
    assert "This is the first version: nobody has to re-train." in confirm
    published = client.post("/training/standards/STD-CONS-01/versions/1/publish/")
    assert published.status_code == 302
    assert StandardVersion.objects.get().is_published


def test_the_publish_page_says_who_will_have_to_re_train(
    client, tariq, standard, module, alice, bob
):
    publish(standard, tariq)
    services.version_create_draft(
        standard=standard, by=tariq, text_en="v2", text_ar="٢", change="major"
    )
    client.force_login(tariq)

    english = client.get("/training/standards/STD-GREET-01/versions/2/publish/")
    in_arabic(tariq)
    page = client.get("/training/standards/STD-GREET-01/versions/2/publish/")

    assert "سيعيد شخصان التدريب والإقرار به." in page.content.decode()
    assert "2 people will have to re-train and acknowledge it again." in english.content.decode()
    assert "Greeting customers" in english.content.decode()
    client.post("/training/standards/STD-GREET-01/versions/2/publish/")
    assert Assignment.objects.filter(reason="revision").count() == 2


def test_the_diff_page_shows_two_versions_side_by_side(client, alice, tariq, standard):
    publish(standard, tariq, text_en="Greet.\nSmile.", text_ar="رحّب.")
    publish(standard, tariq, change="minor", text_en="Greet.\nSmile warmly.", text_ar="رحّب بحرارة.")
    client.force_login(alice)

    html = client.get("/training/standards/STD-GREET-01/diff/?from=1&to=2").content.decode()

    assert re.search(
        r'<tr class="diff-replace">\s*<td>.*Smile\.</td>\s*<td>.*Smile warmly\.</td>', html
    )
    assert 'dir="rtl"' in html and "رحّب بحرارة." in html


def test_the_module_builder_adds_edits_and_removes_questions(client, tariq, standard):
    client.force_login(tariq)
    created = client.post(
        "/training/modules/new/",
        {
            "code": "MOD-NEW",
            "title_en": "New",
            "title_ar": "جديد",
            "standards": ["STD-GREET-01"],
            "minutes": 10,
            "pass_mark": 80,
            "max_attempts": 3,
        },
    )
    assert created.status_code == 302
    question = {
        "kind": "single",
        "text_en": "Which?",
        "text_ar": "أيّها؟",
        "choice_1_en": "This",
        "choice_1_ar": "هذا",
        "choice_1_correct": "on",
        "choice_2_en": "That",
        "choice_2_ar": "ذاك",
    }
    added = client.post("/training/modules/MOD-NEW/questions/new/", question)
    refused = client.post(
        "/training/modules/MOD-NEW/questions/new/", {**question, "choice_2_correct": "on"}
    )
    module = Module.objects.get(code="MOD-NEW")
    [saved] = module.questions.all()
    edited = client.post(
        f"/training/modules/MOD-NEW/questions/{saved.pk}/", {**question, "text_en": "Which one?"}
    )

    assert added.status_code == 302
    assert refused.status_code == 400
    assert "A single-choice question has exactly one right answer." in refused.content.decode()
    assert edited.status_code == 302
    module.refresh_from_db()
    assert [q.text_en for q in module.questions.all()] == ["Which one?"]
    assert module.revision == 3  # created, then two changes
    page = client.get("/training/modules/MOD-NEW/").content.decode()
    assert "✓" in page and "Which one?" in page
    client.post(f"/training/modules/MOD-NEW/questions/{saved.pk}/delete/")
    assert not module.questions.exists()


def test_the_assign_page_says_how_many_are_new_and_already_open(client, tariq, module, alice):
    client.force_login(tariq)
    form = {"module": "MOD-GREET", "due_date": _due().isoformat(), "team": "RUH-01-TELLER"}

    first = client.post("/training/assign/", form).content.decode()
    in_arabic(tariq)
    second = client.post("/training/assign/", form).content.decode()
    refused = client.post("/training/assign/", {**form, "role": "trainer"})

    assert "1 new assignment · 0 already open" in first
    assert "لا تكليفات جديدة · واحد مفتوح من قبل" in second
    assert refused.status_code == 400
    assert Assignment.objects.count() == 1


def test_the_rules_page_makes_and_removes_rules(client, tariq, module, alice):
    client.force_login(tariq)

    made = client.post(
        "/training/rules/", {"module": "MOD-GREET", "team": "RUH-01-TELLER", "due_in_days": 14}
    )
    page = client.get("/training/rules/").content.decode()

    assert made.status_code == 302
    assert AssignmentRule.objects.count() == 1 and Assignment.objects.get().reason == "team"
    assert "MOD-GREET" in page
    client.post(f"/training/rules/{AssignmentRule.objects.get().pk}/delete/")
    assert not AssignmentRule.objects.exists() and Assignment.objects.exists()


@pytest.fixture
def compliance_data(tariq, standard, module, alice, bob):
    publish(standard, tariq)
    services.assign(module=module, due_date=_due(), by=tariq, users=[alice, bob])
    attempt, _created = services.attempt_start(
        assignment=module.assignments.get(user=alice), by=alice
    )
    services.attempt_submit(attempt=attempt, by=alice, answers=right_answers(attempt.pk))
    services.acknowledge(user=alice, standard=standard, version_number=1, language="en")


def test_the_heatmap_has_counts_and_opens_on_the_people(client, tariq, mona, compliance_data):
    client.force_login(tariq)

    html = client.get("/training/compliance/").content.decode()
    in_arabic(tariq)
    by_location = client.get("/training/compliance/?rows=location")

    assert re.search(r'class="heat heat-4".*?<strong>100%</strong><span>1/1</span>', html, re.S)
    assert re.search(r'class="heat heat-0".*?<strong>0%</strong><span>0/1</span>', html, re.S)
    link = "/training/compliance/people/?team=RUH-01-TELLER&amp;standard=STD-GREET-01"
    assert link in html
    assert "Olaya" not in by_location.content.decode() and ARABIC.search(
        by_location.content.decode()
    )
    assert foreign_urls(html) == []
    # the manager sees her scope only
    client.force_login(mona)
    scoped = client.get("/training/compliance/").content.decode()
    assert "RUH-01-TELLER" in scoped and "JED-01-TELLER" not in scoped


def test_the_people_page_shows_each_persons_status(client, mona, compliance_data):
    client.force_login(mona)

    html = client.get("/training/compliance/people/?standard=STD-GREET-01").content.decode()
    in_arabic(mona)
    arabic = client.get("/training/compliance/people/").content.decode()
    searched = client.get("/training/compliance/people/?q=nobody").content.decode()
    bad_date = client.get("/training/compliance/people/?as_of=2999-01-01")

    assert "Alice Anwar" in html and "✓ Compliant" in html
    assert "Bob" not in html  # not in her scope
    assert "✓ ممتثل" in arabic
    assert "لا يوجد أحد لعرضه." in searched
    assert bad_date.status_code == 400


def test_my_training_and_the_home_panel(client, alice, tariq, standard, module):
    week_ago = timezone.now() - datetime.timedelta(days=7)
    alice.date_joined = week_ago
    alice.save(update_fields=["date_joined"])
    publish(standard, tariq, now=week_ago)
    services.assign(module=module, due_date=_due(-2), by=tariq, users=[alice], now=week_ago)
    client.force_login(alice)

    home = client.get("/").content.decode()
    in_arabic(alice)
    mine = client.get("/training/").content.decode()

    assert "My training" in home and "Greeting customers" in home
    assert "Overdue since" in home
    assert "Standards to acknowledge" in home
    assert "الترحيب بالعملاء" in mine and "اقرأ الإصدار 1 وأقِرّ به" in mine


def test_my_training_lists_overdue_training_first_then_by_due_date(client, alice, tariq, module):
    week_ago = timezone.now() - datetime.timedelta(days=7)
    alice.date_joined = week_ago - datetime.timedelta(days=1)
    alice.save(update_fields=["date_joined"])
    later, overdue = (
        services.module_create(by=tariq, code=code, title_en=title, title_ar=title)
        for code, title in (("MOD-LATER", "Later module"), ("MOD-LATE", "Late module"))
    )
    # assigned in this order: the one due soonest last, the overdue one a week ago
    services.assign(module=later, due_date=_due(20), by=tariq, users=[alice])
    services.assign(module=module, due_date=_due(3), by=tariq, users=[alice])
    services.assign(module=overdue, due_date=_due(-2), by=tariq, users=[alice], now=week_ago)
    client.force_login(alice)

    for url in ("/", "/training/"):
        html = client.get(url).content.decode()
        items = re.findall(r'<li class="training-item( is-overdue)?">\s*<a [^>]*>([^<]+)</a>', html)
        assert items == [
            (" is-overdue", "Late module"),
            ("", "Greeting customers"),
            ("", "Later module"),
        ], url


def test_trainer_markdown_is_sanitised_everywhere_it_is_shown(client, alice, tariq, org, branch):
    evil = '<img src=x onerror=alert(1)> [link](javascript:alert(2)) <a href="https://ok.example">ok</a>'
    standard = services.standard_create(
        by=tariq, code="STD-X", title_en="X", title_ar="س", channels=[branch]
    )
    org.team_ruh.channels.add(branch)
    publish(standard, tariq, text_en=evil, text_ar=evil)
    module = services.module_create(
        by=tariq,
        code="MOD-X",
        title_en="X",
        title_ar="س",
        content_en=evil,
        content_ar=evil,
        standards=[standard],
        questions=QUESTIONS,
    )
    services.assign(module=module, due_date=_due(), by=tariq, users=[alice])
    client.force_login(alice)

    for url in [
        "/training/standards/STD-X/",
        "/training/standards/STD-X/acknowledge/",
        "/training/standards/STD-X/versions/1/",
        f"/training/assignments/{Assignment.objects.get().pk}/",
    ]:
        html = client.get(url).content.decode()
        assert "onerror" not in html and "javascript:" not in html and "<img" not in html, url
        assert 'href="https://ok.example" rel="noopener noreferrer nofollow"' in html, url


def test_standards_are_listed_for_everyone_inactive_ones_for_trainers(
    client, alice, tariq, standard
):
    services.standard_update(standard=standard, by=tariq, is_active=False)
    client.force_login(alice)
    assert "STD-GREET-01" not in client.get("/training/standards/").content.decode()
    client.force_login(tariq)
    assert "STD-GREET-01" in client.get("/training/standards/").content.decode()
    assert Standard.objects.count() == 1

"""The demo's training: realistic bilingual standards and quizzes, two years of history
with a major revision that made everyone re-train, and each team's compliance on the
seeding day as ``portal.demo_truths`` plants it (the training-vs-CSAT truth)."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.demo_truths import team_compliance_target
from portal.models import Team
from tests.html import ARABIC
from training.compliance import compliance_as_of, team_compliance
from training.models import (
    Acknowledgement,
    Assignment,
    AssignmentRule,
    Attempt,
    Module,
    Standard,
    StandardVersion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(client):
    out = StringIO()
    call_command(
        "seed_demo", "--scale", "small", "--password", "demo-test-passphrase-7", stdout=out
    )
    return out.getvalue()


def test_the_demo_has_bilingual_standards_with_real_quizzes(seeded):
    standards = list(Standard.objects.prefetch_related("versions"))
    assert len(standards) >= 6
    for standard in standards:
        assert standard.title_en and ARABIC.search(standard.title_ar), standard.code
        for version in standard.versions.all():
            assert version.is_published
            assert len(version.text_en) > 100 and ARABIC.search(version.text_ar), standard.code
    for module in Module.objects.prefetch_related("questions__choices", "standards"):
        assert module.standards.exists()
        questions = list(module.questions.all())
        assert len(questions) >= 2, module.code
        for question in questions:
            assert ARABIC.search(question.text_ar) and question.explanation_en
            assert any(c.correct for c in question.choices.all())
    # The same seeding answers the checks below (seeding takes most of a minute).
    a_past_major_revision_made_everyone_covered_re_train()
    two_years_of_history_with_every_kind_of_record()
    each_teams_compliance_on_the_seeding_day_is_the_planted_truth()


def a_past_major_revision_made_everyone_covered_re_train():
    today = timezone.localdate()
    revised = StandardVersion.objects.get(standard__code="STD-PRIV-01", number=2)
    assert revised.is_major and revised.effective_date < today - datetime.timedelta(days=180)
    revisions = Assignment.objects.filter(reason="revision", module__code="MOD-PRIV")
    assert revisions.count() >= 50
    assert {a.created_at for a in revisions} == {revised.published_at}
    assert revisions.filter(status="passed").count() > revisions.count() / 2
    # and what people did before it is still there, untouched
    assert Attempt.objects.filter(
        module__code="MOD-PRIV", passed=True, submitted_at__lt=revised.published_at
    ).exists()
    assert Acknowledgement.objects.filter(version__standard__code="STD-PRIV-01", version__number=1)


def two_years_of_history_with_every_kind_of_record():
    today = timezone.localdate()
    first = Assignment.objects.order_by("created_at").first().created_at
    assert (today - timezone.localdate(first)).days >= 690
    reasons = set(Assignment.objects.values_list("reason", flat=True))
    assert {"team", "role", "revision", "recertification", "new_hire_rule", "manual"} <= reasons
    assert AssignmentRule.objects.exists()
    assert Attempt.objects.filter(passed=False).exists()
    assert Assignment.objects.filter(status="failed").exists()
    statuses = Counter(compliance_as_of(as_of=today).cells.values())
    assert {"compliant", "due", "overdue", "expired"} <= set(statuses), statuses
    # The demo's frontline user has training to do on the home page
    assert Assignment.objects.filter(user__username="frontline", status="open").exists()


def each_teams_compliance_on_the_seeding_day_is_the_planted_truth():
    today = timezone.localdate()
    result = team_compliance(as_of=today)
    teams = {t.pk: t for t in Team.objects.all()}

    assert len(result) >= 25
    for team_id, value in result.items():
        code = teams[team_id].code
        assert value.compliant == round(team_compliance_target(code) * value.members), code
    # and teams with enough people differ as the truth says they do
    shares = {teams[t].code: v.share for t, v in result.items() if v.members >= 2}
    assert max(shares.values()) - min(shares.values()) >= 0.5

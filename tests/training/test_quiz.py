"""The quiz: scored on the server, answers never sent before submitting (acceptance 3),
shuffled per attempt, and its attempt limit holds against two submissions at once
(acceptance 2, with threads on PostgreSQL)."""

import json
import threading

import pytest
from django.db import connection

from tests.conftest import api_client_for
from tests.training.conftest import ASSIGNMENTS, MODULES, in_days, right_answers, wrong_answers
from training import services
from training.models import Assignment, Attempt

SECRETS = ("correct", "explanation", "The standard says 10 seconds.", "ينص المعيار")


def assign(tariq, module, *people):
    services.assign(module=module, due_date=_due(), by=tariq, users=list(people))
    return [Assignment.objects.get(user=p, module=module, status="open") for p in people]


def _due():
    import datetime

    return datetime.date.fromisoformat(in_days(10))


def start(api, user, assignment) -> dict:
    response = api(user).post(f"{ASSIGNMENTS}{assignment.pk}/attempts/")
    assert response.status_code in (200, 201), response.content
    return response.json()


@pytest.mark.django_db
def test_staff_never_receive_answers_or_explanations_before_submitting(
    api, client, alice, tariq, module
):
    [assignment] = assign(tariq, module, alice)

    # The module as alice reads it, the attempt she starts, and the attempt read back
    module_json = api(alice).get(f"{MODULES}{module.code}/")
    listing = api(alice).get(MODULES)
    started = start(api, alice, assignment)
    attempt_json = api(alice).get(f"/api/v1/attempts/{started['id']}/")
    for response in (module_json, listing, attempt_json):
        assert response.status_code == 200
        body = json.dumps(response.json(), ensure_ascii=False)
        assert not any(secret in body for secret in SECRETS), body
    assert not any(s in json.dumps(started, ensure_ascii=False) for s in SECRETS)
    assert len(started["questions"]) == 3

    # and the pages: the player and the quiz, in English and in Arabic
    client.force_login(alice)
    for language in ("en", "ar"):
        for url in (
            f"/training/assignments/{assignment.pk}/",
            f"/training/attempts/{started['id']}/",
        ):
            html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert "quiz" in html.lower() or "اختبار" in html
            assert not any(secret in html for secret in SECRETS), (url, language)
            assert 'value="True"' not in html

    # The trainer, who wrote the quiz, does see the answers
    authored = api(tariq).get(f"{MODULES}{module.code}/").json()
    assert authored["questions"][0]["choices"][0]["correct"] is True


@pytest.mark.django_db
def test_after_submitting_the_result_carries_the_answers_and_explanations(
    api, alice, tariq, module
):
    [assignment] = assign(tariq, module, alice)
    attempt = start(api, alice, assignment)

    response = api(alice, "ar").post(
        f"/api/v1/attempts/{attempt['id']}/submit/",
        {"answers": right_answers(attempt["id"])},
        format="json",
    )

    assert response.status_code == 200
    result = response.json()
    assert (result["score"], result["passed"], result["attempts_left"]) == (100.0, True, 0)
    explanations = {q["explanation"] for q in result["questions"]}
    assert "ينص المعيار على عشر ثوانٍ." in explanations
    assert all(q["correct"] for q in result["questions"])


@pytest.mark.django_db
def test_questions_and_choices_are_shuffled_per_attempt(api, org, tariq, module):
    from tests.factories import make_user

    people = [make_user(f"learner{i}", team=org.team_ruh) for i in range(12)]
    assignments = assign(tariq, module, *people)

    orders = set()
    choice_orders = {}  # question id → the orders its choices were shown in
    for person, assignment in zip(people, assignments, strict=True):
        shown = start(api, person, assignment)["questions"]
        orders.add(tuple((q["id"], *(c["id"] for c in q["choices"])) for q in shown))
        for q in shown:
            choice_orders.setdefault(q["id"], set()).add(tuple(c["id"] for c in q["choices"]))
        assert {q["id"] for q in shown} == set(module.questions.values_list("pk", flat=True))
        # and the order shown is the order stored with the attempt
        stored = Attempt.objects.get(user=person).questions
        assert [q["id"] for q in stored] == [q["id"] for q in shown]

    # 3! question orders × 3! × 3! × 2 choice orders: twelve attempts all alike is
    # a chance of about 1 in 10^30.
    assert len(orders) > 1
    # and not only the questions: the choices within them too (shuffling the questions
    # alone would pass the check above). Every question's choices in the same order in
    # all twelve attempts is a chance of about 1 in 10^20.
    assert any(len(seen) > 1 for seen in choice_orders.values()), choice_orders


@pytest.mark.django_db
def test_answers_are_checked_and_scored_on_the_server(api, alice, tariq, module):
    [assignment] = assign(tariq, module, alice)
    attempt = start(api, alice, assignment)
    submit = f"/api/v1/attempts/{attempt['id']}/submit/"
    question = attempt["questions"][0]
    other = attempt["questions"][1]

    # choices of another question, a question not in the quiz, two answers to a single one
    for answers, message in [
        ({str(question["id"]): [other["choices"][0]["id"]]}, "not one of its choices"),
        ({"999999": [1]}, "not part of this quiz"),
        ({"abc": [1]}, "not part of this quiz"),
    ]:
        response = api(alice).post(submit, {"answers": answers}, format="json")
        assert response.status_code == 400, answers
        assert message in json.dumps(response.json()), response.json()
    assert not Attempt.objects.get(pk=attempt["id"]).is_submitted

    # a half-right submission scores a third (one of three questions right)
    answers = wrong_answers(attempt["id"])
    first = next(q for q in attempt["questions"])
    answers[str(first["id"])] = right_answers(attempt["id"])[str(first["id"])]
    response = api(alice).post(submit, {"answers": answers}, format="json")
    assert response.status_code == 200
    assert (response.json()["score"], response.json()["passed"]) == (33.33, False)


@pytest.mark.django_db
def test_a_submission_twice_or_by_someone_else_is_refused(api, alice, bob, mona, tariq, module):
    [assignment] = assign(tariq, module, alice)
    attempt = start(api, alice, assignment)
    submit = f"/api/v1/attempts/{attempt['id']}/submit/"
    answers = {"answers": wrong_answers(attempt["id"])}

    assert api(bob).post(submit, answers, format="json").status_code == 404
    assert api(mona).post(submit, answers, format="json").status_code == 403
    assert api(mona).post(f"{ASSIGNMENTS}{assignment.pk}/attempts/").status_code == 403
    assert api(alice).post(submit, answers, format="json").status_code == 200
    again = api(alice).post(submit, answers, format="json")
    assert again.status_code == 409
    assert "already been submitted" in again.json()["detail"]


# --- two submissions at once ----------------------------------------------------------------
def _race(calls) -> list:
    """Run the calls at the same moment in threads (each with its own connection)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# The race needs PostgreSQL's row locks (SQLite locks the whole file).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempts_open", [1, 2], ids=["same-attempt", "two-attempts"])
def test_two_submissions_at_the_attempt_limit_count_once(org, tariq, attempts_open):
    from tests.factories import make_user
    from tests.training.conftest import QUESTIONS

    layla = make_user("layla", team=org.team_ruh)
    module = services.module_create(
        by=tariq, code="MOD-RACE", title_en="R", title_ar="ر", max_attempts=2, questions=QUESTIONS
    )
    [assignment] = assign(tariq, module, layla)
    # Given one attempt failed: one left
    first, _created = services.attempt_start(assignment=assignment, by=layla)
    services.attempt_submit(attempt=first, by=layla, answers=wrong_answers(first.pk))
    last, _created = services.attempt_start(assignment=assignment, by=layla)
    targets = [last, last]
    if attempts_open == 2:
        # Two attempts open at once (as a client racing two starts might leave them)
        targets[1] = Attempt.objects.create(
            assignment=assignment,
            user=layla,
            module=module,
            module_revision=module.revision,
            number=3,
            questions=last.questions,
        )

    # When both are submitted at the same moment, through the API
    def submit(attempt):
        def call():
            client = api_client_for(layla)
            return client.post(
                f"/api/v1/attempts/{attempt.pk}/submit/",
                {"answers": wrong_answers(attempt.pk)},
                format="json",
            ).status_code

        return call

    codes = _race([submit(t) for t in targets])

    # Then exactly one is counted, the other refused
    assert sorted(codes) == [200, 409]
    assert Attempt.objects.filter(assignment=assignment, submitted_at__isnull=False).count() == 2
    assignment.refresh_from_db()
    assert assignment.status == "failed"

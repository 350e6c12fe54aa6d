"""Similar insights: the same sentence, however it is typed, finds the insight.

Arabic sentences are real customer reviews from ../shared/datasets/arabic-reviews
(read here, never copied into the repository); each is submitted as an insight,
then searched for with diacritics, other alef forms, ى/ي and ة/ه swapped and
tatweel added. English is searched with other case and punctuation.
"""

import csv
import re

import pytest

from feedback.text import insight_match_text, match_key, normalize
from tests.datasets import arabic_reviews_dir
from tests.feedback.conftest import INSIGHTS, detail_url

DATASETS = arabic_reviews_dir()
SIMILAR = f"{INSIGHTS}similar/"

FATHA, KASRA, DAMMA, SHADDA, SUKUN, TANWEEN = (
    "\u064e",
    "\u0650",
    "\u064f",
    "\u0651",
    "\u0652",
    "\u064b",
)
TATWEEL = "\u0640"
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _suitable(text: str) -> bool:
    words = text.split()
    return (
        40 <= len(text) <= 160
        and not re.search("[A-Za-z]", text)
        and any(w.startswith(("ا", "أ", "إ")) for w in words)
        and any(w.endswith(("ي", "ى")) for w in words)
        and any(w.endswith(("ه", "ة")) for w in words)
    )


def real_reviews(per_file: int = 3) -> list[str]:
    """The first few reviews of each file that contain every letter we vary."""
    assert DATASETS.is_dir(), f"the Arabic review datasets are missing: {DATASETS}"
    picked = []
    for name in ("RES1.csv", "PROD.csv"):
        found = 0
        with open(DATASETS / name, encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                text = " ".join(record["text"].split())
                if _suitable(text):
                    picked.append(text)
                    found += 1
                    if found == per_file:
                        break
        assert found == per_file, f"{name}: not enough suitable reviews"
    return picked


# --- how people retype the same sentence ---------------------------------------------------
def with_diacritics(text: str) -> str:
    marks = [FATHA, KASRA, DAMMA, SHADDA + FATHA, SUKUN, TANWEEN]
    out, n = [], 0
    for char in text:
        out.append(char)
        if ARABIC_LETTER.match(char):
            out.append(marks[n % len(marks)])
            n += 1
    return "".join(out)


def with_other_alef_forms(text: str) -> str:
    forms = ["أ", "إ", "آ"]
    words = []
    for i, word in enumerate(text.split(" ")):
        if word.startswith("ا"):
            word = forms[i % 3] + word[1:]
        elif word.startswith(("أ", "إ", "آ")):
            word = "ا" + word[1:]
        words.append(word)
    return " ".join(words)


def _swap_final(text: str, pairs: dict[str, str]) -> str:
    return re.sub(r"(\S)(?=\s|$)", lambda m: pairs.get(m.group(1), m.group(1)), text)


def with_ya_swapped(text: str) -> str:
    return _swap_final(text, {"ي": "ى", "ى": "ي"})


def with_ta_marbuta_swapped(text: str) -> str:
    return _swap_final(text, {"ه": "ة", "ة": "ه"})


def with_tatweel(text: str) -> str:
    return " ".join(
        w[:2] + TATWEEL * 3 + w[2:] if len(w) > 3 and ARABIC_LETTER.match(w[1]) else w
        for w in text.split(" ")
    )


def all_at_once(text: str) -> str:
    return with_diacritics(
        with_tatweel(with_ta_marbuta_swapped(with_ya_swapped(with_other_alef_forms(text))))
    )


VARIANTS = {
    "diacritics": with_diacritics,
    "alef-forms": with_other_alef_forms,
    "alef-maqsura-ya": with_ya_swapped,
    "ta-marbuta-ha": with_ta_marbuta_swapped,
    "tatweel": with_tatweel,
    "all-at-once": all_at_once,
}


# --- normalize, directly -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُدَّةُ الانْتِظَارِ", "مده الانتظار"),
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        ("مستشفى على", "مستشفي علي"),
        ("الفاتورة", "الفاتوره"),
        ("طويـــــل", "طويل"),
        ("سؤال مسئول", "سوال مسيول"),
        ("٣ ساعات و۴ دقائق", "3 ساعات و4 دقايق"),
        ("ﻻ", "لا"),
        ("رائع جداً 👍👍", "رايع جدا"),
        ("Hello, WORLD!!  The Card-Machine...", "hello world the card machine"),
        ("Straße", "strasse"),
        ("snake_case\tand\nlines ", "snake case and lines"),
        ("", ""),
        ("!!! ...", ""),
    ],
    ids=[
        "diacritics-and-shadda",
        "alef-forms",
        "alef-maqsura",
        "ta-marbuta",
        "tatweel",
        "hamza-on-waw-and-ya",
        "arabic-indic-digits",
        "lam-alef-ligature",
        "tanween-and-emoji",
        "english-case-and-punctuation",
        "casefold",
        "underscores-and-whitespace",
        "empty",
        "punctuation-only",
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_handles_none():
    assert normalize(None) == ""


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_of_a_real_review_normalises_to_the_same_text(variant):
    for review in real_reviews():
        varied = VARIANTS[variant](review)
        assert varied != review  # the variant really is typed differently
        assert normalize(varied) == normalize(review)
        assert normalize(normalize(review)) == normalize(review)


def test_the_match_key_is_capped_at_a_word_boundary():
    long = " ".join(["انتظار"] * 100)

    key = match_key(long)

    assert len(key) <= 300
    assert key.split() == ["انتظار"] * len(key.split())
    assert match_key("قصير") == "قصير"
    assert insight_match_text("Title", "Pain") == "title pain"


# --- similar search through the API --------------------------------------------------------
@pytest.fixture
def arabic_insights(submit, alice):
    """Each chosen review submitted as an open insight; review → id."""
    ids = {}
    for review in real_reviews():
        title = " ".join(review.split()[:6])
        ids[review] = submit(by=alice, title=title, pain_point=review, category="other")["id"]
    return ids


def _similar(client, text) -> list[dict]:
    response = client.get(SIMILAR, {"text": text})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_similar_finds_an_arabic_insight_typed_differently(api, bob, arabic_insights, variant):
    client = api(bob)
    for review, pk in arabic_insights.items():
        # when bob types the same sentence differently
        query = VARIANTS[variant](review)

        found = _similar(client, query)

        # then that insight comes first, as a perfect match: after normalising, the
        # sentence is exactly the one inside the insight (a near miss would score less)
        assert found, (variant, query)
        assert found[0]["id"] == pk, (variant, review, found)
        assert found[0]["score"] == 1.0, (variant, review, found)


@pytest.mark.django_db
def test_similar_finds_an_insight_stored_with_variants_from_the_plain_sentence(api, submit, bob):
    reviews = real_reviews()
    stored = {submit(title="ملاحظة", pain_point=all_at_once(r))["id"]: r for r in reviews}

    for pk, review in stored.items():
        best = _similar(api(bob), review)[0]
        assert (best["id"], best["score"]) == (pk, 1.0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "the card machine at counter 3 keeps freezing during payment",
        "THE CARD MACHINE AT COUNTER 3 KEEPS FREEZING DURING PAYMENT",
        "The card-machine, at counter #3, keeps freezing... during payment!!!",
        "card machine freezing",
    ],
    ids=["lower-case", "upper-case", "punctuation", "a-few-words"],
)
def test_similar_finds_an_english_insight_typed_differently(api, submit, bob, query):
    # given an English insight among others
    target = submit(
        title="Card machine at counter 3 keeps freezing",
        pain_point="The card machine at counter 3 keeps freezing during payment.",
    )
    submit(title="Parking is full", pain_point="No space for customers after 5pm.")
    submit(title="Website search broken", pain_point="Searching for a branch shows nothing.")

    found = _similar(api(bob), query)

    assert [item["id"] for item in found] == [target["id"]]
    assert found[0]["title"] == "Card machine at counter 3 keeps freezing"


@pytest.mark.django_db
def test_similar_answers_nothing_for_an_unrelated_text(api, submit, bob, arabic_insights):
    assert _similar(api(bob), "zzzz qqqq xxxx") == []
    assert _similar(api(bob), "ab") == []


@pytest.mark.django_db
@pytest.mark.parametrize("closed", ["implemented", "declined", "duplicate"])
def test_similar_leaves_out_closed_insights(api, submit, move, bob, closed):
    # given the same report twice, one of them now closed
    still_open = submit(title="Printer out of paper", pain_point="Receipts cannot be printed.")
    done = submit(title="Printer out of paper again", pain_point="Receipts cannot be printed.")
    path = {
        "implemented": ["accepted", "implemented"],
        "declined": ["declined"],
        "duplicate": ["duplicate"],
    }[closed]
    extra = {"duplicate_of": still_open["id"]} if closed == "duplicate" else {}
    move(done["id"], *path, **extra)

    found = _similar(api(bob), "printer out of paper receipts cannot be printed")

    assert [item["id"] for item in found] == [still_open["id"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "sees_it"),
    [("alice", True), ("mona", True), ("ada", True), ("bob", False), ("omar", False)],
)
def test_similar_leaves_out_insights_the_user_may_not_see(api, cast, submit, user, sees_it):
    # given a confidential insight by alice at RUH-01
    hidden = submit(
        title="Cash drawer short every Friday",
        pain_point="The cash drawer is short every Friday evening.",
        privacy="confidential",
    )

    found = _similar(api(cast[user]), "cash drawer short every friday")

    assert [item["id"] for item in found] == ([hidden["id"]] if sees_it else [])


@pytest.mark.django_db
def test_similar_results_carry_what_the_panel_shows(api, submit, bob):
    target = submit(title="Lift broken", pain_point="The lift to the first floor is broken.")
    api(bob).post(detail_url(target["id"], "endorse"))

    [found] = _similar(api(bob), "the lift to the first floor is broken")

    assert found["id"] == target["id"]
    assert found["endorsement_count"] == 1
    assert (found["status"], found["channel"], found["location"]) == ("new", "branch", "RUH-01")
    assert found["url"] == f"/insights/{target['id']}/"


@pytest.mark.django_db
def test_an_over_long_similar_query_is_refused(api, bob):
    response = api(bob).get(SIMILAR, {"text": "x" * 4001})

    assert response.status_code == 400
    assert "text" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "index"),
    [
        # Similar insights: nearest by trigram distance, off the GiST index.
        (
            "SELECT id FROM feedback_insight ORDER BY match_text <-> 'الانتظار' LIMIT 5",
            "insight_match_trgm_idx",
        ),
        # The `q` filter: every word anywhere in the text, off the GIN index.
        (
            "SELECT id FROM feedback_insight WHERE search_text LIKE '%الانتظار%'",
            "insight_search_trgm_idx",
        ),
    ],
)
def test_text_searches_can_use_their_trigram_index(query, index):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes exist on PostgreSQL only")
    with connection.cursor() as cursor:
        # On a near-empty table the planner prefers a scan; forbid it to see the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + query)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan

"""The Arabic catalog is complete: every translatable string in the code has Arabic."""

import re
import shutil
import subprocess
import sys

from django.conf import settings

CATALOG = "portal/locale/ar/LC_MESSAGES/django.po"
APPS = ["portal", "feedback", "training"]


def statistics(po_file) -> dict[str, int]:
    """Translated, fuzzy and untranslated message counts, as msgfmt reports them."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


def test_every_message_in_the_arabic_catalog_is_translated():
    counts = statistics(settings.BASE_DIR / CATALOG)

    assert counts["translated"] > 100
    assert (counts["fuzzy"], counts["untranslated"]) == (0, 0), counts


def test_the_arabic_catalog_covers_every_string_in_the_code(tmp_path):
    # Given a copy of the code and its catalog (makemessages rewrites the catalog it finds)
    for app in APPS:
        shutil.copytree(
            settings.BASE_DIR / app,
            tmp_path / app,
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"),
        )
    shutil.copy(settings.BASE_DIR / "manage.py", tmp_path)

    # When the strings are extracted from the code again
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # Then nothing new needs translating
    assert result.returncode == 0, result.stderr
    counts = statistics(tmp_path / CATALOG)
    assert (counts["fuzzy"], counts["untranslated"]) == (0, 0), (
        "strings without Arabic: run makemessages -l ar and translate them",
        counts,
    )

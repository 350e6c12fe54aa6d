"""Normalising Arabic and English text for matching.

Arabic is written with optional diacritics, decorative tatweel and several
interchangeable letter forms; people type ``مدة الانتظار`` as often as
``مُدَّه الإنتظار``. Matching compares the normalised forms.
"""

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        # Arabic-Indic and Eastern Arabic-Indic digits read as ASCII digits.
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize(text: str) -> str:
    """Lower-case, unify Arabic letter forms, drop diacritics, tatweel and punctuation."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTERS).casefold()
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


def insight_search_text(title: str, pain_point: str, suggested_fix: str = "") -> str:
    return normalize(" ".join(part for part in (title, pain_point, suggested_fix) if part))


def match_key(text: str, limit: int = 300) -> str:
    """The normalised start of ``text``, cut at a word boundary, for similarity."""
    normalised = normalize(text)
    if len(normalised) <= limit:
        return normalised
    return normalised[:limit].rsplit(" ", 1)[0]


def insight_match_text(title: str, pain_point: str) -> str:
    return match_key(f"{title} {pain_point}")


_ARABIC_LETTER = re.compile("[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufefc]")
_LATIN_LETTER = re.compile("[A-Za-z]")


def guess_language(text: str) -> str:
    """``ar`` or ``en`` by which script most of the letters are in; ``""`` with no letters."""
    if not text:
        return ""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if not arabic and not latin:
        return ""
    return "ar" if arabic >= latin else "en"

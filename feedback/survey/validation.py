"""Checking one survey row: every field, the codes it names, the importer's scope.

One :class:`RowValidator` serves a whole import: it reads the code tables once and
then checks rows in plain Python, without a query per row.
"""

import datetime
import re

from django.utils import timezone

from feedback.metrics import SCORE_RANGES
from feedback.models import COMMENT_MAX, EXTERNAL_ID_MAX, SOURCE_MAX, Category
from feedback.survey.errors import RowError
from feedback.survey.readers import COLUMNS
from feedback.text import guess_language, match_key
from portal.models import Channel, Location, Team
from portal.selectors import manager_location_ids
from portal.text import clean_text

SOURCE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_.-]*")
INTEGER = re.compile(r"\s*[+-]?\d+\s*")
INTEGRAL_DECIMAL = re.compile(r"\s*([+-]?\d+)\.0*\s*")
# Unpaired surrogates (from JSON, or our marks for undecodable bytes): no UTF-8
# database holds them. Control characters are cleaned away instead (portal.text).
UNSTORABLE = re.compile("[\ud800-\udfff]")
MARKED = re.compile("[\udc00-\udcff]")
LANGUAGES = ("ar", "en")

# What a staged row holds, in this order (feedback.survey.staging).
STAGED = (
    "line",
    "valid",
    "source",
    "external_id",
    "metric",
    "score",
    "responded_at",
    "channel_id",
    "location_id",
    "team_id",
    "category_id",
    "comment",
    "language",
    "comment_match",
)


def _as_text(value) -> str | None:
    """A cell as text; ``None`` when it is not text or a number (a JSON list, true…)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return None


def _codes(model) -> dict[str, int]:
    return {code.lower(): pk for pk, code in model.objects.values_list("pk", "code")}


class RowValidator:
    """Turns ``(line, values, errors)`` from a reader into a staged row, adding to
    ``errors`` whatever is wrong with it."""

    def __init__(
        self,
        *,
        by=None,
        default_source: str = "",
        encoding: str | None = None,
        texts_only: bool = False,
    ):
        self.zone = timezone.get_default_timezone()
        self.now = timezone.now()
        self.channels = _codes(Channel)
        self.locations = _codes(Location)
        self.categories = _codes(Category)
        self.teams = {
            code.lower(): (pk, location_id)
            for pk, code, location_id in Team.objects.values_list("pk", "code", "location_id")
        }
        ids = None if by is None else manager_location_ids(by)
        self.scope = None if ids is None else set(ids)
        self.default_source = (default_source or "").strip().lower()
        # The encoding a file was read with: lone surrogates there are undecodable bytes.
        self.encoding = encoding
        # Whether every value is text (a CSV reader's rows are).
        self.texts_only = texts_only
        # Most files repeat a handful of sources and metric spellings: checked once each.
        self._sources: dict[str, tuple] = {}
        self._metrics = {m: m for m in SCORE_RANGES} | {m.upper(): m for m in SCORE_RANGES}

    def __call__(self, line: int, values: list | None, errors: list[RowError]) -> tuple:
        if values is None:
            return (line, False, *(None,) * (len(STAGED) - 2))
        before = len(errors)
        texts = self._texts(line, values, errors)
        source, external_id, metric, score, responded_at = texts[:5]
        channel, location, team, category, comment, language = texts[5:]

        source = self._source(line, source, errors)
        if external_id is not None:
            external_id = clean_text(external_id)
            if not external_id:
                errors.append(RowError(line, "external_id", "required"))
            elif len(external_id) > EXTERNAL_ID_MAX:
                errors.append(
                    RowError(
                        line,
                        "external_id",
                        "too_long",
                        {"max": EXTERNAL_ID_MAX, "length": len(external_id)},
                    )
                )
        key_source, key_id = source or None, external_id or None

        if metric is not None:
            metric = self._metrics.get(metric) or metric.strip().lower()
            if metric not in SCORE_RANGES:
                if metric:
                    errors.append(RowError(line, "metric", "unknown_metric", {"value": metric}))
                else:
                    errors.append(RowError(line, "metric", "required"))
                metric = None
        score = self._score(line, score, metric, errors)
        when = self._when(line, responded_at, errors)
        channel_id = self._code(line, "channel", channel, self.channels, errors, required=True)
        location_id = self._location(line, location, errors)
        team_id = self._team(line, team, location, location_id, errors)
        category_id = self._code(line, "category", category, self.categories, errors)

        if comment:
            comment = clean_text(comment, multiline=True)
        if comment is not None and len(comment) > COMMENT_MAX:
            errors.append(
                RowError(line, "comment", "too_long", {"max": COMMENT_MAX, "length": len(comment)})
            )
        if language:
            language = language.strip().lower()
            if language and language not in LANGUAGES:
                errors.append(RowError(line, "language", "bad_language"))

        if len(errors) > before:
            return (line, False, key_source, key_id, *(None,) * (len(STAGED) - 4))
        return (
            line,
            True,
            source,
            external_id,
            metric,
            score,
            when,
            channel_id,
            location_id,
            team_id,
            category_id,
            comment,
            language or (guess_language(comment) if comment else ""),
            match_key(comment) if comment else "",
        )

    # --- fields -----------------------------------------------------------------------------
    def _texts(self, line: int, values: list, errors: list[RowError]) -> list:
        """The row's values as text (``responded_at`` as it came: it may be a date), each
        bad one reported and made ``None``."""
        # CSV (all text), and most JSON: one search over the row finds what cannot be stored.
        if (self.texts_only or all(value.__class__ is str for value in values)) and (
            not UNSTORABLE.search("".join(values))
        ):
            return values
        return [
            value if name == "responded_at" else self._text(line, name, value, errors)
            for name, value in zip(COLUMNS, values, strict=True)
        ]

    def _source(self, line: int, value: str | None, errors: list[RowError]) -> str | None:
        if value is None:
            return None
        known = self._sources.get(value)
        if known is None:
            source = value.strip().lower() or self.default_source
            code = None
            if not source:
                code, params = "required", {}
            elif len(source) > SOURCE_MAX:
                code, params = "too_long", {"max": SOURCE_MAX, "length": len(source)}
            elif not SOURCE_PATTERN.fullmatch(source):
                code, params = "bad_source", {}
            known = (source, (code, params) if code else None)
            if len(self._sources) < 1000:
                self._sources[value] = known
        source, problem = known
        if problem:
            errors.append(RowError(line, "source", problem[0], problem[1]))
        return source

    def _text(self, line: int, name: str, value, errors: list[RowError]) -> str | None:
        text = _as_text(value)
        if text is None:
            errors.append(RowError(line, name, "not_text"))
            return None
        if UNSTORABLE.search(text):
            if self.encoding and MARKED.search(text):
                errors.append(RowError(line, name, "undecodable", {"encoding": self.encoding}))
            else:
                errors.append(RowError(line, name, "unstorable"))
            return None
        return text

    def _score(self, line: int, value: str | None, metric: str | None, errors) -> int | None:
        if value is None:
            return None
        if not value.strip():
            errors.append(RowError(line, "score", "required"))
            return None
        if INTEGER.fullmatch(value):
            number = int(value)
        elif match := INTEGRAL_DECIMAL.fullmatch(value):
            number = int(match.group(1))
        else:
            errors.append(RowError(line, "score", "not_integer", {"value": value.strip()[:50]}))
            return None
        if metric is not None:
            low, high = SCORE_RANGES[metric]
            if not low <= number <= high:
                errors.append(
                    RowError(
                        line,
                        "score",
                        "out_of_range",
                        {"metric": metric.upper(), "low": low, "high": high, "value": number},
                    )
                )
                return None
        return number

    def _when(self, line: int, value, errors) -> datetime.datetime | None:
        if isinstance(value, datetime.datetime):
            when = value
        elif isinstance(value, datetime.date):
            when = datetime.datetime.combine(value, datetime.time())
        else:
            text = _as_text(value)
            if text is None or UNSTORABLE.search(text):
                errors.append(
                    RowError(
                        line,
                        "responded_at",
                        "undecodable" if self.encoding and text else "not_text",
                        {"encoding": self.encoding},
                    )
                )
                return None
            text = text.strip()
            if not text:
                errors.append(RowError(line, "responded_at", "required"))
                return None
            try:
                when = datetime.datetime.fromisoformat(text)
            except ValueError:
                errors.append(RowError(line, "responded_at", "bad_datetime", {"value": text[:50]}))
                return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.zone)
        if when > self.now:
            errors.append(RowError(line, "responded_at", "future"))
            return None
        return when

    def _code(self, line, name, value, table, errors, *, required=False) -> int | None:
        if value is None:
            return None
        code = value.strip()
        if not code:
            if required:
                errors.append(RowError(line, name, "required"))
            return None
        pk = table.get(code.lower())
        if pk is None:
            errors.append(RowError(line, name, "unknown_code", {"what": name, "value": code[:50]}))
        return pk

    def _location(self, line, value, errors) -> int | None:
        pk = self._code(line, "location", value, self.locations, errors, required=True)
        if pk is not None and self.scope is not None and pk not in self.scope:
            errors.append(RowError(line, "location", "out_of_scope", {"value": value.strip()}))
            return None
        return pk

    def _team(self, line, value, location, location_id, errors) -> int | None:
        if value is None or not value.strip():
            return None
        found = self.teams.get(value.strip().lower())
        if found is None:
            errors.append(
                RowError(
                    line, "team", "unknown_code", {"what": "team", "value": value.strip()[:50]}
                )
            )
            return None
        pk, team_location = found
        if location_id is not None and team_location != location_id:
            errors.append(
                RowError(
                    line,
                    "team",
                    "team_elsewhere",
                    {"value": value.strip(), "location": location.strip()},
                )
            )
            return None
        return pk

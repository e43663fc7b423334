"""Reading a survey answer from the customer's reply. Pure functions.

Customers answer in many ways: "9", "8/10", "4 out of 5", "nine", "⭐⭐⭐⭐", "😀", a quick-reply button
(payload `heard-survey:<survey id>:<score>`, `button_payload`; the older `HEARD_SURVEY_<n>` is still read). The answer is the score on the survey's own scale (CSAT 1-5, NPS 0-10), or
None when the message is not an answer: a reply that says more than a score ("2 weeks and still
waiting") is a new message about the problem, and must reach a person instead.
"""

from __future__ import annotations

import re
import unicodedata

from shared.models.survey import SurveyKind

PAYLOAD_PREFIX = "HEARD_SURVEY_"
BUTTON_PREFIX = "heard-survey:"
# Telegram's callback_data holds 64 bytes: the prefix, a survey id (shared.ids.stable_id) and 0-10 fit.
_BUTTON = re.compile(r"heard-survey:([a-z0-9]{8,40}):(\d{1,2})")
MAX_ANSWER_CHARS = 60  # longer messages say something else than a score

_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
# Faces and thumbs on the CSAT scale (1-5).
_FACES = {
    "😡": 1,
    "😠": 1,
    "🤬": 1,
    "👎": 1,
    "😞": 2,
    "🙁": 2,
    "☹": 2,
    "😕": 2,
    "😐": 3,
    "😶": 3,
    "🙂": 4,
    "😊": 4,
    "👍": 4,
    "😀": 5,
    "😃": 5,
    "😄": 5,
    "😁": 5,
    "😍": 5,
    "🤩": 5,
    "🥰": 5,
}
_STARS = ("⭐", "★", "🌟")
# Words that may stand around a score without making it a different message.
_COURTESY = frozenset(
    [
        "thanks",
        "thank",
        "you",
        "thx",
        "ty",
        "cheers",
        "great",
        "good",
        "very",
        "excellent",
        "awesome",
        "perfect",
        "ok",
        "okay",
        "fine",
        "nice",
        "stars",
        "star",
        "points",
        "point",
        "pts",
        "score",
        "my",
        "is",
        "it",
        "a",
        "solid",
        "service",
        "job",
        "support",
        "experience",
        "work",
    ]
)
_NUMBER = r"(\d{1,2}|" + "|".join(_WORDS) + r")"
_SCORE = re.compile(
    rf"^{_NUMBER}(?:\s*(?:/|out of|of|from)\s*{_NUMBER})?(?P<rest>.*)$",
)


def button_payload(survey_id: str, score: int) -> str:
    """What a quick-answer button sends back: which survey, which score."""
    return f"{BUTTON_PREFIX}{survey_id}:{score}"


def is_button(payload: object) -> bool:
    """Whether a payload claims to be one of Heard's survey buttons (valid or not)."""
    return isinstance(payload, str) and payload.startswith(BUTTON_PREFIX)


def read_button(payload: str) -> tuple[str, int] | None:
    """(survey id, score) of a well-formed button payload; None for anything else (forged, truncated)."""
    match = _BUTTON.fullmatch(payload)
    if match is None:
        return None
    return match.group(1), int(match.group(2))


def scale(kind: SurveyKind) -> list[int]:
    """Every score of the survey's scale, lowest first: one button each."""
    return list(range(kind.lowest, kind.highest + 1))


def parse_answer(text: str, kind: SurveyKind, payload: str | None = None) -> int | None:
    """The score `text` (or a quick reply's `payload`) gives on `kind`'s scale, or None."""
    if payload and payload.startswith(PAYLOAD_PREFIX):
        return _in_scale(_int(payload[len(PAYLOAD_PREFIX) :]), kind)
    if is_button(payload):  # checked against the case's survey by surveys.button_refusal
        read = read_button(payload or "")
        return _in_scale(read[1], kind) if read else None
    cleaned = _clean(text)
    if not cleaned or len(cleaned) > MAX_ANSWER_CHARS:
        return None
    symbols = _symbols(cleaned, kind)
    if symbols is not None:
        return symbols
    return _number(cleaned, kind)


def _clean(text: str) -> str:
    # Variation selectors and skin tones change how an emoji looks, not what it says.
    kept = "".join(c for c in unicodedata.normalize("NFC", text) if not _is_modifier(c))
    return " ".join(kept.lower().split())


def _is_modifier(char: str) -> bool:
    return char in ("\ufe0f", "\ufe0e", "\u200d") or "\U0001f3fb" <= char <= "\U0001f3ff"


def _symbols(cleaned: str, kind: SurveyKind) -> int | None:
    """Stars (count, on 1-5) or one kind of face; None when the message is not made of them."""
    letters = [c for c in cleaned if not c.isspace() and c not in "!.,"]
    if not letters:
        return None
    if all(c in _STARS for c in letters):
        return _rescale(len(letters), 5, kind) if len(letters) <= 5 else None
    faces = {_FACES.get(c) for c in letters}
    if None in faces or len(faces) != 1:
        return None
    (score,) = faces
    assert score is not None
    return _rescale(score, 5, kind)


def _number(cleaned: str, kind: SurveyKind) -> int | None:
    match = _SCORE.match(cleaned)
    if match is None:
        return None
    if not _courtesy_only(match.group("rest")):
        return None
    value = _int(match.group(1))
    out_of = _int(match.group(2)) if match.group(2) else None
    if value is None:
        return None
    if out_of is None:
        # A bare 6-10 to a 1-5 CSAT is a score on the 0-10 scale customers know (NPS, reviews), never a
        # new message that would reopen the case.
        if kind is SurveyKind.CSAT and kind.highest < value <= 10:
            return _rescale(value, 10, kind)
        return _in_scale(value, kind)
    if out_of not in (5, 10) or value > out_of:
        return None
    return _rescale(value, out_of, kind)


def _courtesy_only(rest: str) -> bool:
    words = re.sub(r"[!.,:;)(\-–—~*\s]+", " ", rest).split()
    return all(w in _COURTESY or w in _STARS for w in words)


def _int(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _WORDS.get(token)


def _in_scale(value: int | None, kind: SurveyKind) -> int | None:
    if value is None or not kind.lowest <= value <= kind.highest:
        return None
    return value


def _rescale(value: int, out_of: int, kind: SurveyKind) -> int | None:
    """A score given on another scale ("8/10" for a CSAT, "4 stars" for an NPS), on the survey's."""
    if out_of == kind.highest:
        return _in_scale(value, kind)
    scaled = int(value / out_of * kind.highest + 0.5)  # half up: 9/10 is a 5 of 5
    return max(kind.lowest, min(kind.highest, scaled))

"""The cue gates are only a speed-up: a gated cue must find exactly what the bare pattern finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.triage import lexicon

ALL_CUES = [
    *lexicon.patterns().complaint,
    *lexicon.patterns().spam,
    lexicon.patterns().problem_noun,
    lexicon.patterns().question,
    lexicon.patterns().feedback,
    lexicon.patterns().troll,
    lexicon.patterns().misinformation,
    lexicon.patterns().resolution,
    lexicon.patterns().help_request,
    lexicon.patterns().complaint_question,
]
# Words the cue patterns are made of, so random sentences of them hit the patterns often.
VOCABULARY = sorted(
    {word for cue in ALL_CUES for word in re.findall(r"[a-zà-ÿ']{2,}", cue.pattern.pattern)}
    | {"my", "the", "a", "3", "hours", "order", "again", "still", "thanks", "@acme", "?", "!", "n't"}
)


def _ungated(cue: lexicon.Cue, lowered: str) -> bool:
    for match in cue.pattern.finditer(lowered):
        start = match.start()
        if (
            not cue.word_start
            or start == 0
            or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_")
        ):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12), glue=st.sampled_from([" ", "", "-"])
)
def test_gates_never_hide_a_match(words: list[str], glue: str) -> None:
    text = glue.join(words)
    for cue in ALL_CUES:
        assert cue.found(text) == _ungated(cue, text), cue.pattern.pattern


def test_gates_on_written_examples() -> None:
    samples = [
        "i've been waiting 3 hours on hold",
        "my parcel hasn't arrived and nobody has replied",
        "charged twice again!!",
        "the app keeps crashing since monday",
        "thanks for sorting my refund so fast",
        "so much for the express delivery",
        "mi pedido todavía no ha llegado",
        "meine bestellung ist immer noch nicht angekommen",
    ]
    for text in samples:
        for cue in ALL_CUES:
            assert cue.found(text) == _ungated(cue, text), (cue.pattern.pattern, text)
    assert any(cue.found(samples[0]) for cue in lexicon.patterns().complaint)

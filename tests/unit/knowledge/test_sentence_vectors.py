"""The sentence encoder reads meaning; an answer's vectors are embedded once, stored with it, and reused."""

from __future__ import annotations

import numpy as np
import pytest

from shared.encoder import sentence_encoder
from shared.models.knowledge import KnowledgeAnswer
from shared.retrieval import Suggester, pack_vectors, unpack_vectors

ANSWERS = [
    KnowledgeAnswer.seed(
        "a-card", "Card has not arrived", "Cards arrive within 5 days.", ["Where is my card?"]
    ),
    KnowledgeAnswer.seed("a-refund", "Refund for a return", "Refunds take 3 days.", ["Money back?"]),
    KnowledgeAnswer.seed("a-pin", "PIN blocked", "Unblock your PIN in the app.", ["My pin is blocked"]),
]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_a_paraphrase_without_shared_words_is_nearer_than_a_different_question():
    card, late, fee = sentence_encoder().embed(
        ["my card still hasn't come", "when will the new card be delivered", "why was I charged a fee"]
    )
    assert _cos(card, late) > _cos(card, fee) + 0.1
    assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-4 for v in (card, late, fee))


def test_batching_and_padding_do_not_change_a_vector():
    texts = ["hi", "where is my parcel, it was due on Monday and nobody answers the phone", "refund"]
    encoder = sentence_encoder()
    together = encoder.embed(texts)
    alone = np.vstack([encoder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert encoder.embed([]).shape == (0, encoder.dimensions)


def test_packed_vectors_are_used_only_for_the_same_texts_and_model():
    parts = ("Title\nbody", "an example")
    vectors = np.arange(2 * 384, dtype=np.float16).reshape(2, 384) / 1000
    packed = pack_vectors(parts, vectors)
    assert np.array_equal(unpack_vectors(parts, packed, 384), vectors)
    assert unpack_vectors(("Title\nbody", "another example"), packed, 384) is None  # the texts changed
    assert unpack_vectors(parts, packed.replace("all-MiniLM", "other"), 384) is None  # another model
    assert unpack_vectors(parts, "garbage", 384) is None and unpack_vectors(parts, None, 384) is None
    assert unpack_vectors(parts, packed, 256) is None  # another width


def test_a_load_embeds_only_what_it_has_no_vectors_for_and_hands_them_out_once():
    suggester = Suggester()
    suggester.load(ANSWERS, generation="1")
    fresh = dict((a.answer_id, v) for a, v in suggester.fresh_vectors())
    assert set(fresh) == {"a-card", "a-refund", "a-pin"}
    # the next load with the vectors stored on the answers embeds nothing
    stored = [a.model_copy(update={"vectors": fresh[a.answer_id]}) for a in ANSWERS]
    again = Suggester()
    again.load(stored, generation="1")
    assert again.fresh_vectors() == []
    assert again.rank("I still haven't received my card", 1)[0].answer_id == "a-card"
    # a changed answer is embedded again, the others are reused from this container's last load
    changed = [stored[0].model_copy(update={"examples": ["card not here yet"], "vectors": None}), *stored[1:]]
    again.load(changed, generation="2")
    assert [a.answer_id for a, _ in again.fresh_vectors()] == ["a-card"]


def test_stored_vectors_never_leave_in_a_dump():
    answer = ANSWERS[0].model_copy(update={"vectors": "x|y|z"})
    assert "vectors" not in answer.model_dump() and "vectors" not in answer.model_dump_json()


def test_a_load_past_its_budget_ranks_on_words_and_finishes_on_the_next_load(monkeypatch: pytest.MonkeyPatch):
    import shared.retrieval as retrieval

    suggester = Suggester(budget=1.0)
    ticks = iter(range(100))  # each look at the clock is 0.6 s later: one batch fits in the budget
    monkeypatch.setattr(retrieval.time, "monotonic", lambda: 0.6 * next(ticks))
    monkeypatch.setattr(retrieval, "EMBED_BATCH", 2)  # one answer (two parts) per batch
    suggester.load(ANSWERS, generation="7")
    assert len(suggester.fresh_vectors()) == 1 and suggester.generation is None  # not every vector yet
    assert suggester.rank("PIN blocked", 1)[0].answer_id == "a-pin"  # words still rank
    monkeypatch.setattr(retrieval.time, "monotonic", lambda: 0.0)
    suggester.load(ANSWERS, generation="7")
    assert len(suggester.fresh_vectors()) == 2 and suggester.generation == "7"

"""The pre-send check's rules (R13): each flag on its own, and replies that pass."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.rules.presend import check

COMPLAINT = "My parcel is two weeks late, this is ridiculous. Where is my order?"


def codes(reply: str, customer: str = COMPLAINT, **kw) -> set[str]:
    options = {
        "negative": True,
        "public": True,
        "private_reply": False,
        "sent_length": len(reply),
        "limit": None,
    }
    return {f.code for f in check(reply, customer, **{**options, **kw})}


def test_a_warm_complete_reply_passes():
    reply = "I'm sorry your order is late. Please DM us your order number and we'll chase the parcel today."
    assert codes(reply) == set()


def test_no_empathy_on_a_negative_post_is_flagged_but_not_on_a_neutral_one():
    reply = "Your parcel order is with the courier; it arrives tomorrow."
    assert codes(reply) == {"empathy"}
    assert codes(reply, negative=False) == set()


def test_ignoring_the_question_is_flagged():
    assert "question" in codes(
        "So sorry to hear that! Have a lovely day.", "Can I change my delivery address?"
    )
    assert "question" not in codes(
        "Sorry! Yes, you can change the delivery address in your account.",
        "Can I change my delivery address?",
    )


def test_a_promise_needs_a_next_step_or_time():
    assert "next_step" in codes("Sorry about the parcel order, we'll look into it.")
    assert "next_step" not in codes(
        "Sorry about the parcel order, we'll look into it and reply within 2 hours."
    )


def test_asking_for_personal_data_in_public_is_flagged_unless_moving_to_private():
    ask = "Sorry about the parcel order, please send us your email address and phone number today."
    assert "personal_data" in codes(ask)
    assert "personal_data" not in codes(ask + " Send it by DM.")
    assert "personal_data" not in codes(ask, private_reply=True)
    assert "personal_data" not in codes(ask, public=False)


def test_the_platform_length_is_checked_on_what_is_sent():
    reply = "Sorry about the parcel order; it arrives tomorrow."
    assert "length" in codes(reply, sent_length=300, limit=280)
    assert "length" not in codes(reply, sent_length=280, limit=280)


@given(st.text(max_size=400), st.text(max_size=400), st.booleans(), st.booleans())
def test_the_check_never_fails_on_any_text(reply, customer, negative, public):
    found = check(
        reply,
        customer,
        negative=negative,
        public=public,
        private_reply=False,
        sent_length=len(reply),
        limit=280,
    )
    assert all(f.code in {"empathy", "question", "next_step", "personal_data", "length"} for f in found)

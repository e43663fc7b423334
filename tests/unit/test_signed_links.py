"""Signed escalation links (issue #12): a genuine token reads back; any change, another key or the passing
of its expiry is refused with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.rules.signed_links import LinkClaims, LinkRefused, sign, verify

KEY = b"k" * 48
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
CLAIMS = LinkClaims("esc0abc", "c0123", "billing-lead", NOW + timedelta(days=7))


def test_a_genuine_link_reads_back_its_claims() -> None:
    assert verify(KEY, sign(KEY, CLAIMS), NOW) == CLAIMS


def test_another_key_or_an_expired_link_is_refused_saying_why() -> None:
    token = sign(KEY, CLAIMS)
    with pytest.raises(LinkRefused, match="changed or was not issued"):
        verify(b"x" * 48, token, NOW)
    with pytest.raises(LinkRefused, match="expired on 2026-12-10"):
        verify(KEY, token, NOW + timedelta(days=8))


@given(position=st.integers(min_value=0), char=st.sampled_from("AQgw_-09"))
def test_any_changed_character_is_refused(position: int, char: str) -> None:
    token = sign(KEY, CLAIMS)
    n = position % len(token)
    changed = token[:n] + char + token[n + 1 :]
    if changed == token:
        return
    with pytest.raises(LinkRefused):
        verify(KEY, changed, NOW)

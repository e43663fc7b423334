"""Messaging windows: until when a platform still accepts our reply in a conversation. Pure functions.

PLATFORMS.md is the source: Messenger and Instagram DMs accept a standard reply for 24 h after the
customer's last message and a HUMAN_AGENT-tagged one for 7 days; a private reply to a public comment is
possible for 7 days; WhatsApp accepts free-form text for 24 h (templates after that, so no hard limit on
reaching the customer, see `free_form_until`). Public comment replies, X, Telegram and LinkedIn have no
window. The console shows "can reply until"; the dispatcher refuses what the platform would reject.
"""

from __future__ import annotations

from datetime import datetime, timedelta

STANDARD = timedelta(hours=24)
HUMAN_AGENT = timedelta(days=7)
PRIVATE_REPLY = timedelta(days=7)

# A Facebook case continued on Messenger (moved to private, issue #10) is a Messenger conversation.
_DM_WITH_TAG = {"messenger", "instagram", "facebook"}


def _value(enum_or_str: object) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


def reply_window_until(
    platform: object, channel: object, last_customer_at: datetime, *, private: bool = False
) -> datetime | None:
    """The last moment a reply can still reach the customer on this channel (None = no window)."""
    platform, channel = _value(platform), _value(channel)
    if platform in _DM_WITH_TAG and channel == "direct":
        return last_customer_at + HUMAN_AGENT
    if platform in ("facebook", "instagram") and private:
        return last_customer_at + PRIVATE_REPLY
    return None


def free_form_until(platform: object, channel: object, last_customer_at: datetime) -> datetime | None:
    """Until when a plain (untagged, non-template) message is accepted (None = always)."""
    platform, channel = _value(platform), _value(channel)
    if channel == "direct" and (platform in _DM_WITH_TAG or platform == "whatsapp"):
        return last_customer_at + STANDARD
    return reply_window_until(platform, channel, last_customer_at)


def is_open(until: datetime | None, now: datetime) -> bool:
    return until is None or now <= until

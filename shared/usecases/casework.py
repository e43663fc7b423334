"""What agents do with cases, as one import for the API and the tests: claims (list, open, claim the most
urgent), replies (compose, record, queue) and follow-ups (resolve, follow up). Each lives in its own
module; this one only gathers their public names."""

from shared.models.agent import Agent
from shared.models.outbox import OutboxMessage
from shared.usecases.claims import claim_next, get_case, list_cases, queues
from shared.usecases.followups import (
    FOLLOW_UPS,
    complete_follow_up,
    follow_up_due,
    needs_follow_up,
    reopen,
    reopens_until,
    resolve,
)
from shared.usecases.replies import (
    PLATFORM_TEXT_LIMITS,
    approval_snapshot,
    compose,
    ensure_window_open,
    post_reply,
    queue_reply,
    sent_updates,
)

__all__ = [
    "FOLLOW_UPS",
    "PLATFORM_TEXT_LIMITS",
    "Agent",
    "OutboxMessage",
    "approval_snapshot",
    "claim_next",
    "complete_follow_up",
    "compose",
    "ensure_window_open",
    "follow_up_due",
    "get_case",
    "list_cases",
    "needs_follow_up",
    "post_reply",
    "queue_reply",
    "queues",
    "reopen",
    "reopens_until",
    "resolve",
    "sent_updates",
]

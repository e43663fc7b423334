"""LinkedIn comment replies (issue #16): what the connector asks LinkedIn for, how it reads the answers,
and the comment-URN reader's properties (hypothesis)."""

from __future__ import annotations

import json
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.errors import PlatformError, RateLimited
from shared.platforms.credentials import PlatformCredentials
from shared.platforms.linkedin.urns import CommentUrn, parse_comment_urn
from shared.platforms.outbound import HttpResponse, OutboundReply, PlatformUnavailable, send_reply
from shared.settings import Settings

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
CREDS = PlatformCredentials(LINKEDIN_ACCESS_TOKEN="li-token")
SETTINGS = Settings.model_validate({"LINKEDIN_API_URL": "https://li.test/rest"})
ORG = "urn:li:organization:2414183"
COMMENT = "urn:li:comment:(urn:li:activity:7001,7101)"


class Scripted:
    def __init__(self, *answers: HttpResponse) -> None:
        self.answers, self.requests = list(answers), []

    def __call__(self, method, url, *, headers, body):
        self.requests.append(
            {"method": method, "url": url, "headers": dict(headers), "json": json.loads(body)}
        )
        return self.answers.pop(0)


def reply(
    context: dict[str, str], channel: str = "comment", text: str = "Sorry! Call +1 555 0100"
) -> OutboundReply:
    return OutboundReply(
        case_id="c1",
        reply_id="r1",
        platform="linkedin",
        channel=channel,
        conversation_id="urn:li:share:7001",
        reply_context=context,
        text=text,
        last_customer_at=NOW - timedelta(days=30),  # LinkedIn has no messaging window
    )


def created(urn: str = "urn:li:comment:(urn:li:activity:7001,9)") -> HttpResponse:
    return HttpResponse(201, json.dumps({"id": "9", "commentUrn": urn}).encode())


def test_a_comment_is_answered_under_it_as_the_organisation_with_linkedins_headers():
    transport = Scripted(created())
    context = {"object_urn": "urn:li:share:7001", "activity_urn": COMMENT, "organization_urn": ORG}
    result = send_reply(reply(context), CREDS, SETTINGS, transport, now=NOW)
    [request] = transport.requests
    assert (
        request["url"]
        == f"https://li.test/rest/socialActions/{urllib.parse.quote(COMMENT, safe='')}/comments"
    )
    assert request["json"] == {
        "actor": ORG,
        "object": "urn:li:activity:7001",
        "parentComment": COMMENT,
        "message": {"text": "Sorry! Call +1 555 0100"},
    }
    headers = request["headers"]
    assert headers["Authorization"] == "Bearer li-token" and headers["X-Restli-Protocol-Version"] == "2.0.0"
    assert headers["LinkedIn-Version"].isdigit() and len(headers["LinkedIn-Version"]) == 6
    assert (result.platform_message_id, result.via) == ("urn:li:comment:(urn:li:activity:7001,9)", "comment")


def test_a_reply_to_a_reply_goes_under_the_top_level_comment_and_a_mention_on_the_post():
    nested = {"activity_urn": "urn:li:comment:(urn:li:activity:7001,7202)", "parent_comment_urn": COMMENT}
    transport = Scripted(
        created(), HttpResponse(201, b"{}", {"x-restli-id": "urn:li:comment:(urn:li:share:5,1)"})
    )
    send_reply(reply({**nested, "organization_urn": ORG}), CREDS, SETTINGS, transport, now=NOW)
    mention = {"object_urn": "urn:li:share:5", "organization_urn": ORG}
    result = send_reply(reply(mention, "mention"), CREDS, SETTINGS, transport, now=NOW)
    first, second = transport.requests
    assert first["json"]["parentComment"] == COMMENT
    assert second["url"].endswith("/socialActions/urn%3Ali%3Ashare%3A5/comments")
    assert second["json"]["object"] == "urn:li:share:5" and "parentComment" not in second["json"]
    assert result.platform_message_id == "urn:li:comment:(urn:li:share:5,1)"  # from the x-restli-id header


@pytest.mark.parametrize(
    ("answer", "error", "retry"),
    [
        (HttpResponse(429, b'{"message": "throttled"}'), RateLimited, 300),
        (HttpResponse(429, b"{}", {"Retry-After": "42"}), RateLimited, 42),
        (HttpResponse(503, b"{}"), PlatformUnavailable, 30),
        (HttpResponse(403, b'{"message": "Not enough permissions"}'), PlatformError, None),
        (HttpResponse(201, b"{}"), PlatformError, None),  # accepted but no URN: cannot be matched later
    ],
)
def test_linkedins_answers_map_to_retry_or_refusal(answer, error, retry):
    context = {"object_urn": "urn:li:share:1", "organization_urn": ORG}
    with pytest.raises(error) as raised:
        send_reply(reply(context), CREDS, SETTINGS, Scripted(answer), now=NOW)
    if retry is not None:
        assert raised.value.retry_after_seconds == retry


def test_what_linkedin_would_refuse_is_refused_before_calling_it():
    transport = Scripted()
    with pytest.raises(PlatformError, match="organization_urn"):
        send_reply(reply({"object_urn": "urn:li:share:1"}), CREDS, SETTINGS, transport, now=NOW)
    with pytest.raises(PlatformError, match="1250"):
        send_reply(
            reply({"object_urn": "urn:li:share:1", "organization_urn": ORG}, text="x" * 1251),
            CREDS,
            SETTINGS,
            transport,
            now=NOW,
        )
    assert transport.requests == []


# ---- the comment URN reader (hypothesis) -------------------------------------------------------------

IDS = st.text(alphabet="0123456789abcdefABCDEF-_", min_size=1, max_size=30)
KINDS = st.sampled_from(["activity", "share", "ugcPost"])


@given(kind=KINDS, post_id=IDS, comment_id=IDS)
def test_a_comment_urn_round_trips(kind, post_id, comment_id):
    urn = CommentUrn(f"urn:li:{kind}:{post_id}", comment_id)
    assert parse_comment_urn(urn.urn) == urn


@given(st.one_of(st.text(max_size=600), st.integers(), st.none(), st.binary(max_size=20)))
def test_anything_else_is_none_or_a_well_formed_comment_never_an_error(value):
    parsed = parse_comment_urn(value)
    if parsed is not None:
        assert isinstance(value, str) and parsed.urn == value.strip()
        assert parsed.post.startswith("urn:li:") and parsed.comment_id


@given(kind=KINDS, post_id=IDS, comment_id=IDS, junk=st.sampled_from(["", "(", ",x", " y", ")("]))
def test_a_damaged_comment_urn_is_not_taken_for_another(kind, post_id, comment_id, junk):
    urn = CommentUrn(f"urn:li:{kind}:{post_id}", comment_id).urn
    damaged = urn[:-1] + junk if junk else urn[:-1]
    assert parse_comment_urn(damaged) is None

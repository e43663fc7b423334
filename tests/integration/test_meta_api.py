"""GET /api/meta through the real API handler under moto: the console's roles, reply limits and empathy
scale come from the same Python that enforces them."""

from __future__ import annotations

from shared.models.roles import REVIEWERS, ROLES, SUPERVISORS, WRITERS, needs_approval
from shared.rules.empathy import EMPATHY_SCALE, label
from shared.usecases.casework import PLATFORM_TEXT_LIMITS
from tests.integration.test_case_lifecycle import api


def test_every_signed_in_role_reads_the_same_meta_and_strangers_do_not(aws, lambda_context):
    # Given each role signed in, When they read the meta
    answers = [api("GET", "/api/meta", role=role, context=lambda_context) for role in ROLES]
    # Then every one gets 200 and the same document
    assert {status for status, _ in answers} == {200}
    assert all(body == answers[0][1] for _, body in answers)
    # And without a signed-in user it is refused like every other route
    assert api("GET", "/api/meta", role=None, context=lambda_context)[0] == 401


def test_the_meta_says_what_the_api_enforces(aws, lambda_context):
    # Given the meta
    _, meta = api("GET", "/api/meta", role="reviewer", context=lambda_context)
    may = {role["name"]: set(role["may"]) for role in meta["roles"]}
    # Then it lists every role once, each with exactly the abilities the role sets grant
    assert list(may) == list(ROLES)
    for role in ROLES:
        assert ("work" in may[role]) == (role in WRITERS)
        assert ("supervise" in may[role]) == (role in SUPERVISORS)
        assert ("review" in may[role]) == (role in REVIEWERS)
    # And probation follows needs_approval for every pair of roles
    probation = meta["probation"]
    for first in ROLES:
        for second in ROLES:
            groups = {first, second}
            console_says = probation["role"] in groups and not groups & set(probation["waived_by"])
            assert console_says == needs_approval(frozenset(groups)), groups
    # And the reply limits and the empathy scale are the Python ones
    assert meta["reply_limits"] == {str(p): n for p, n in PLATFORM_TEXT_LIMITS.items()}
    assert [(g["grade"], g["label"]) for g in meta["empathy_scale"]] == [(n, label(n)) for n in EMPATHY_SCALE]
    assert all(EMPATHY_SCALE[g["grade"]].endswith(g["meaning"]) for g in meta["empathy_scale"])


def test_what_the_meta_denies_the_api_refuses(aws, lambda_context):
    # Given a reviewer, whom the meta does not let work or supervise
    _, meta = api("GET", "/api/meta", role="reviewer", context=lambda_context)
    assert next(r["may"] for r in meta["roles"] if r["name"] == "reviewer") == ["review"]
    # Then the API refuses them taking a case and reading the configuration
    assert api("POST", "/api/queues/care/next", role="reviewer", context=lambda_context)[0] == 403
    assert api("GET", "/api/config", role="reviewer", context=lambda_context)[0] == 403


def test_the_crisis_limits_are_where_the_api_refuses(aws, lambda_context):
    # Given the crisis limits the console checks its form against
    _, meta = api("GET", "/api/meta", role="supervisor", context=lambda_context)
    limits = meta["crisis_limits"]

    def declare(**changes):
        statement = {
            "text": "We are on it",
            "next_update": "by 15:00 UTC",
            "more_info": "https://example.com",
        }
        body = {"type": "safety", "name": "Kettles", "keywords": ["kettle"], "topics": [], **changes}
        body["holding_statement"] = {**statement, **body.pop("statement", {})}
        return api("POST", "/api/crises", role="supervisor", body=body, context=lambda_context)[0]

    # Then one past each limit is refused before anything is stored
    assert declare(name="n" * (limits["name"] + 1)) == 422
    assert declare(keywords=["k" * (limits["keyword"]["min"] - 1)]) == 422
    assert declare(keywords=["k" * (limits["keyword"]["max"] + 1)]) == 422
    assert declare(keywords=[f"word{i}" for i in range(limits["keywords"] + 1)]) == 422
    assert declare(statement={"text": "t" * (limits["text"] + 1)}) == 422
    assert declare(statement={"next_update": "u" * (limits["next_update"] + 1)}) == 422
    assert declare(statement={"more_info": "m" * (limits["more_info"] + 1)}) == 422
    # And at the limits a crisis is declared
    at_limits = declare(
        name="n" * limits["name"],
        keywords=["k" * limits["keyword"]["max"]],
        statement={"text": "t" * limits["text"], "next_update": "u" * limits["next_update"]},
    )
    assert at_limits == 201


def test_the_meta_carries_the_contact_line_every_reply_gets(aws, lambda_context, at_tuesday_morning):
    # Given the company's contact line (the console counts it towards a platform's limit, issue #10)
    from tests.integration.test_case_lifecycle import comment, deliver

    _, meta = api("GET", "/api/meta", context=lambda_context)
    deliver([comment()], aws, lambda_context)
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    # When a reply is sent, Then it ends with exactly the line the meta announced
    _, reply = api(
        "POST", f"/api/cases/{case_id}/replies", body={"text": "Sorry, Jo."}, context=lambda_context
    )
    assert reply["reply"]["text"] == f"Sorry, Jo.\n\n{meta['contact_line']}"

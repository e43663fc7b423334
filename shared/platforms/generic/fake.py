"""A local fake of a bridge's reply callback (the generic channel, issue #16): takes what a real bridge
needs (id, source, in_reply_to, text) and answers with an id."""

from __future__ import annotations

from typing import Any

from shared.platforms.fakes import FakeContext, Refused, text_at


class FakeGeneric:
    prefix = ""
    created_status = 200

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        if method != "POST":
            raise Refused(405, {"message": "POST only"})
        missing = [k for k in ("id", "source", "in_reply_to", "text") if not text_at(body, k)]
        if missing:
            raise Refused(400, {"message": f"missing {', '.join(missing)}"})
        return {"id": f"bridge-{ctx.next_id()}"}

    def failure(self, kind: str) -> Refused:
        if kind == "rate_limit":
            return Refused(429, {"message": "slow down"}, {"Retry-After": "30"})
        return Refused(400, {"message": "refused"})

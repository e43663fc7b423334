"""The company's own systems (issue #17): where Heard looks up a customer or an order, and what it keeps.

`CompanySystem` is the configuration (config/heard.json `company_system`): an HTTPS endpoint the company
provides (requests signed with HMAC-SHA256, docs/integrations.md) or an AWS Lambda function in the
company's account. `LookupResult` is what the company answers, validated field by field and cut to what an
agent needs for the case (order status, dates, carrier, tracking link, the customer's display name):
anything else the company sends is dropped, and nothing of it is stored but the line on the timeline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

LookupKind = Literal["order", "email", "phone"]

# What may reach the company in a lookup: an order number as customers write it, an email, a phone number.
LOOKUP_VALUE = r"^[A-Za-z0-9][A-Za-z0-9 @._+()#/-]{1,99}$"
HTTPS_URL = r"^https://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/%-]*)?$"
LAMBDA_ARN = (
    r"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_$-]{1,128})?$"
)


class CompanySystem(BaseModel):
    """Where lookups go. `https`: POST to `url`, signed with the secret in Secrets Manager; `lambda`: invoke
    `function_arn` (the deploy grants lambda:InvokeFunction on that ARN only, and only when configured)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["https", "lambda"]
    url: Annotated[str | None, Field(max_length=500, pattern=HTTPS_URL)] = None
    function_arn: Annotated[str | None, Field(max_length=300, pattern=LAMBDA_ARN)] = None
    # A slow company system never holds an agent for long (the API's own timeout is 29 s).
    timeout_ms: Annotated[int, Field(ge=100, le=5000)] = 2000

    @model_validator(mode="after")
    def _target(self) -> CompanySystem:
        if self.kind == "https" and not self.url:
            raise ValueError("company_system: kind https needs a url (https://...)")
        if self.kind == "lambda" and not self.function_arn:
            raise ValueError("company_system: kind lambda needs a function_arn")
        return self


Text = Annotated[str, Field(min_length=1, max_length=200)]


class Order(BaseModel):
    """One order as the company describes it; unknown fields are ignored (never kept)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    order_number: Annotated[str, Field(min_length=1, max_length=40)]
    status: Annotated[str, Field(min_length=1, max_length=60)]
    placed_at: datetime | None = None
    expected_at: datetime | None = None
    carrier: Text | None = None
    tracking_url: Annotated[str | None, Field(max_length=500, pattern=r"^https://")] = None
    summary: Text | None = None  # e.g. "2 items: K2 kettle, descaler"


class LookupResult(BaseModel):
    """The company's answer: whether it knows the customer or order, and their latest orders (at most 10)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    found: bool
    customer_name: Annotated[str | None, Field(max_length=100)] = None
    orders: Annotated[list[Order], Field(max_length=10)] = []

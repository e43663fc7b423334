"""Variables in answers and saved replies: `{first_name}`, `{case_number}`, … filled safely.

Only the names in VARIABLES exist; a text naming any other is refused (the caller answers 422 with the
names). Filling is a plain substitution of `{name}` (never str.format: no attribute or index access),
and a value is flattened to one line of printable text so a customer's display name cannot inject
another variable, markup or line breaks into the reply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from shared.models.case import Case
from shared.models.company import Order

# The order the customer wrote about, as the company's own system answers it (issue #17). An answer that
# names one of these is filled only when the lookup found the order: suggested then, answered
# automatically then (never with blanks).
ORDER_VARIABLES: dict[str, str] = {
    "order_number": "the order number the customer wrote (found in the company's system)",
    "order_status": "the order's status in the company's system",
    "order_expected": "when the order is expected (a date), or 'soon' when the company gave none",
    "order_carrier": "the order's carrier, or 'our carrier' when the company gave none",
    "tracking_url": "the order's tracking link, or the company's name when it gave none",
}
VARIABLES: dict[str, str] = {
    "first_name": "the customer's first name (or 'there' when unknown)",
    "customer_name": "the customer's display name",
    "case_number": "the case's id",
    "agent_name": "the replying agent's first name",
    "company": "the company's name from the configuration",
    "platform": "where the customer wrote (facebook, x, …)",
    **ORDER_VARIABLES,
}
_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")
MAX_VALUE = 80
LONGER = {"tracking_url": 500}  # a link cut short leads nowhere


def unknown_variables(text: str) -> list[str]:
    """The placeholders in `text` that are not variables, in order of appearance, once each."""
    return list(dict.fromkeys(n for n in _PLACEHOLDER.findall(text) if n not in VARIABLES))


def clean_value(value: str, most: int = MAX_VALUE) -> str:
    """One line of printable text, without braces, at most `most` characters."""
    kept = "".join(
        " " if unicodedata.category(c).startswith(("C", "Z")) else c for c in value if c not in "{}<>"
    )
    return " ".join(kept.split())[:most]


def uses_order(text: str) -> bool:
    """Whether `text` names an order variable (it needs the company system's answer to be filled)."""
    return any(name in ORDER_VARIABLES for name in _PLACEHOLDER.findall(text))


def order_values(order: Order, company: str) -> dict[str, str]:
    """The order variables for one order the company's system found."""
    expected = order.expected_at.strftime("%A %d %B").replace(" 0", " ") if order.expected_at else "soon"
    return {
        "order_number": order.order_number,
        "order_status": order.status.lower() if order.status[1:].islower() else order.status,
        "order_expected": expected,
        "order_carrier": order.carrier or "our carrier",
        "tracking_url": order.tracking_url or company,
    }


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with every known variable replaced by its cleaned value; unknown names are left to
    `unknown_variables` (callers check first)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            return match.group(0)
        return clean_value(values.get(name, ""), LONGER.get(name, MAX_VALUE))

    return _PLACEHOLDER.sub(one, text)


def first_name(display_name: str | None) -> str:
    words = clean_value(display_name or "").split()
    return words[0] if words else "there"


def case_values(case: Case, agent_email: str, company: str) -> dict[str, str]:
    """What each variable means for this case and this agent (heard-bot for automatic answers)."""
    agent_name = agent_email.split("@")[0].split(".")[0].replace("-", " ").title()
    return {
        "first_name": first_name(case.customer.name or case.customer.handle),
        "customer_name": case.customer.name or case.customer.handle or "there",
        "case_number": case.case_id,
        "agent_name": agent_name,
        "company": company,
        "platform": case.platform.value,
    }


# Turned back into variables in a past reply, longest value first (the platform's name is left: "x" is a
# letter, "facebook" is no one's personal data).
_TEMPLATED = ("customer_name", "first_name", "case_number", "agent_name", "company")


def as_template(text: str, values: Mapping[str, str]) -> str:
    """`text` with this case's own values turned back into their variables (whole words, any case), so a
    reply written for one customer can be filled for another. Braces already in the text are dropped
    first: a past reply must not carry a placeholder nobody chose."""
    result = text.replace("{", "(").replace("}", ")")
    pairs = [(values.get(n, ""), n) for n in _TEMPLATED]
    for value, name in sorted(pairs, key=lambda p: -len(p[0])):
        if len(value) < 3 or value.lower() == "there":
            continue
        result = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", f"{{{name}}}", result, flags=re.IGNORECASE)
    return result

"""The customer's order in suggestions and automatic answers (issues #11, #17).

On a case where the customer wrote an order number, the company's own system (shared/usecases/orders.py)
is asked once per request, lazily, only when something needs it: an approved answer naming an order
variable ({order_status}, {order_expected}, {tracking_url}, ...; shared/rules/variables.py), or the built-in
order suggestion of a delivery case. An answer naming an order variable is never filled with blanks: without
the order found it is not suggested. The lookup is not recorded on the timeline: the Order panel, asked at
the same moment when the case opens, records it (once, when its answer changed). A company system that is
down only leaves the order out.
"""

from __future__ import annotations

from shared.errors import Unavailable
from shared.models.agent import Agent
from shared.models.case import Case, TimelineEntry
from shared.models.company import LookupResult, Order
from shared.observability import logger
from shared.rules.variables import order_values
from shared.usecases import orders
from shared.usecases.deps import Deps

DELIVERY_TOPIC = "delivery"  # the taxonomy's "where is my order" topic (as the console's Order panel)
# The built-in suggestion from the order's live status (not an approved answer: the agent reads it first).
ORDER_REPLY = (
    "Hi {first_name}, I've checked your order {order_number}: it is {order_status} with {order_carrier}, "
    "expected {order_expected}."
)
TRACKING = " You can follow it here: {tracking_url}"


def matching(result: LookupResult, number: str) -> Order | None:
    """The order the customer wrote about in the company's answer."""
    if not result.found:
        return None
    return next((o for o in result.orders if o.order_number.upper() == number.upper()), None)


class CaseOrder:
    """The order the customer wrote about, looked up at most once, on first need."""

    def __init__(self, deps: Deps, agent: Agent, case: Case, timeline: list[TimelineEntry]):
        self._deps, self._agent, self._case, self._timeline = deps, agent, case, timeline
        self._asked = False
        self._order: Order | None = None

    @property
    def written(self) -> bool:
        return bool(orders.order_numbers(self._timeline))

    def get(self) -> Order | None:
        if not self._asked:
            self._asked = True
            self._order = self._look_up() if self.written else None
        return self._order

    def values(self) -> dict[str, str] | None:
        order = self.get()
        return order_values(order, self._deps.config.get().company) if order else None

    def _look_up(self) -> Order | None:
        try:
            lookup = orders.look_up(
                self._deps, self._agent, self._case.case_id, "order", None, automatic=True, record=False
            )
        except Unavailable:
            logger.info("order left out of suggestions: company system unavailable")
            return None
        return matching(lookup.result, lookup.value) if lookup else None


def built_in_text(order: Order) -> str:
    """The built-in order reply's template (filled like any answer)."""
    return ORDER_REPLY + (TRACKING if order.tracking_url else "")


def why(order: Order, source: str) -> str:
    return f"from the company's order system ({source or 'company'}): order {order.order_number} is {order.status}"

"""EventBridge rules on Heard's buses on one machine (issue #17): events put on a bus reach the rule's
target function.

moto keeps the rules and matches events against their patterns (`$or`, prefixes, `exists`...) but cannot
invoke a Lambda target, while it does deliver to SQS targets. So each rule of the wiring is created on its
bus with one SQS target, a delivery queue; a `RulePoller` hands each delivered event to the function as
EventBridge would (the event itself, one invocation per event). A function that raises leaves the event
on the queue: it comes back after a short visibility timeout (EventBridge's retries) and, after the rule's
retry attempts, moto moves it to the function's failure queue (`<function>-invocations`, the DLQ in AWS).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from infra.local.invoke import Invoker
from infra.local.pollers import PollingThread
from infra.wiring import Wiring

log = logging.getLogger("heard.local")

RETRY_AFTER_SECONDS = 2  # the delivery queue's visibility timeout: how soon a failed event is retried


@dataclass(frozen=True)
class RuleBinding:
    rule_id: str
    bus_id: str
    function_id: str
    pattern: str  # JSON
    retry_attempts: int

    @property
    def queue_id(self) -> str:
        return f"rule-{self.rule_id}"

    @property
    def failure_queue_id(self) -> str:
        return f"{self.function_id}-invocations"


def rule_bindings(wiring: Wiring) -> list[RuleBinding]:
    """Every rule of the wiring and the function it invokes: exactly what the rule pollers run."""
    return sorted(
        (
            RuleBinding(rule.id, rule.bus, fn.id, rule.pattern, rule.retry_attempts)
            for fn in wiring.functions
            for rule in fn.rules
        ),
        key=lambda b: b.rule_id,
    )


def provision_rules(wiring: Wiring, sqs: Any, events: Any, resolve: dict[str, str], prefix: str) -> None:
    """Each rule on its bus (moto), delivering to a queue whose dead letters go to the failure queue."""
    for binding in rule_bindings(wiring):
        failure_url = sqs.create_queue(
            QueueName=f"{prefix}-{binding.failure_queue_id}",
            Attributes={"MessageRetentionPeriod": str(14 * 86400)},
        )["QueueUrl"]
        redrive = {
            "deadLetterTargetArn": _arn(sqs, failure_url),
            "maxReceiveCount": binding.retry_attempts + 1,  # the first attempt and the retries
        }
        url = sqs.create_queue(
            QueueName=f"{prefix}-{binding.queue_id}",
            Attributes={
                "VisibilityTimeout": str(RETRY_AFTER_SECONDS),
                "RedrivePolicy": json.dumps(redrive),
            },
        )["QueueUrl"]
        bus = resolve[binding.bus_id]
        rule_name = f"{prefix}-{binding.rule_id}"
        events.put_rule(Name=rule_name, EventBusName=bus, EventPattern=binding.pattern, State="ENABLED")
        events.put_targets(
            Rule=rule_name, EventBusName=bus, Targets=[{"Id": binding.function_id, "Arn": _arn(sqs, url)}]
        )
        resolve[binding.queue_id] = url
        resolve[binding.failure_queue_id] = failure_url


def _arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


class RulePoller(PollingThread):
    """One rule's deliveries to its function; the same face as a queue `Poller` for `drain_queues`."""

    def __init__(
        self,
        binding: RuleBinding,
        queue_url: str,
        sqs: Callable[[], Any],
        invoker: Invoker,
        stop: threading.Event,
        wait_seconds: int = 1,
    ) -> None:
        super().__init__(f"heard-rule-{binding.rule_id}", sqs, stop, {"rule": binding.rule_id})
        self.binding, self.queue_url = binding, queue_url
        self._invoker, self._wait = invoker, wait_seconds

    def poll_once(self, client: Any, wait_seconds: int | None = None) -> int:
        """Receive the delivered events and invoke the function once per event; how many were received."""
        messages = client.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=self._wait if wait_seconds is None else wait_seconds,
        ).get("Messages", [])
        if not messages:
            return 0
        self._busy.set()
        try:
            for message in messages:
                if self._deliver(json.loads(message["Body"])):
                    client.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        finally:
            self._busy.clear()
        return len(messages)

    def _deliver(self, event: dict[str, Any]) -> bool:
        try:
            self._invoker.invoke(self.binding.function_id, event)
        except Exception:  # noqa: BLE001 (a function error: EventBridge retries the event later)
            log.exception(
                "rule target failed",
                extra={"rule": self.binding.rule_id, "function": self.binding.function_id},
            )
            return False
        log.info(
            "rule target invoked",
            extra={
                "rule": self.binding.rule_id,
                "function": self.binding.function_id,
                "type": event.get("detail-type"),
            },
        )
        return True

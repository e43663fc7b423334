"""Queues, their dead-letter queues, the event source mappings and the alarms on them."""

from __future__ import annotations

import pytest

from infra.wiring import heard
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()
TRIGGERED = [f for f in WIRING.functions if f.queue]


@pytest.mark.parametrize("spec", TRIGGERED, ids=lambda f: f.id)
def test_a_queue_that_triggers_a_function_outlasts_it_and_has_a_dead_letter_queue(
    synth: Synthesised, spec
) -> None:
    # Given a function triggered by a queue
    assert spec.queue
    queue = synth.resources[synth.logical_id(synth.stack.messaging.queues[spec.queue.queue])]["Properties"]
    # Then the queue's visibility is at least 6x the function's timeout
    assert queue["VisibilityTimeout"] >= 6 * spec.timeout_seconds
    # And poison messages move to a DLQ after the wiring's number of receives
    redrive = queue["RedrivePolicy"]
    assert redrive["maxReceiveCount"] == WIRING.queue(spec.queue.queue).max_receive_count
    assert refs(redrive["deadLetterTargetArn"]) == {
        synth.logical_id(synth.stack.messaging.dead_letter_queues[spec.queue.queue])
    }


@pytest.mark.parametrize("spec", TRIGGERED, ids=lambda f: f.id)
def test_event_source_mappings_report_partial_batch_failures(synth: Synthesised, spec) -> None:
    # Given the mapping from the function's queue
    assert spec.queue
    function = synth.logical_id(synth.stack.functions.functions[spec.id])
    queue = synth.logical_id(synth.stack.messaging.queues[spec.queue.queue])
    mappings = [
        m["Properties"]
        for m in synth.of_type("AWS::Lambda::EventSourceMapping").values()
        if refs(m["Properties"]["FunctionName"]) == {function}
    ]
    # Then there is exactly one, from that queue, reporting item failures with the wiring's batch size
    assert len(mappings) == 1
    assert refs(mappings[0]["EventSourceArn"]) == {queue}
    assert mappings[0]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mappings[0]["BatchSize"] == spec.queue.batch_size


def test_every_queue_is_kms_encrypted_and_refuses_plain_http(synth: Synthesised) -> None:
    # Given every queue (work lanes and DLQs included)
    key = synth.logical_id(synth.stack.security.key)
    queues = synth.of_type("AWS::SQS::Queue")
    policies = synth.of_type("AWS::SQS::QueuePolicy").values()
    for logical_id, queue in queues.items():
        # Then it is encrypted with Heard's key
        assert refs(queue["Properties"]["KmsMasterKeyId"]) == {key}
        # And a queue policy denies requests without TLS
        denies = [
            s
            for p in policies
            if logical_id in refs(p["Properties"]["Queues"])
            for s in p["Properties"]["PolicyDocument"]["Statement"]
            if s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        ]
        assert denies, logical_id


def test_only_work_lanes_go_without_a_dead_letter_queue(synth: Synthesised) -> None:
    # Given the wiring's queues / Then those with dlq=True have a redrive policy and the lanes do not
    for spec in WIRING.queues:
        props = synth.resources[synth.logical_id(synth.stack.messaging.queues[spec.id])]["Properties"]
        assert ("RedrivePolicy" in props) is spec.dlq
        assert props["VisibilityTimeout"] == spec.visibility_timeout_seconds


def test_every_dead_letter_queue_raises_an_alarm_to_the_alerts_topic(synth: Synthesised) -> None:
    # Given the alerts topic and the alarms
    topic = synth.logical_id(synth.stack.messaging.topics["alerts"])
    alarms = synth.of_type("AWS::CloudWatch::Alarm").values()
    for queue_id, dlq in synth.stack.messaging.dead_letter_queues.items():
        dlq_id = synth.logical_id(dlq)
        # Then one alarm watches the DLQ's visible messages and notifies the topic
        matching = [
            a["Properties"]
            for a in alarms
            if a["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
            and dlq_id in refs(a["Properties"]["Dimensions"])
        ]
        assert len(matching) == 1, queue_id
        assert refs(matching[0]["AlarmActions"]) == {topic}


@pytest.mark.parametrize(
    "metric", ["SLABreached", "SubscriptionLapsed", "WebhookInvalidEvents", "ReplyNeedsAttention"]
)
def test_business_alarms_watch_the_heard_namespace(synth: Synthesised, metric: str) -> None:
    # Given the alarms / Then one sums the metric over the Heard namespace and notifies the alerts topic
    topic = synth.logical_id(synth.stack.messaging.topics["alerts"])
    matching = [
        a["Properties"]
        for a in synth.of_type("AWS::CloudWatch::Alarm").values()
        if any(
            f'"{metric}"' in m.get("Expression", "") and '"Heard"' in m.get("Expression", "")
            for m in a["Properties"].get("Metrics", [])
        )
    ]
    assert len(matching) == 1
    assert refs(matching[0]["AlarmActions"]) == {topic}


def test_the_alerts_topic_is_encrypted(synth: Synthesised) -> None:
    topic = synth.resources[synth.logical_id(synth.stack.messaging.topics["alerts"])]["Properties"]
    assert refs(topic["KmsMasterKeyId"]) == {synth.logical_id(synth.stack.security.key)}

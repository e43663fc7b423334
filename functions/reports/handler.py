"""Supervisor reports: the ones asked for in the console (the report-requests queue, partial batch
failures; the last attempt's failure marks the report failed) and the daily, weekly and monthly ones
(EventBridge rules whose input names the cadence)."""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.analytics import engine
from shared.errors import InvalidInput
from shared.observability import lambda_handler
from shared.usecases import report_requests
from shared.usecases.deps import default_deps

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
engine.database()  # the container's DuckDB instance, created while it starts, like an SDK client
CADENCES = ("daily", "weekly", "monthly")


def record_handler(record: SQSRecord) -> str:
    job = report_requests.ReportJob.model_validate_json(record.body)
    try:
        return str(report_requests.fulfil(default_deps(), job)["id"])
    except Exception as error:  # noqa: BLE001 - whatever failed, the last attempt records it on the report
        attempts = int(record.attributes.approximate_receive_count or 1)
        if attempts < report_requests.MAX_ATTEMPTS:
            raise  # the queue delivers it again
        return str(report_requests.give_up(default_deps(), job, error, attempts)["id"])


@lambda_handler()
def handler(event: dict, context: LambdaContext) -> Any:
    if "Records" in event:
        return process_partial_response(
            event=event, record_handler=record_handler, processor=processor, context=context
        )
    # A rule with a constant input names its cadence; EventBridge's plain "Scheduled Event" is the daily one.
    cadence = event.get("input", "daily")
    if cadence not in CADENCES:
        raise InvalidInput(f"unknown report cadence {cadence!r}")
    made = report_requests.scheduled(default_deps(), cadence)
    return {"reports": [r["id"] for r in made], "cases": sum(r["case_count"] for r in made)}

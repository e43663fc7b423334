"""Answered satisfaction surveys in the cases table, for the scores (R21).

Access pattern (docs/data-model.md):
- the answers of a period: Query pk=SURVEYS#<yyyy-mm> (one per month the period touches), sk BETWEEN
  <start> AND <end>, where sk = <survey scheduled at>#<case id>
One item per case (its key comes from when the survey was scheduled, which never changes): a corrected
answer replaces the first. Answers arrive at the pace customers answer surveys, a fraction of the cases,
far below a partition's limits even on a crisis day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.cases_repo import plain
from shared.clock import iso
from shared.models.survey import SurveyAnswer

PREFIX = "SURVEYS#"


def month_pk(moment: datetime) -> str:
    return f"{PREFIX}{moment.year:04d}-{moment.month:02d}"


def months(start: datetime, end: datetime) -> list[str]:
    """The month partitions a period touches, in order."""
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{PREFIX}{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


class DynamoSurveyAnswers(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def record(self, answer: SurveyAnswer) -> None:
        item = answer.model_dump(mode="json", exclude_none=True)
        item.update(
            pk=month_pk(answer.scheduled_for),
            sk=f"{iso(answer.scheduled_for)}#{answer.case_id}",
            type="survey_answer",
        )
        with unavailable_on_aws_error("storing a survey answer"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def between(self, start: datetime, end: datetime) -> list[SurveyAnswer]:
        answers: list[SurveyAnswer] = []
        for pk in months(start, end):
            answers += self._query(pk, iso(start), iso(end) + "\uffff")
        return answers

    def _query(self, pk: str, low: str, high: str) -> list[SurveyAnswer]:
        fields = set(SurveyAnswer.model_fields)
        found: list[SurveyAnswer] = []
        start_key: dict[str, Any] | None = None
        while True:
            with unavailable_on_aws_error("reading survey answers"):
                page = self.client.query(
                    TableName=self._table,
                    KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
                    ExpressionAttributeValues={":pk": {"S": pk}, ":low": {"S": low}, ":high": {"S": high}},
                    **({"ExclusiveStartKey": start_key} if start_key else {}),
                )
            for item in page.get("Items", []):
                data = {k: v for k, v in plain(self._d(item)).items() if k in fields}
                found.append(SurveyAnswer.model_validate(data))
            start_key = page.get("LastEvaluatedKey")
            if not start_key:
                return found

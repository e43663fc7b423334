"""The search index in AWS: an inverted index in its own DynamoDB table, behind the SearchIndex port.

Items and access patterns (docs/decisions.md, 2026-12-03 "Search in a deployed stack"):
- the document a search answers with: pk=DOC#<case id>, sk=DOC (the case's filters' fields as JSON, its
  version, and gsi1pk=STATUS#<status>#<shard 0-7>, gsi1sk=<updated at>#<case id> for lists without words)
- the terms the case is posted under: pk=DOC#<case id>, sk=TERMS (and the terms still to unpost)
- a word's postings: pk=W#<first two letters>#<shard 0-7>, sk=<word>#<case id>; a word typed by the
  searcher is a begins_with on the sort key, so "custom" finds "customer" in the same partitions
- a contact or order key's postings: pk=K#<key>, sk=<case id> (a key belongs to a few cases: no shards)
A search is Queries (one per key, one per word and shard, in parallel), an intersection in memory, and
BatchGetItem of the newest candidates' documents; a list without words Queries the status index. No Scan.

Writing a case: read its TERMS item, post the new terms, replace TERMS on condition that its version is
the one read (a concurrent writer makes us read again), replace DOC on condition that it is not newer,
then delete the postings of terms it lost. The terms to unpost are kept on TERMS until they are gone, so a
crash between the steps is finished by the next write of the case (the stream retries it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.clock import iso
from shared.errors import Unavailable
from shared.ids import shard_of
from shared.models.search import SearchDoc, SearchPage, SearchQuery
from shared.rules.search_match import doc_terms, matches, ordered, search_terms

SHARDS = 8  # a common word's postings and a status's documents are spread over this many partitions
TERM_CAP = 1000  # postings read per term (the newest-looking: highest word, then newest case id)
DOC_CAP = 400  # candidate documents read per search (4 BatchGetItem calls)
LIST_CAP = 1600  # documents read per status for a list without words (the most recently changed)
STATUS_INDEX = "by_status"
_STATUSES = ("queued", "assigned", "resolved")
_THREADS = 8


def _doc_pk(case_id: str) -> str:
    return f"DOC#{case_id}"


def posting_key(term: str, case_id: str) -> tuple[str, str]:
    """The posting item's (pk, sk) for a term of a case."""
    kind, value = term[:2], term[2:]
    if kind == "k:":
        return f"K#{value}", case_id
    return f"W#{value[:2]}#{shard_of(case_id, SHARDS)}", f"{value}#{case_id}"


def _term_queries(term: str) -> list[dict[str, Any]]:
    """The Query requests that find a term's postings (newest-looking first)."""
    kind, value = term[:2], term[2:]
    if kind == "k:":
        return [{"KeyConditionExpression": "pk = :pk", "Values": {":pk": f"K#{value}"}, "Limit": TERM_CAP}]
    return [
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :word)",
            "Values": {":pk": f"W#{value[:2]}#{shard}", ":word": value},
            "Limit": TERM_CAP // SHARDS,
        }
        for shard in range(SHARDS)
    ]


class DynamoSearchIndex(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client
        self.queries = 0  # Query and BatchGetItem calls made (the benchmark reads it)

    # ---- writing ------------------------------------------------------------------------------------

    def put(self, doc: SearchDoc) -> None:
        for _ in range(3):  # another writer of the same case in between: read its terms again
            if self._put_once(doc):
                return
        raise Unavailable("the search index is busy for this case; try again")

    def _put_once(self, doc: SearchDoc) -> bool:
        stored = self._terms_item(doc.case_id)
        if stored is not None and stored["version"] > doc.version:
            return True  # a newer state of the case is indexed already
        old = set(stored["terms"]) if stored else set()
        pending = set(stored["pending"]) if stored else set()
        new = doc_terms(doc)
        self._write([{"PutRequest": {"Item": self._posting(t, doc.case_id)}} for t in sorted(new - old)])
        unpost = sorted(((old - new) | pending) - new)
        if not self._replace_terms(doc, new, unpost, stored["version"] if stored else None):
            return False
        self._put_doc(doc)
        self._unpost(doc.case_id, unpost, doc.version)
        return True

    def remove(self, case_id: str) -> None:
        """Forget a case that no longer exists (its postings, its terms, its document)."""
        stored = self._terms_item(case_id)
        terms = sorted(set(stored["terms"]) | set(stored["pending"])) if stored else []
        self._write([{"DeleteRequest": {"Key": self._posting(t, case_id)}} for t in terms])
        keys = [{"pk": _doc_pk(case_id), "sk": sk} for sk in ("DOC", "TERMS")]
        self._write([{"DeleteRequest": {"Key": self._s(k)}} for k in keys])

    def _posting(self, term: str, case_id: str) -> dict[str, Any]:
        pk, sk = posting_key(term, case_id)
        return self._s({"pk": pk, "sk": sk})

    def _terms_item(self, case_id: str) -> dict[str, Any] | None:
        with unavailable_on_aws_error("reading a case's search terms"):
            got = self.client.get_item(
                TableName=self._table,
                Key=self._s({"pk": _doc_pk(case_id), "sk": "TERMS"}),
                ConsistentRead=True,
            ).get("Item")
        if got is None:
            return None
        item = self._d(got)
        return {
            "version": int(item["version"]),
            "terms": json.loads(item["terms"]),
            "pending": json.loads(item["pending"]),
        }

    def _replace_terms(self, doc: SearchDoc, terms: set[str], pending: list[str], read: int | None) -> bool:
        from botocore.exceptions import ClientError

        item = {
            "pk": _doc_pk(doc.case_id),
            "sk": "TERMS",
            "version": doc.version,
            "terms": json.dumps(sorted(terms)),
            "pending": json.dumps(pending),
        }
        if read is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        else:
            condition = {
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": self._s({":read": read}),
            }
        with unavailable_on_aws_error("indexing a case"):
            try:
                self.client.put_item(TableName=self._table, Item=self._s(item), **condition)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    return False
                raise
        return True

    def _put_doc(self, doc: SearchDoc) -> None:
        from botocore.exceptions import ClientError

        item = {
            "pk": _doc_pk(doc.case_id),
            "sk": "DOC",
            "version": doc.version,
            "body": doc.model_dump_json(exclude={"words"}),
            "gsi1pk": f"STATUS#{doc.status}#{shard_of(doc.case_id, SHARDS)}",
            "gsi1sk": f"{iso(doc.updated_at)}#{doc.case_id}",
        }
        with unavailable_on_aws_error("indexing a case"):
            try:
                self.client.put_item(
                    TableName=self._table,
                    Item=self._s(item),
                    ConditionExpression="attribute_not_exists(pk) OR version <= :v",
                    ExpressionAttributeValues=self._s({":v": doc.version}),
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise  # a newer document is there already: nothing to do

    def _unpost(self, case_id: str, terms: list[str], version: int) -> None:
        if not terms:
            return
        self._write([{"DeleteRequest": {"Key": self._posting(t, case_id)}} for t in terms])
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("indexing a case"):
            try:
                self.client.update_item(
                    TableName=self._table,
                    Key=self._s({"pk": _doc_pk(case_id), "sk": "TERMS"}),
                    UpdateExpression="SET pending = :none",
                    ConditionExpression="version = :v",
                    ExpressionAttributeValues=self._s({":none": "[]", ":v": version}),
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise  # a newer write took over the pending terms

    def _write(self, requests: list[dict[str, Any]]) -> None:
        for start in range(0, len(requests), 25):
            pending = {self._table: requests[start : start + 25]}
            for _ in range(6):  # BatchWriteItem may leave some unprocessed under throttling: ask again
                with unavailable_on_aws_error("indexing a case"):
                    left = self.client.batch_write_item(RequestItems=pending).get("UnprocessedItems", {})
                if not left.get(self._table):
                    break
                pending = left
            else:
                raise Unavailable("the search index is throttled; try again")

    # ---- searching ----------------------------------------------------------------------------------

    def search(self, query: SearchQuery, now: datetime) -> SearchPage:
        terms = search_terms(query.text)
        docs = self._by_terms(terms) if terms else self._by_status(query)
        hits = ordered([d for d in docs if matches(d, query, now)], query.sort)
        page = hits[query.offset : query.offset + query.limit]
        more = len(hits) > query.offset + query.limit
        return SearchPage(items=page, next_offset=query.offset + query.limit if more else None)

    def _query(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        self.queries += 1
        values = request.pop("Values")
        with unavailable_on_aws_error("searching"):
            answer = self.client.query(
                TableName=self._table,
                ExpressionAttributeValues=self._s(values),
                ScanIndexForward=False,
                **request,
            )
        return [self._d(i) for i in answer.get("Items", [])]

    def _fan_out(self, requests: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        if len(requests) == 1:
            return [self._query(requests[0])]
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            return list(pool.map(self._query, requests))

    def _by_terms(self, terms: Sequence[str]) -> list[SearchDoc]:
        requests = [(term, r) for term in terms for r in _term_queries(term)]
        answers = self._fan_out([r for _, r in requests])
        found: dict[str, set[str]] = {t: set() for t in terms}
        for (term, _), items in zip(requests, answers, strict=True):
            found[term] |= {str(i["sk"]).rsplit("#", 1)[-1] for i in items}
        common = set.intersection(*found.values())
        return self._documents(sorted(common, reverse=True)[:DOC_CAP])

    def _documents(self, case_ids: list[str]) -> list[SearchDoc]:
        chunks = [case_ids[i : i + 100] for i in range(0, len(case_ids), 100)]
        if not chunks:
            return []
        with ThreadPoolExecutor(max_workers=_THREADS) as pool:
            return [doc for chunk in pool.map(self._batch_get, chunks) for doc in chunk]

    def _batch_get(self, case_ids: list[str]) -> list[SearchDoc]:
        keys: list[dict[str, Any]] = [self._s({"pk": _doc_pk(c), "sk": "DOC"}) for c in case_ids]
        docs: list[SearchDoc] = []
        for _ in range(6):
            self.queries += 1
            with unavailable_on_aws_error("searching"):
                answer = self.client.batch_get_item(
                    RequestItems={self._table: {"Keys": keys, "ProjectionExpression": "body"}}
                )
            docs += _bodies(self._d(i) for i in answer.get("Responses", {}).get(self._table, []))
            keys = answer.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
            if not keys:
                return docs
        raise Unavailable("the search index is throttled; try again")

    def _by_status(self, query: SearchQuery) -> list[SearchDoc]:
        statuses = [str(query.status)] if query.status else list(_STATUSES)
        requests = [
            {
                "IndexName": STATUS_INDEX,
                "KeyConditionExpression": "gsi1pk = :pk",
                "Values": {":pk": f"STATUS#{status}#{shard}"},
                "Limit": LIST_CAP // SHARDS,
            }
            for status in statuses
            for shard in range(SHARDS)
        ]
        return [doc for items in self._fan_out(requests) for doc in _bodies(items)]


def _bodies(items: Iterable[dict[str, Any]]) -> list[SearchDoc]:
    return [SearchDoc.model_validate_json(str(i["body"])) for i in items]

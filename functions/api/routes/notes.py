"""/api/cases/{id}/notes, /tags, /hand, /release, /snooze: working together on a case, and setting it aside."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import SIGNED_IN, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import (
    CaseAnswer,
    CaseId,
    CaseView,
    ContactRequest,
    CustomerAnswer,
    HandToRequest,
    MergeRequest,
    NoteAnswer,
    NoteRequest,
    OptOutRequest,
    ReleaseRequest,
    SnoozeRequest,
    TagsRequest,
    TimelineEntryView,
    UnlinkRequest,
)
from shared import clock
from shared.models.customer import Identity
from shared.usecases import contact_details, customers, notes, states
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {
    403: "Only agents, trainees, supervisors and admins work on cases; another's case only as a supervisor",
    404: "No such case",
    409: "The case's state does not allow it",
}


@router.post(
    "/cases/<case_id>/notes",
    summary="Add an internal note; @mentioned colleagues are notified",
    tags=["cases"],
    responses=answers(201, "The note, on the timeline", errors=(403, 404), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def add_note(case_id: CaseId, body: NoteRequest) -> Response[NoteAnswer]:
    entry = notes.add_note(default_deps(), caller(router), case_id, body.text)
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=NoteAnswer(note=TimelineEntryView.of(entry)),
    )


@router.put(
    "/cases/<case_id>/tags",
    summary="Replace the case's tags",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def set_tags(case_id: CaseId, body: TagsRequest) -> CaseAnswer:
    case = notes.set_tags(default_deps(), caller(router), case_id, body.tags)
    return CaseAnswer(case=CaseView.of(case))


@router.put(
    "/cases/<case_id>/updates-opt-out",
    summary="Record that the customer wants no more crisis updates (or wants them again)",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def set_updates_opt_out(case_id: CaseId, body: OptOutRequest) -> CaseAnswer:
    from shared.usecases import broadcast

    case = broadcast.set_opt_out(default_deps(), caller(router), case_id, body.opt_out)
    return CaseAnswer(case=CaseView.of(case))


@router.post(
    "/cases/<case_id>/hand",
    summary="Hand the case to a named colleague (they are notified)",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def hand(case_id: CaseId, body: HandToRequest) -> CaseAnswer:
    case = notes.hand_to(default_deps(), caller(router), case_id, body.to, body.note)
    return CaseAnswer(case=CaseView.of(case))


@router.post(
    "/cases/<case_id>/release",
    summary="Release the case back to its team's queue",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def release(case_id: CaseId, body: ReleaseRequest | None = None) -> CaseAnswer:
    case = notes.release(default_deps(), caller(router), case_id, body.note if body else "")
    return CaseAnswer(case=CaseView.of(case))


@router.post(
    "/cases/<case_id>/snooze",
    summary="Wait on the customer, or snooze until a time (the SLA clock pauses)",
    tags=["cases"],
    responses=answers(errors=(403, 404, 409), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def snooze(case_id: CaseId, body: SnoozeRequest) -> CaseAnswer:
    case = states.snooze(default_deps(), caller(router), case_id, body.until, body.note)
    return CaseAnswer(case=CaseView.of(case))


@router.get(
    "/cases/<case_id>/customer",
    summary="The case's customer: identity, display name and their other cases",
    tags=["cases"],
    responses=answers(errors=(404,), params=True, meanings={404: "No such case"}),
)
@allow(SIGNED_IN)
def customer(case_id: CaseId) -> CustomerAnswer:
    return CustomerAnswer.of(customers.customer_of(default_deps(), case_id))


@router.post(
    "/cases/<case_id>/customer/links",
    summary="Merge: the customer of another case is the same person",
    tags=["cases"],
    responses=answers(
        errors=(403, 404, 409),
        body=True,
        meanings={**MEANINGS, 409: "The same identity, or linked already"},
    ),
)
@allow(WRITERS)
def merge_customer(case_id: CaseId, body: MergeRequest) -> CustomerAnswer:
    return CustomerAnswer.of(customers.merge(default_deps(), caller(router), case_id, body.case_id))


@router.post(
    "/cases/<case_id>/customer/unlink",
    summary="Undo a merge (or an automatic link): the identities are different people",
    tags=["cases"],
    responses=answers(
        errors=(403, 404), body=True, meanings={**MEANINGS, 404: "No such case, or not linked to it"}
    ),
)
@allow(WRITERS)
def unlink_customer(case_id: CaseId, body: UnlinkRequest) -> CustomerAnswer:
    other = Identity(platform=body.platform, id=body.id)
    return CustomerAnswer.of(customers.unlink(default_deps(), caller(router), case_id, other))


@router.put(
    "/cases/<case_id>/customer/contact",
    summary="Record the customer's email and phone: in clear with their consent (when and how), else "
    "only as digests",
    tags=["cases"],
    responses=answers(errors=(403, 404), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def record_contact(case_id: CaseId, body: ContactRequest) -> CustomerAnswer:
    deps = default_deps()
    consent = (body.consent.at or clock.now(), body.consent.how) if body.consent else None
    contact_details.record(deps, caller(router), case_id, body.email, body.phone, consent)
    return CustomerAnswer.of(customers.customer_of(deps, case_id))


@router.delete(
    "/cases/<case_id>/customer/contact/consent",
    summary="The customer withdrew their consent: the clear email and phone are removed, digests stay",
    tags=["cases"],
    responses=answers(errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def withdraw_consent(case_id: CaseId) -> CustomerAnswer:
    deps = default_deps()
    contact_details.withdraw(deps, caller(router), case_id)
    return CustomerAnswer.of(customers.customer_of(deps, case_id))

"""/api/cases/{id}/attachments: customers' media through short-lived links, and images agents attach to
replies (issue #16). Nothing here is public: every link is presigned and lasts minutes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import SIGNED_IN, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseId
from shared.usecases import attachments
from shared.usecases.deps import default_deps

router = Router()
EntryId = Annotated[str, Path(pattern=r"^[a-z0-9]{4,60}$", description="The customer's message (entry id)")]
Index = Annotated[int, Path(ge=0, le=99, description="Which of the message's attachments, from 0")]


class UploadRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content_type: Annotated[
        str, Field(min_length=3, max_length=100, description="The image's type, e.g. image/jpeg")
    ]
    size: Annotated[int, Field(ge=1, le=100 * 1024 * 1024, description="The image's size in bytes")]


class UploadAnswer(BaseModel):
    upload_id: str
    url: Annotated[
        str,
        Field(
            description="POST a form here within minutes: every field of `fields`, then the file as `file`"
        ),
    ]
    method: str = "POST"
    fields: dict[str, str]
    max_bytes: int
    expires_at: datetime


class MediaLinkAnswer(BaseModel):
    url: Annotated[str, Field(description="A presigned link to Heard's copy, valid a few minutes")]
    content_type: str
    expires_at: datetime


@router.post(
    "/cases/<case_id>/attachments/uploads",
    summary="Start attaching an image to a reply: checks the platform takes it, gives a presigned form to post it",
    tags=["cases"],
    responses=answers(
        201,
        "Upload the image to `url`, then name `upload_id` in the reply's `attachment`",
        errors=(403, 404),
        body=True,
        meanings={
            403: "Only the case's owner or a supervisor (anyone while nobody owns it)",
            404: "No such case",
            422: "The platform takes no image on this channel, or not this type or size",
        },
    ),
)
@allow(WRITERS)
def start_upload(case_id: CaseId, body: UploadRequest) -> Response[UploadAnswer]:
    upload = attachments.start_upload(default_deps(), caller(router), case_id, body.content_type, body.size)
    answer = UploadAnswer(
        upload_id=upload.upload_id,
        url=upload.url,
        fields=upload.fields,
        max_bytes=upload.max_bytes,
        expires_at=upload.expires_at,
    )
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=answer)


@router.get(
    "/cases/<case_id>/attachments/<entry_id>/<index>",
    summary="A short-lived link to a customer's attachment (copied from the platform on first view)",
    tags=["cases"],
    responses=answers(
        errors=(404,),
        params=True,
        meanings={404: "No such case, message or attachment, or the platform no longer gives it"},
    ),
)
@allow(SIGNED_IN)
def media_link(case_id: CaseId, entry_id: EntryId, index: Index) -> MediaLinkAnswer:
    caller(router)
    link = attachments.media_link(default_deps(), case_id, entry_id, index)
    return MediaLinkAnswer(url=link.url, content_type=link.content_type, expires_at=link.expires_at)

"""/api/me/notifications: the signed-in user's notifications and marking them read."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import SIGNED_IN, allow, caller
from functions.api.errors import answers
from functions.api.schemas import MarkReadRequest, NotificationList, NotificationView
from shared.usecases import notifications
from shared.usecases.deps import default_deps

router = Router()


def _answer(box: notifications.Inbox) -> NotificationList:
    return NotificationList(items=[NotificationView.of(n) for n in box.items], unread=box.unread)


@router.get(
    "/me/notifications",
    summary="My latest notifications, newest first, with the unread count",
    tags=["me"],
    responses=answers(),
)
@allow(SIGNED_IN)
def list_notifications() -> NotificationList:
    return _answer(notifications.inbox(default_deps(), caller(router)))


@router.post(
    "/me/notifications/read",
    summary="Mark some (or all) of my notifications read",
    tags=["me"],
    responses=answers(body=True),
)
@allow(SIGNED_IN)
def mark_read(body: MarkReadRequest | None = None) -> NotificationList:
    ids = body.ids if body else None
    return _answer(notifications.mark_read(default_deps(), caller(router), ids))

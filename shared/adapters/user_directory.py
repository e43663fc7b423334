"""The Cognito user pool's admin APIs behind the UserDirectory port (moto's cognito-idp locally).

Accounts are named by email (the pool signs in with email). A Heard role is one Cognito group of
shared/models/roles.ROLES; setting a role leaves every other Heard group. Cognito's errors become the
domain's: an unknown user NotFound, an existing one Conflict, anything else Unavailable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import Conflict, InvalidInput, NotFound, Unavailable
from shared.models.roles import ROLES
from shared.models.users import UserAccount

_PAGE = 60  # Cognito's ListUsers maximum


@contextmanager
def _translated(email: str) -> Iterator[None]:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "unknown")
        if code == "UserNotFoundException":
            raise NotFound(f"no account for {email}") from error
        if code in ("UsernameExistsException", "AliasExistsException"):
            raise Conflict(f"an account for {email} exists already") from error
        if code == "InvalidParameterException":
            raise InvalidInput(
                f"the user pool refused {email}: {error.response['Error'].get('Message')}"
            ) from error
        raise Unavailable(f"the user pool failed ({code})") from error
    except BotoCoreError as error:
        raise Unavailable(f"the user pool failed ({type(error).__name__})") from error


def _email(user: dict[str, Any]) -> str:
    attributes = {a["Name"]: a["Value"] for a in user.get("Attributes") or user.get("UserAttributes") or []}
    return str(attributes.get("email") or user["Username"]).lower()


class CognitoUserDirectory(AwsAdapter):
    service = "cognito-idp"

    def __init__(self, user_pool_id: str, client: Any = None) -> None:
        self._pool = user_pool_id
        self._client = client

    def _role(self, username: str) -> str | None:
        groups = self.client.admin_list_groups_for_user(UserPoolId=self._pool, Username=username)["Groups"]
        heard = [g["GroupName"] for g in groups if g["GroupName"] in ROLES]
        return heard[0] if heard else None

    def _account(self, user: dict[str, Any]) -> UserAccount:
        return UserAccount(
            email=_email(user),
            role=self._role(user["Username"]),
            enabled=bool(user.get("Enabled", True)),
            status=str(user.get("UserStatus", "UNKNOWN")),
        )

    def users(self) -> list[UserAccount]:
        found: list[UserAccount] = []
        token: str | None = None
        with _translated("the user list"):
            while True:
                page = self.client.list_users(
                    UserPoolId=self._pool, Limit=_PAGE, **({"PaginationToken": token} if token else {})
                )
                found += [self._account(u) for u in page["Users"]]
                token = page.get("PaginationToken")
                if not token:
                    return sorted(found, key=lambda a: a.email)

    def user(self, email: str) -> UserAccount:
        with _translated(email):
            return self._account(self.client.admin_get_user(UserPoolId=self._pool, Username=email))

    def invite(self, email: str, role: str) -> UserAccount:
        """Create the account (Cognito emails a temporary password) in the role's group."""
        with _translated(email):
            self.client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                ],
                DesiredDeliveryMediums=["EMAIL"],
            )
            self.client.admin_add_user_to_group(UserPoolId=self._pool, Username=email, GroupName=role)
        return self.user(email)

    def set_role(self, email: str, role: str) -> None:
        with _translated(email):
            current = self.client.admin_list_groups_for_user(UserPoolId=self._pool, Username=email)["Groups"]
            for group in (g["GroupName"] for g in current):
                if group in ROLES and group != role:
                    self.client.admin_remove_user_from_group(
                        UserPoolId=self._pool, Username=email, GroupName=group
                    )
            self.client.admin_add_user_to_group(UserPoolId=self._pool, Username=email, GroupName=role)

    def set_enabled(self, email: str, enabled: bool) -> None:
        with _translated(email):
            if enabled:
                self.client.admin_enable_user(UserPoolId=self._pool, Username=email)
            else:
                self.client.admin_disable_user(UserPoolId=self._pool, Username=email)

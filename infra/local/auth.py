"""What API Gateway's Cognito user pool authorizer does: verify the id token against the pool's keys."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import jwt

from infra.local.resources import REGION


class Unauthorized(Exception):
    """The request carries no token, or one this pool did not issue or that has expired."""


class CognitoVerifier:
    """Checks signature (the pool's JWKS, fetched from the moto server), issuer, audience, token use and
    expiry, as the REST API's COGNITO_USER_POOLS authorizer does for id tokens."""

    def __init__(self, moto_url: str, user_pool_id: str, client_id: str) -> None:
        self._jwks_url = f"{moto_url}/{user_pool_id}/.well-known/jwks.json"
        # moto signs with the issuer AWS would use for the pool.
        self.issuer = f"https://cognito-idp.{REGION}.amazonaws.com/{user_pool_id}"
        self._client_id = client_id
        self._keys: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _key(self, kid: str) -> Any:
        with self._lock:
            if kid not in self._keys:
                with urllib.request.urlopen(self._jwks_url, timeout=5) as response:  # noqa: S310 (local URL)
                    jwks = json.loads(response.read())
                for key in jwks.get("keys", []):
                    self._keys[key["kid"]] = jwt.PyJWK(key).key
            if kid not in self._keys:
                raise Unauthorized("unknown signing key")
            return self._keys[kid]

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The verified claims of the `Authorization` header's token (raw or `Bearer <token>`)."""
        if not authorization or not authorization.strip():
            raise Unauthorized("no token")
        token = authorization.strip()
        if token.lower().startswith("bearer "):
            token = token[7:].strip()
        try:
            header = jwt.get_unverified_header(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                self._key(str(header.get("kid", ""))),
                algorithms=["RS256"],
                audience=self._client_id,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(str(error)) from error
        if claims.get("token_use") != "id":
            raise Unauthorized("not an id token")
        return claims

"""Credentials from env or Secrets Manager, and the archive's key scheme."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from shared.adapters.archive import key_time, raw_key
from shared.adapters.secrets import SecretsReader
from shared.errors import ConfigurationError
from shared.platforms.credentials import PlatformCredentials, load_credentials
from shared.settings import Settings


class FakeSecretsManager:
    def __init__(self, value: str | None = None, error: str | None = None) -> None:
        self.value, self.error, self.calls = value, error, 0

    def get_secret_value(self, SecretId):  # noqa: N803
        self.calls += 1
        if self.error:
            raise ClientError({"Error": {"Code": self.error, "Message": "x"}}, "GetSecretValue")
        return {"SecretString": self.value}


def test_locally_credentials_come_from_the_settings_env_fields():
    settings = Settings.model_validate(
        {"META_APP_SECRET": "s", "X_CONSUMER_SECRET": "x", "TELEGRAM_BOT_TOKEN": ""}
    )
    creds = load_credentials(settings)
    assert (creds.meta_app_secret, creds.x_consumer_secret, creds.telegram_bot_token) == ("s", "x", None)


def test_in_aws_the_secret_json_is_read_once_and_cached():
    client = FakeSecretsManager(json.dumps({"META_APP_SECRET": "from-sm", "WHATSAPP_TEMPLATE": "care_v2"}))
    reader = SecretsReader(client)
    settings = Settings.model_validate({"HEARD_PLATFORM_SECRET_ARN": "arn:secret", "META_APP_SECRET": "env"})
    first = load_credentials(settings, secrets=reader)
    load_credentials(settings, secrets=reader)
    assert first.meta_app_secret == "from-sm" and first.whatsapp_template == "care_v2" and client.calls == 1


def test_cache_expires_so_rotated_secrets_are_picked_up():
    ticks = iter([0.0, 400.0, 400.0])  # stored at 0, read at 400: expired
    client = FakeSecretsManager(json.dumps({"META_APP_SECRET": "a"}))
    reader = SecretsReader(client, ttl_seconds=300, monotonic=lambda: next(ticks))
    reader.get_json("arn")
    reader.get_json("arn")
    assert client.calls == 2


@pytest.mark.parametrize(
    "client",
    [
        FakeSecretsManager(error="AccessDeniedException"),
        FakeSecretsManager("not json"),
        FakeSecretsManager("[1]"),
        FakeSecretsManager(json.dumps({"META_APP_SECRET": ""})),
    ],
)
def test_unreadable_or_invalid_secret_is_a_configuration_error(client):
    settings = Settings.model_validate({"HEARD_PLATFORM_SECRET_ARN": "arn:secret"})
    with pytest.raises(ConfigurationError):
        load_credentials(settings, secrets=SecretsReader(client))


def test_credentials_never_print_their_values():
    creds = PlatformCredentials(META_APP_SECRET="very-secret")
    assert "very-secret" not in repr(creds) and "very-secret" not in str(creds)


def test_archive_keys_sort_by_time_and_encode_it():
    moment = datetime(2026, 3, 1, 9, 5, 7, 123000, tzinfo=UTC)
    key = raw_key("meta", moment, "abc")
    assert key == "raw/meta/2026/03/01/09/2026-03-01T09:05:07.123Z-abc.json"
    assert key_time(key) == moment and key_time("raw/meta/other.json") is None
    assert raw_key("x", moment.replace(hour=8), "z") < raw_key("x", moment, "a")

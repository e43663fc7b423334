"""Platform credentials: one Secrets Manager secret (JSON) in AWS, the settings' env fields locally.

The secret's keys are the environment variable names (META_APP_SECRET, X_CONSUMER_SECRET, ...), so the
same names work in both places. A platform whose secret is missing is refused by its adapter with a
ConfigurationError (the webhook answers 401/403), never a crash.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.errors import ConfigurationError

Secret = Annotated[str | None, Field(min_length=1, max_length=4096)]


class PlatformCredentials(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    meta_app_secret: Annotated[Secret, Field(alias="META_APP_SECRET")] = None
    meta_verify_token: Annotated[Secret, Field(alias="META_VERIFY_TOKEN")] = None
    meta_page_token: Annotated[Secret, Field(alias="META_PAGE_TOKEN")] = None
    # Optional ids the subscription health check asks Meta about.
    meta_page_id: Annotated[Secret, Field(alias="META_PAGE_ID")] = None
    meta_app_id: Annotated[Secret, Field(alias="META_APP_ID")] = None
    whatsapp_business_account_id: Annotated[Secret, Field(alias="WHATSAPP_BUSINESS_ACCOUNT_ID")] = None
    # Outside WhatsApp's 24 h window only an approved template may be sent; its one body parameter
    # carries the agent's text.
    whatsapp_template: Annotated[str, Field(alias="WHATSAPP_TEMPLATE", min_length=1, max_length=512)] = (
        "heard_reply"
    )
    whatsapp_template_language: Annotated[
        str, Field(alias="WHATSAPP_TEMPLATE_LANGUAGE", min_length=2, max_length=16)
    ] = "en"
    x_consumer_secret: Annotated[Secret, Field(alias="X_CONSUMER_SECRET")] = None
    x_bearer_token: Annotated[Secret, Field(alias="X_BEARER_TOKEN")] = None
    x_account_id: Annotated[Secret, Field(alias="X_ACCOUNT_ID")] = None
    telegram_secret_token: Annotated[Secret, Field(alias="TELEGRAM_SECRET_TOKEN")] = None
    telegram_bot_token: Annotated[Secret, Field(alias="TELEGRAM_BOT_TOKEN")] = None
    linkedin_client_secret: Annotated[Secret, Field(alias="LINKEDIN_CLIENT_SECRET")] = None
    linkedin_access_token: Annotated[Secret, Field(alias="LINKEDIN_ACCESS_TOKEN")] = None
    generic_webhook_secret: Annotated[Secret, Field(alias="GENERIC_WEBHOOK_SECRET")] = None
    generic_callback_url: Annotated[
        str | None, Field(alias="GENERIC_CALLBACK_URL", max_length=2000, pattern=r"^https?://")
    ] = None

    def __repr__(self) -> str:  # never print secrets into logs
        configured = sorted(name for name, value in self.__dict__.items() if value)
        return f"PlatformCredentials(configured={configured})"

    __str__ = __repr__


def _from_settings(settings: Any) -> PlatformCredentials:
    values = {
        name: getattr(settings, name) for name in PlatformCredentials.model_fields if hasattr(settings, name)
    }
    return PlatformCredentials.model_validate({k: v for k, v in values.items() if v})


def load_credentials(settings: Any, *, secrets: Any = None) -> PlatformCredentials:
    """Credentials for this environment. `secrets` (a `shared.adapters.secrets.SecretsReader`) is
    injectable for tests; by default a cached, lazily created Secrets Manager reader is used."""
    arn = getattr(settings, "platform_secret_arn", None)
    if not arn:
        return _from_settings(settings)
    if secrets is None:
        from shared.adapters.secrets import default_reader  # boto3 only when AWS is actually used

        secrets = default_reader()
    data = secrets.get_json(arn)
    try:
        return PlatformCredentials.model_validate(data)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
        raise ConfigurationError(f"platform credentials secret has invalid fields: {fields}") from error

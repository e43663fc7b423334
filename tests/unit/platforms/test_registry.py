"""Every registered platform is complete (issue #9.2): its package holds an inbound adapter whose signer
and verifier agree, a spec whose credentials and API URL exist where they are read, and, when Heard can
reply there, an outbound connector and a local fake. docs/platforms.md has the checklist."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.models.interaction import Platform
from shared.platforms import REGISTERED, get_adapter, get_spec, local_credentials, secret_names, specs
from shared.platforms.credentials import PlatformCredentials
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", REGISTERED)
def test_the_package_holds_the_spec_and_the_adapter(name: str) -> None:
    spec = get_spec(name)
    assert spec.name == name and spec.title and spec.limits and spec.windows
    package = ROOT / "shared" / "platforms" / name
    assert (package / "spec.py").is_file() and (package / "inbound.py").is_file()
    for target in filter(None, (spec.inbound, spec.outbound, spec.fake, spec.sign_delivery)):
        assert target.startswith(f"shared.platforms.{name}."), target  # one home per platform
    adapter = get_adapter(name)
    assert adapter.name == name
    for method in ("handshake", "verify", "parse"):
        assert callable(getattr(adapter, method))


@pytest.mark.parametrize("name", REGISTERED)
def test_a_delivery_signed_by_the_spec_verifies_and_a_tampered_one_does_not(name: str) -> None:
    spec = get_spec(name)
    creds = PlatformCredentials.model_validate(local_credentials())
    body = json.dumps({"registry": name}).encode()
    headers = spec.sign(local_credentials(), body, NOW)
    get_adapter(name).verify(headers, body, creds, NOW)  # raises SignatureInvalid when they disagree
    if name != "telegram":  # Telegram's secret header does not cover the body
        from shared.errors import SignatureInvalid

        with pytest.raises(SignatureInvalid):
            get_adapter(name).verify(headers, body + b" ", creds, NOW)


@pytest.mark.parametrize("name", REGISTERED)
def test_credentials_exist_where_they_are_read(name: str) -> None:
    spec = get_spec(name)
    assert spec.credentials, "a platform needs at least the secret that authenticates its deliveries"
    for credential in spec.credentials:
        assert credential.purpose
        field = PlatformCredentials.model_fields[credential.field]
        assert field.alias == credential.name
        if credential.secret:
            # Locally the secrets come from the environment through the settings.
            assert Settings.model_fields[credential.field].alias == credential.name
    first = spec.credentials[0]
    assert first.secret and first.local_default, "the delivery secret needs a local default for `make run`"


@pytest.mark.parametrize("name", REGISTERED)
def test_a_platform_heard_replies_on_has_a_connector_an_api_url_and_a_fake(name: str) -> None:
    spec = get_spec(name)
    assert (spec.outbound is None) == (spec.api_url is None)
    if spec.outbound is None:
        return
    assert spec.api_url is not None and spec.fake is not None
    assert callable(spec.load(spec.outbound))
    setting = Settings.model_fields[spec.api_url.setting]
    assert setting.alias == spec.api_url.env and setting.default == spec.api_url.default
    fake = spec.load(spec.fake)()
    assert callable(fake.handle) and callable(fake.failure) and fake.created_status in (200, 201)


def test_every_product_is_delivered_by_exactly_one_platform() -> None:
    served = [product for spec in specs() for product in spec.products]
    assert sorted(served) == sorted(p.value for p in Platform)


def test_the_derived_lists_cover_every_platform() -> None:
    from infra.local.resources import SECRET_DEFAULTS
    from infra.wiring import heard

    [secret] = [s for s in heard().secrets if s.id == "platform-credentials"]
    names = secret_names()
    assert secret.description == "JSON: " + ", ".join(names)
    # Besides the platforms' credentials, the local secrets hold the company-systems key (issue #17).
    assert set(SECRET_DEFAULTS) >= set(names)
    assert local_credentials() == {k: v for k, v in SECRET_DEFAULTS.items() if k != "COMPANY_HMAC_SECRET"}


def test_the_docs_name_every_platform_and_the_checklist() -> None:
    docs = (ROOT / "docs" / "platforms.md").read_text(encoding="utf-8")
    assert "## Adding a platform" in docs
    for spec in specs():
        assert f"`{spec.name}`" in docs

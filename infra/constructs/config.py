"""The company's configuration in SSM Parameter Store and the platform credentials in Secrets Manager."""

from __future__ import annotations

from aws_cdk import Acknowledgment, RemovalPolicy, Validations
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.lambda_factory import construct_id
from infra.wiring import Wiring
from shared.models.config import (
    ADVANCED_PARAMETER_BYTES,
    STANDARD_PARAMETER_BYTES,
    encode_config,
)

STANDARD_PARAMETER_LIMIT = STANDARD_PARAMETER_BYTES  # bytes; larger values need the (paid) advanced tier


def compact_json(text: str) -> str:
    """The parameter's value: the source JSON without whitespace while it fits the standard tier's 4 KB,
    else compressed (see `encode_config`); a document too large even for the advanced tier fails synth."""
    value = encode_config(text)
    if len(value.encode()) > ADVANCED_PARAMETER_BYTES:
        raise ValueError(
            f"the configuration is {len(value.encode())} bytes even compressed; SSM holds {ADVANCED_PARAMETER_BYTES}"
        )
    return value


class Config(Construct):
    def __init__(self, scope: Construct, cid: str, *, wiring: Wiring, key: kms.IKey) -> None:
        super().__init__(scope, cid)
        self.parameters: dict[str, ssm.StringParameter] = {}
        for spec in wiring.parameters:
            value = compact_json(spec.source_file.read_text(encoding="utf-8"))
            size = len(value.encode())
            self.parameters[spec.id] = ssm.StringParameter(
                self,
                f"{construct_id(spec.id)}Parameter",
                description=f"Heard {spec.id} (from {spec.source_file.name}); editable at run time",
                string_value=value,
                tier=ssm.ParameterTier.STANDARD
                if size <= STANDARD_PARAMETER_LIMIT
                else ssm.ParameterTier.ADVANCED,
            )

        self.secrets: dict[str, secretsmanager.Secret] = {}
        for secret_spec in wiring.secrets:
            generated = secret_spec.generated_key is not None
            secret = secretsmanager.Secret(
                self,
                f"{construct_id(secret_spec.id)}Secret",
                description=f"Heard {secret_spec.id}. {secret_spec.description}",
                encryption_key=key,
                # Platform credentials start as an empty JSON object the operator fills (docs/deploy.md);
                # a key Heard uses itself is generated here.
                secret_object_value=None if generated else {},
                generate_secret_string=secretsmanager.SecretStringGenerator(
                    secret_string_template="{}",
                    generate_string_key=secret_spec.generated_key,
                    password_length=64,
                    exclude_punctuation=True,
                )
                if generated
                else None,
                removal_policy=RemovalPolicy.RETAIN,
            )
            reason = (
                "An incoming-webhook URL issued by Slack or Teams; an admin replaces it in the console "
                "(PUT /api/integrations/chat-webhook) when the chat tool issues a new one."
                if secret_spec.admin_set
                else "A signing key for links Heard sends; rotating it voids the links already sent, so it is "
                "replaced by hand (a new deploy of the secret) when needed."
                if generated
                else "Third-party platform credentials (Meta, X, Telegram, LinkedIn) are issued by those "
                "platforms and cannot be rotated by a Lambda; operators rotate them there."
            )
            Validations.of(secret).acknowledge(Acknowledgment(id="AwsSolutions-SMG4", reason=reason))
            self.secrets[secret_spec.id] = secret

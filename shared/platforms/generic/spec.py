"""The generic signed-JSON channel for bridges and pollers (review sites, YouTube, Google reviews)."""

from shared.platforms.spec import Credential, PlatformSpec

SPEC = PlatformSpec(
    name="generic",
    title="Generic signed JSON (bridges and pollers)",
    products=("generic",),
    inbound="shared.platforms.generic.inbound:GenericAdapter",
    sign_delivery="shared.platforms.generic.inbound:sign_delivery",
    credentials=(
        Credential(
            "GENERIC_WEBHOOK_SECRET", "signs timestamp + body (X-Heard-Signature)", "heard-local-generic"
        ),
    ),
    limits="timestamps within 5 minutes of now; the webhook's size limit",
    windows="none (replies go back through the bridge's own platform)",
)

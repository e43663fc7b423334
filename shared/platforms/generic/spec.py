"""The generic signed-JSON channel for bridges and pollers (review sites, YouTube, Google reviews)."""

from shared.platforms.spec import ApiUrl, Credential, PlatformSpec

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
        Credential(
            "GENERIC_CALLBACK_URL",
            "where this source's replies are posted, signed like its deliveries",
            secret=False,
        ),
    ),
    outbound="shared.platforms.generic.outbound:send",
    # The single-account setup's callback (an account's own GENERIC_CALLBACK_URL credential wins).
    api_url=ApiUrl("GENERIC_CALLBACK_URL", ""),
    fake="shared.platforms.generic.fake:FakeGeneric",
    limits="timestamps within 5 minutes of now; the webhook's size limit",
    windows="none (the bridge applies its own platform's windows)",
)

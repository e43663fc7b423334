"""LinkedIn organisation pages: social action notifications (comments, mentions). Replies are made on
LinkedIn itself: Heard has no outbound connector for it yet."""

from shared.platforms.spec import Credential, PlatformSpec

SPEC = PlatformSpec(
    name="linkedin",
    title="LinkedIn",
    products=("linkedin",),
    inbound="shared.platforms.linkedin.inbound:LinkedInAdapter",
    sign_delivery="shared.platforms.linkedin.inbound:sign_delivery",
    credentials=(
        Credential(
            "LINKEDIN_CLIENT_SECRET", "signs deliveries and answers the challenge", "heard-local-linkedin"
        ),
    ),
    limits="challenge answered within 3 s; notifications batched",
    windows="none",
)

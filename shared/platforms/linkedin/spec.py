"""LinkedIn organisation pages: social action notifications (comments, mentions) in, comment replies out
through the Community Management API (`POST /rest/socialActions/{urn}/comments`)."""

from shared.platforms.spec import ApiUrl, Credential, PlatformSpec

# LinkedIn's versioned REST API refuses a call without `LinkedIn-Version: YYYYMM`; versions are sunset
# about a year after release, so this moves with the code (and the fake checks it is sent).
API_VERSION = "202511"
RESTLI_PROTOCOL = "2.0.0"
# A comment's text: LinkedIn accepts up to 1,250 characters.
COMMENT_MAX_CHARACTERS = 1250

SPEC = PlatformSpec(
    name="linkedin",
    title="LinkedIn",
    products=("linkedin",),
    inbound="shared.platforms.linkedin.inbound:LinkedInAdapter",
    sign_delivery="shared.platforms.linkedin.inbound:sign_delivery",
    outbound="shared.platforms.linkedin.outbound:send",
    api_url=ApiUrl("LINKEDIN_API_URL", "https://api.linkedin.com/rest"),
    fake="shared.platforms.linkedin.fake:FakeLinkedIn",
    credentials=(
        Credential(
            "LINKEDIN_CLIENT_SECRET", "signs deliveries and answers the challenge", "heard-local-linkedin"
        ),
        Credential(
            "LINKEDIN_ACCESS_TOKEN",
            "an organisation admin's token with w_organization_social: comments as the organisation",
            "heard-local-linkedin-token",
        ),
    ),
    limits=(
        "challenge answered within 3 s; notifications batched; comments up to 1,250 characters; "
        "daily per-member and per-app call limits answered with HTTP 429"
    ),
    windows="none",
)

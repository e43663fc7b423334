"""X (Account Activity API): mentions, replies and DMs addressed to our account."""

from shared.platforms.spec import ApiUrl, Credential, ImageRule, PlatformSpec

SPEC = PlatformSpec(
    name="x",
    title="X",
    products=("x",),
    inbound="shared.platforms.x.inbound:XAdapter",
    sign_delivery="shared.platforms.x.inbound:sign_delivery",
    outbound="shared.platforms.x.outbound:send",
    api_url=ApiUrl("X_API_URL", "https://api.x.com"),
    fake="shared.platforms.x.fake:FakeX",
    moderation="shared.platforms.x.moderation:moderate",
    moderation_actions={"x": ("hide", "unhide")},
    # Media upload (POST /2/media/upload), then the post or DM names the media id.
    reply_images={
        "x": ImageRule(("image/jpeg", "image/png", "image/gif", "image/webp"), 5 * 1024 * 1024, upload=True)
    },
    credentials=(
        Credential("X_CONSUMER_SECRET", "signs deliveries and answers the CRC", "heard-local-x-secret"),
        Credential("X_BEARER_TOKEN", "sends replies (tweets, DMs)", "heard-local-x-bearer"),
        Credential(
            "X_ACCOUNT_ID",
            "our account: tells our own posts from customers'",
            "1000000000000000001",
            secret=False,
        ),
    ),
    limits="about 100 posts per 15 min per user; CRC answered within 3 s",
    windows="none",
)

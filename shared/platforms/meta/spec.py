"""Meta: Facebook Page feed, Messenger, Instagram (DMs and comments) and the WhatsApp Cloud API."""

from shared.platforms.spec import ApiUrl, Credential, ImageRule, PlatformSpec

SPEC = PlatformSpec(
    name="meta",
    title="Meta (Facebook Pages, Messenger, Instagram, WhatsApp)",
    products=("facebook", "messenger", "instagram", "whatsapp"),
    inbound="shared.platforms.meta.inbound:MetaAdapter",
    sign_delivery="shared.platforms.meta.inbound:sign_delivery",
    outbound="shared.platforms.meta.outbound:send",
    api_url=ApiUrl("META_GRAPH_URL", "https://graph.facebook.com/v21.0"),
    fake="shared.platforms.meta.fake:FakeMeta",
    moderation="shared.platforms.meta.moderation:moderate",
    media="shared.platforms.meta.media:fetch",
    moderation_actions={
        "facebook": ("hide", "unhide", "delete", "block", "unblock"),
        "instagram": ("hide", "unhide", "delete"),
    },
    # Send API attachments (Messenger, Instagram DMs) and WhatsApp image messages; Page and Instagram
    # comments take none from Heard.
    reply_images={
        "messenger:direct": ImageRule(("image/jpeg", "image/png", "image/gif"), 8 * 1024 * 1024),
        "instagram:direct": ImageRule(("image/jpeg", "image/png"), 8 * 1024 * 1024),
        "whatsapp": ImageRule(("image/jpeg", "image/png"), 5 * 1024 * 1024),
    },
    credentials=(
        Credential("META_APP_SECRET", "signs deliveries (X-Hub-Signature-256)", "heard-local-meta-secret"),
        Credential("META_VERIFY_TOKEN", "answers the hub.challenge handshake", "heard-local-verify"),
        Credential("META_PAGE_TOKEN", "sends replies through the Graph API", "heard-local-page-token"),
        Credential("META_PAGE_ID", "the Page the subscription check asks about", secret=False),
        Credential("META_APP_ID", "the app the subscription check asks about", secret=False),
        Credential("WHATSAPP_BUSINESS_ACCOUNT_ID", "the WhatsApp account the check asks about", secret=False),
        Credential("WHATSAPP_TEMPLATE", "approved template outside WhatsApp's 24 h window", secret=False),
        Credential("WHATSAPP_TEMPLATE_LANGUAGE", "that template's language", secret=False),
    ),
    limits="Send API 300 calls/s per Page; batches of up to 1000 updates; Graph rate limits as error codes",
    windows="Messenger/Instagram DMs 24 h (7 days with HUMAN_AGENT); private reply to a comment 7 days; "
    "WhatsApp free-form 24 h, templates after",
)

"""Telegram bots: one update per request, authenticated by a shared secret header."""

from shared.platforms.spec import ApiUrl, Credential, ImageRule, PlatformSpec

SPEC = PlatformSpec(
    name="telegram",
    title="Telegram",
    products=("telegram",),
    inbound="shared.platforms.telegram.inbound:TelegramAdapter",
    sign_delivery="shared.platforms.telegram.inbound:sign_delivery",
    outbound="shared.platforms.telegram.outbound:send",
    api_url=ApiUrl("TELEGRAM_API_URL", "https://api.telegram.org"),
    fake="shared.platforms.telegram.fake:FakeTelegram",
    media="shared.platforms.telegram.media:fetch",
    # sendPhoto by URL (Telegram fetches it): at most 5 MB that way; the text becomes the caption.
    reply_images={
        "telegram": ImageRule(("image/jpeg", "image/png", "image/gif", "image/webp"), 5 * 1024 * 1024)
    },
    credentials=(
        Credential(
            "TELEGRAM_SECRET_TOKEN",
            "setWebhook's secret_token, sent with every update",
            "heard-local-telegram",
        ),
        Credential("TELEGRAM_BOT_TOKEN", "sends replies (sendMessage)", "123456:heard-local-bot"),
    ),
    limits="about 30 messages/s per bot, 1/s per chat; 429 with retry_after",
    windows="none",
)

"""The demo feed: a stream of realistic social posts replayed as correctly signed webhooks.

Each post becomes the delivery its platform would send (a Facebook Page feed comment, a Messenger
message, an Instagram comment, a WhatsApp message, an X mention) signed with the local secrets, and is
POSTed to the front door a few seconds apart, so a newcomer watching the console sees cases arrive,
get triaged and land in team queues within a minute. Ids are unique per run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shared.platforms import get_spec

log = logging.getLogger("heard.local")

PAGE_ID = "104000000000001"
IG_ACCOUNT_ID = "17841400000000001"
WABA_ID = "102000000000001"
PHONE_NUMBER_ID = "106000000000001"


@dataclass(frozen=True)
class Post:
    channel: str  # feed, messenger, instagram, whatsapp, x
    author: str
    text: str


# Written for Heard's demo: a mix of what a care team sees in a day.
POSTS: tuple[Post, ...] = (
    Post(
        "feed",
        "Maria Lopez",
        "My order #48213 was supposed to arrive on Monday and it's Thursday now. Any update?",
    ),
    Post(
        "messenger", "Tom Becker", "Hi! Can I change the delivery address on an order I placed this morning?"
    ),
    Post("instagram", "jess.makes", "Love the new autumn collection 😍 the green one is perfect"),
    Post(
        "whatsapp",
        "Priya Shah",
        "Hello, I was charged twice for the same order. Can someone look into it please?",
    ),
    Post(
        "feed",
        "Dave Ellis",
        "THIRD time I'm asking. Where is my refund??? This is ridiculous, you took my money weeks ago",
    ),
    Post("x", "Sam Okafor", "@heardcare is the app down? Can't log in since this morning"),
    Post("feed", "Linda Park", "Do you ship to Canada? Couldn't find it on the website."),
    Post("messenger", "Tom Becker", "Sorry, forgot to say: the order number is 77120. Thanks!"),
    Post(
        "instagram",
        "cheap_followers_4u",
        "🔥 Get 10k followers FAST 🔥 DM us now, best prices!!! link in bio",
    ),
    Post("whatsapp", "Carlos Ruiz", "Hola, mi pedido llegó roto. ¿Cómo puedo pedir un reembolso? Gracias"),
    Post(
        "feed",
        "Helen Wright",
        "Just wanted to say the lady on your phone line yesterday was wonderful. Sorted in 5 minutes!",
    ),
    Post(
        "x", "Ben Carter", "@heardcare two weeks and still no reply to my email. Absolutely shocking service."
    ),
    Post("messenger", "Aisha Khan", "Is the blue kettle back in stock anytime soon?"),
    Post(
        "feed",
        "Greg Hollis",
        "The charger you sold me started smoking last night and burned my desk. This is dangerous!",
    ),
    Post("instagram", "nora.travels", "How long does delivery to Ireland usually take?"),
    Post("whatsapp", "Olu Adeyemi", "My password reset email never arrives. I've tried 4 times."),
    Post(
        "feed",
        "Kevin Murphy",
        "Your delivery driver left my parcel in the rain. Everything inside is soaked.",
    ),
    Post("messenger", "Sophie Martin", "Thanks so much for the quick refund, really appreciated!"),
    Post("x", "Rita Gomez", "@heardcare loving the new app update, checkout is so much faster now 👏"),
    Post(
        "feed",
        "Paul Dawson",
        "Cancel my subscription. I've asked twice already. If it's not done today I'm disputing the charge with my bank.",
    ),
    Post("instagram", "mike_d_photo", "Does the 50mm lens come with a hood or is that extra?"),
    Post(
        "whatsapp",
        "Emma Wilson",
        "Hi, I need an invoice for my company for order 66231. VAT number GB123456789.",
    ),
    Post("feed", "Zoe Adams", "Great prices but the sizing chart is way off. Had to return two pairs."),
    Post("messenger", "Liam O'Brien", "The discount code WELCOME10 says it's invalid. Is it still running?"),
    Post("x", "Hannah Lee", "@heardcare I've been on hold for 45 minutes. Is anyone actually working today?"),
    Post("feed", "Win Big Crypto", "Earn $5000 a week from home!!! Click here 👉 bit.ly/not-a-scam"),
    Post(
        "instagram", "the.green.kitchen", "Will you restock the ceramic bowls? Asking for my whole family 😄"
    ),
    Post(
        "whatsapp",
        "Yusuf Demir",
        "The tracking link says delivered but I have nothing. Neighbours haven't seen it either.",
    ),
    Post(
        "feed",
        "Claire Dubois",
        "Ordered a gift, it arrived beautifully wrapped. Thank you for the handwritten note!",
    ),
    Post("messenger", "Aisha Khan", "Also, do you do gift cards?"),
    Post(
        "x",
        "Jordan Blake",
        "@heardcare your latest ad is really offensive and a lot of people are talking about it. Boycotting until you apologise.",
    ),
    Post(
        "feed",
        "Marco Bianchi",
        "Why was my account suspended? I didn't do anything wrong and I can't reach anyone.",
    ),
    Post("instagram", "lucy.runs", "Is the running vest true to size? I'm between an S and M"),
    Post(
        "whatsapp",
        "Grace Kim",
        "Could you call me back? My order arrived with the wrong item and I need it for Saturday.",
    ),
    Post(
        "feed",
        "Robert Hale",
        "Terrible. Ordered a fridge, delivery window 8-6, nobody came, nobody called. Took a day off work for nothing.",
    ),
    Post("messenger", "Ines Costa", "Can I pay in instalments?"),
    Post("feed", "Anna Novak", "Is your store on High Street open on Sunday?"),
    Post(
        "x",
        "Chris Moore",
        "@heardcare my card details were shown to someone else in your chat window?? Is my data safe?",
    ),
    Post("instagram", "daniel_b", "You never answer DMs. Why even have one?"),
    Post("whatsapp", "Fatima Zahra", "Thank you, the replacement arrived today and it works perfectly 🙏"),
)


def sign_meta(body: bytes, app_secret: str) -> str:
    """`X-Hub-Signature-256` for a Meta delivery (the platform's own signer, from its spec)."""
    headers = get_spec("meta").sign({"META_APP_SECRET": app_secret}, body, datetime.now(UTC))
    return headers["X-Hub-Signature-256"]


def sign_x(body: bytes, consumer_secret: str) -> str:
    """`x-twitter-webhooks-signature` for an X Account Activity delivery."""
    headers = get_spec("x").sign({"X_CONSUMER_SECRET": consumer_secret}, body, datetime.now(UTC))
    return headers["x-twitter-webhooks-signature"]


def _person_id(name: str, digits: int = 16) -> str:
    # Stable per author, so a customer's second message threads into their open case.
    return str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:digits]


def delivery(post: Post, unique: str, now: float | None = None) -> tuple[str, dict[str, Any]]:
    """(platform path segment, payload) for one post; `unique` keeps message ids distinct per run."""
    moment = time.time() if now is None else now
    seconds, millis = int(moment), int(moment * 1000)
    who = _person_id(post.author)
    if post.channel == "feed":
        post_id = f"{PAGE_ID}_{_person_id('post' + unique, 15)}"
        return "meta", {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "time": seconds,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "from": {"id": who, "name": post.author},
                                "item": "comment",
                                "verb": "add",
                                "post_id": post_id,
                                "parent_id": post_id,
                                "comment_id": f"{post_id.split('_')[1]}_{unique}",
                                "message": post.text,
                                "created_time": seconds,
                            },
                        }
                    ],
                }
            ],
        }
    if post.channel == "messenger":
        return "meta", {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "time": millis,
                    "messaging": [
                        {
                            "sender": {"id": who},
                            "recipient": {"id": PAGE_ID},
                            "timestamp": millis,
                            "message": {"mid": f"m_{unique}", "text": post.text},
                        }
                    ],
                }
            ],
        }
    if post.channel == "instagram":
        return "meta", {
            "object": "instagram",
            "entry": [
                {
                    "id": IG_ACCOUNT_ID,
                    "time": seconds,
                    "changes": [
                        {
                            "field": "comments",
                            "value": {
                                "from": {"id": who, "username": post.author},
                                "id": f"179{unique}",
                                "media": {"id": "17900000000000001", "media_product_type": "FEED"},
                                "text": post.text,
                            },
                        }
                    ],
                }
            ],
        }
    if post.channel == "whatsapp":
        phone = "44" + _person_id(post.author, 10)
        return "meta", {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": WABA_ID,
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "15550100",
                                    "phone_number_id": PHONE_NUMBER_ID,
                                },
                                "contacts": [{"profile": {"name": post.author}, "wa_id": phone}],
                                "messages": [
                                    {
                                        "from": phone,
                                        "id": f"wamid.{unique}",
                                        "timestamp": str(seconds),
                                        "type": "text",
                                        "text": {"body": post.text},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    if post.channel == "x":
        handle = post.author.lower().replace(" ", "_")
        return "x", {
            "for_user_id": "1000000000000000001",
            "tweet_create_events": [
                {
                    "id_str": unique,
                    "text": post.text,
                    "timestamp_ms": str(millis),
                    "user": {
                        "id_str": who,
                        "name": post.author,
                        "screen_name": handle,
                        "followers_count": 230,
                    },
                }
            ],
        }
    raise ValueError(f"unknown demo channel: {post.channel}")


def signed_request(
    base_url: str, platform: str, payload: Mapping[str, Any], secrets: Mapping[str, str]
) -> urllib.request.Request:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        **get_spec(platform).sign(secrets, body, datetime.now(UTC)),
    }
    return urllib.request.Request(
        f"{base_url}/webhooks/{platform}", data=body, headers=headers, method="POST"
    )


class DemoFeed:
    """Replays `POSTS` once, one every `interval_seconds`, in a background thread."""

    def __init__(
        self,
        base_url: str,
        secrets: Mapping[str, str],
        interval_seconds: float = 3.0,
        posts: tuple[Post, ...] = POSTS,
    ) -> None:
        self._base_url = base_url
        self._secrets = dict(secrets)
        self._interval = interval_seconds
        self._posts = posts
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heard-demo", daemon=True)
        self.sent = 0
        self.failed = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        run = uuid.uuid4().int % 10**8
        for number, post in enumerate(self._posts):
            if self._stop.wait(self._interval if number else 1.0):
                return
            platform, payload = delivery(post, unique=f"{run:08d}{number:04d}")
            try:
                with urllib.request.urlopen(
                    signed_request(self._base_url, platform, payload, self._secrets), timeout=10
                ) as response:  # noqa: S310 (our own front door)
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                self.failed += 1
                log.warning("demo post failed", extra={"error": str(error)})
                continue
            if status == 200:
                self.sent += 1
            else:
                self.failed += 1
            log.info(
                "demo post sent", extra={"channel": post.channel, "author": post.author, "status": status}
            )
        log.info("demo feed finished", extra={"sent": self.sent, "failed": self.failed})

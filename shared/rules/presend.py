"""The pre-send check (R13): the reply checklist and HEARD (Hear, Empathise, Apologise, Resolve,
Diagnose), applied to a draft before it goes out.

It flags, it never blocks: the agent may send anyway, and what it said is stored with the reply. Each
rule is plain word matching, deliberately conservative (a false alarm on every reply teaches agents to
ignore it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
EMPATHY = re.compile(
    r"\b(sorry|apologi[sz]e|apologies|understand(able)?|frustrat\w*|disappoint\w*|annoying|"
    r"i hear you|that'?s not (ok|okay|good enough|acceptable)|thank you for (telling|letting|flagging|"
    r"your patience|bearing)|unacceptable|not the experience|must have been|we let you down)\b",
    re.IGNORECASE,
)
PROMISE = re.compile(
    r"\b(we'?ll|we will|i'?ll|i will|we are|we're|i'm|i am) (look(ing)? into|check(ing)?|get back|"
    r"sort(ing)? (it|this)|fix(ing)?|investigat\w*|follow(ing)? up|escalat\w*|resolv\w*|chas\w*)",
    re.IGNORECASE,
)
NEXT_STEP = re.compile(
    r"\b(today|tonight|tomorrow|within|by (monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"end of|noon|\d)|\d+\s*(minutes?|mins?|hours?|hrs?|days?|working days?)|next step|"
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)|case (number|#)|reference|"
    r"https?://|www\.|\w+\.\w{2,}/)",
    re.IGNORECASE,
)
PERSONAL = re.compile(
    r"\b(e-?mail( address)?|phone( number)?|mobile( number)?|(home )?address|post ?code|zip( code)?|"
    r"account (number|details)|card (number|details)|date of birth|dob|password|pin|order (number|id)|"
    r"booking (reference|number)|passport|iban|sort code)\b",
    re.IGNORECASE,
)
ASKING = re.compile(
    r"\b(send|share|provide|post|tell|give|reply with|confirm|what(?:'s| is)|include|let us have)\b",
    re.IGNORECASE,
)
PRIVATE = re.compile(r"\b(dm|direct message|private message|privately|inbox|message us)\b", re.IGNORECASE)
_STOP = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "been",
        "before",
        "being",
        "but",
        "can",
        "cannot",
        "could",
        "did",
        "does",
        "doing",
        "done",
        "dont",
        "from",
        "have",
        "having",
        "here",
        "hers",
        "how",
        "into",
        "just",
        "like",
        "more",
        "most",
        "much",
        "need",
        "only",
        "other",
        "over",
        "same",
        "should",
        "some",
        "still",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "very",
        "want",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "your",
        "yours",
        "you",
        "are",
        "and",
        "for",
        "not",
        "any",
        "all",
        "our",
        "out",
        "get",
        "got",
        "has",
        "had",
        "its",
        "it's",
        "i'm",
        "i've",
        "can't",
        "won't",
        "don't",
        "didn't",
        "isn't",
        "hello",
        "thanks",
        "thank",
        "please",
    ]
)


@dataclass(frozen=True)
class Finding:
    code: str  # empathy | question | next_step | personal_data | length
    message: str


def _content(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in _WORD.findall(text) if len(w) >= 4 and w.lower() not in _STOP}


def asked_question(customer_text: str) -> bool:
    return "?" in customer_text or bool(
        re.match(
            r"\s*(how|what|when|where|why|who|which|can|could|do|does|is|are|will)\b", customer_text, re.I
        )
    )


def check(
    reply: str,
    customer_text: str,
    *,
    negative: bool,
    public: bool,
    private_reply: bool,
    sent_length: int,
    limit: int | None,
) -> list[Finding]:
    """What the checklist finds in `reply` (answering `customer_text`); [] when nothing."""
    found: list[Finding] = []
    if negative and not EMPATHY.search(reply):
        found.append(Finding("empathy", "The customer is upset: acknowledge how they feel before the fix."))
    if asked_question(customer_text):
        asked = _content(customer_text)
        if len(asked) >= 2 and not asked & _content(reply):
            shown = ", ".join(sorted(asked)[:5])
            found.append(Finding("question", f"The reply does not mention what they asked about ({shown})."))
    if PROMISE.search(reply) and not NEXT_STEP.search(reply):
        found.append(
            Finding(
                "next_step", "It promises action without a next step or a time: say what happens and when."
            )
        )
    if (
        public
        and not private_reply
        and PERSONAL.search(reply)
        and ASKING.search(reply)
        and not PRIVATE.search(reply)
    ):
        found.append(
            Finding(
                "personal_data",
                "It asks for personal details in public: move the conversation to a private message.",
            )
        )
    if limit is not None and sent_length > limit:
        found.append(
            Finding(
                "length",
                f"With the contact line it has {sent_length} characters; the platform allows {limit}.",
            )
        )
    return found

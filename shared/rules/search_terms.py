"""The words a case is found by, and a searcher's words turned into terms (pure).

Emails and phone numbers are masked in every stored text (docs/privacy.md), so a case keeps only a keyed
digest of each one given in a message (`contact_keys`, computed at intake from the words before they are
masked). Searching for an email or a phone number computes the same digest; nobody can read the address
back from the index. Order numbers are not personal data and are kept as they were written.
"""

from __future__ import annotations

import hashlib
import re

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-zA-Z]{2,24}")
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d ()./-]{5,20}\d(?![\w])")
# "order 123456", "order #A-12345", "order number: 98765", "#1234567": a run with at least four digits.
_ORDER = re.compile(
    r"(?i)(?:\border(?:\s*(?:number|no\.?|num|id))?\s*[:#]?\s*#?|#)([A-Z]{0,4}-?\d{4,14}[A-Z]{0,2})\b"
)
_WORD = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*", re.UNICODE)
_QUOTE = re.compile(r'["]')
PHONE_DIGITS = 9  # phones match on their last 9 digits: "+44 7700 900123" is "07700 900123"
MAX_TERMS = 8


def _digest(kind: str, value: str) -> str:
    return kind + ":" + hashlib.sha256(f"heard-contact:{kind}:{value}".encode()).hexdigest()[:24]


def email_key(email: str) -> str:
    return _digest("email", email.strip().lower())


def phone_key(phone: str) -> str | None:
    digits = re.sub(r"\D", "", phone)
    if not 7 <= len(digits) <= 15:
        return None
    return _digest("phone", digits[-PHONE_DIGITS:])


def order_key(order: str) -> str:
    return "order:" + re.sub(r"[^0-9A-Za-z]", "", order).lower()


def contact_keys(text: str) -> list[str]:
    """The digests of the emails and phone numbers in `text` (each once, in order)."""
    keys = [email_key(m.group(0)) for m in _EMAIL.finditer(text)]
    without_emails = _EMAIL.sub(" ", text)
    for match in _PHONE.finditer(without_emails):
        key = phone_key(match.group(0))
        if key and sum(ch.isdigit() for ch in match.group(0)) >= 7:
            keys.append(key)
    return list(dict.fromkeys(keys))


def order_numbers(text: str) -> list[str]:
    """Order numbers the customer gave (after "order" or "#"), normalised (each once, in order)."""
    return list(dict.fromkeys(order_key(m.group(1)) for m in _ORDER.finditer(text)))


def written_order_numbers(text: str) -> list[str]:
    """Order numbers the customer gave, as written (to look them up in the company's systems)."""
    return list(dict.fromkeys(m.group(1).upper() for m in _ORDER.finditer(text)))


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """A searcher's text as (keys, words): an email, a phone number or an order number becomes the key it
    is indexed under (matched exactly); every other word is matched as a word or the start of one."""
    keys: list[str] = []
    rest = text
    for match in _EMAIL.finditer(text):
        keys.append(email_key(match.group(0)))
    rest = _EMAIL.sub(" ", rest)
    for match in _PHONE.finditer(rest):
        key = phone_key(match.group(0))
        if key and (match.group(0).startswith("+") or len(re.sub(r"\D", "", match.group(0))) >= 9):
            keys.append(key)
            rest = rest.replace(match.group(0), " ")
    keys.extend(order_numbers(rest))
    rest = _ORDER.sub(" ", rest)
    words = [w.lower() for w in _WORD.findall(_QUOTE.sub(" ", rest))]
    return list(dict.fromkeys(keys))[:MAX_TERMS], list(dict.fromkeys(words))[:MAX_TERMS]

"""Personal data: find it and mask it (R5, R27).

`redact(text)` returns the text with every piece of personal data replaced by a marker such as `[card]`,
and the kinds found. Card numbers are only taken as cards when they pass the Luhn check (so order and
tracking numbers are left alone); IBANs must pass their mod-97 check; national ids whose format carries a
check (Spanish DNI/NIE letter, Brazilian CPF digits, French NIR key) must pass it. Secrets are what a
customer should never have posted: passwords, PINs, card security codes, one-time codes, API keys and
tokens (docs/privacy.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Kinds, in the order they are looked for: earlier kinds win where patterns overlap.
KINDS = ("secret", "email", "iban", "national_id", "card", "phone", "address", "ip")

_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[a-zA-Z]{2,24}")
# Two letters, two check digits, then 11-30 alphanumerics, optionally in groups of four.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
# A run of digit groups separated by single spaces or dashes: the candidates for cards and phones.
# Separators are required between plain groups so the pattern cannot backtrack exponentially.
_DIGIT_RUN = re.compile(r"(?<![\w+])\+?(?:\(\d+\)|\d+)(?:[ .-]?\(\d+\)|[ .-]\d+)*(?!\w)")
_STREET_TYPES = (
    r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|close"
    r"|crescent|square|sq|highway|hwy|parkway|pkwy|grove|gardens"
)
_ROMANCE = r"calle|avenida|avda|plaza|rue|avenue|boulevard|via|viale|piazza|rua|travessa|largo"
_ADDRESS = re.compile(
    # English: "221B Baker Street", "12 N. Main St"
    rf"\b\d{{1,5}}[a-z]?,?\s+(?:[A-Za-z][\w'.-]{{0,30}}\s+){{1,4}}(?:{_STREET_TYPES})\b\.?"
    # Romance languages: "Calle Mayor 5", "rue de Rivoli 12" / "12 rue de Rivoli", "via Roma 3"
    # (a house number is required, so "via email" or "the plaza" are left alone)
    rf"|\b\d{{1,5}},?\s+(?:{_ROMANCE})\s+(?:[^\W\d_][\w'.-]{{0,30}}\s?){{1,3}}"
    rf"|\b(?:{_ROMANCE})\s+(?:[^\W\d_][\w'.-]{{0,30}}\s+){{1,4}}\d{{1,5}}[a-z]?\b"
    # Germanic: "Hauptstraße 5", "Kerkstraat 12", "Bahnhofstr. 3". Quantifiers are bounded so a long
    # run of word characters cannot make the pattern backtrack quadratically.
    r"|\b[^\W\d_][\w-]{0,30}?(?:straße|strasse|str\.|weg|gasse|platz|straat|laan|gracht|plein)\s+\d{1,5}[a-z]?\b",
    re.IGNORECASE,
)
# Card candidates, looser than a digit run: ASCII digit groups separated by up to three spaces, tabs,
# newlines, dots, slashes or dashes, glued to letters or not ("card4111...", "4111  1111", "4111/1111").
# Groups must be separated, so the pattern cannot backtrack; only Luhn-valid windows become [card].
_CARD_RUN = re.compile(r"(?<![0-9])[0-9]+(?:[ \t\r\n./-]{1,3}[0-9]+)*")
# Secrets: the value after a word that names one ("password: hunter2", "PIN 1234", "CVV 123", "code is
# 482913"), and tokens recognisable on their own (AWS keys, Stripe/GitHub/Slack tokens, JWTs, bearer tokens).
_SECRET_WORDS = (
    r"passwords?|passwd|pwd|passcode|pass ?phrase|pin(?: ?code)?|cvv2?|cvc2?|csc|security code"
    r"|(?:one[- ]time|verification|confirmation|login|sms|2fa|otp) ?code|otp"
    r"|contrase(?:ñ|n)a|mot de passe|passwort|kennwort|senha|wachtwoord|clave"
)
_SECRET_AFTER_WORD = re.compile(
    rf"(?<![\w])(?P<word>(?:my |the |your )?(?:{_SECRET_WORDS}))(?P<sep>(?: is|:|=| =| :)?[ \t]{{0,3}})"
    r"(?P<value>[^\s,;)\]}\"'<>]{3,64})",
    re.IGNORECASE,
)
_SECRET_TOKEN = re.compile(
    r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"  # AWS access key ids
    r"|\b(?:sk|pk|rk)_(?:live|test)_[0-9A-Za-z]{10,99}\b"  # Stripe
    r"|\bgh[pousr]_[0-9A-Za-z]{30,255}\b"  # GitHub
    r"|\bxox[abposr]-[0-9A-Za-z-]{10,255}"  # Slack
    r"|\beyJ[\w-]{5,2000}\.[\w-]{5,4000}\.[\w-]{5,2000}"  # JWTs
    r"|\b[Bb]earer\s+[\w.~+/-]{20,2000}=*"  # bearer tokens
)
# National ids. Formats with a check are checked (see the functions below); the others are specific
# enough alone: US SSN (area not 000/666/9xx), UK National Insurance, Italian codice fiscale.
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
_NINO = re.compile(r"\b(?![DFIQUV])[A-Z](?![DFIQUVO])[A-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b")
_CODICE_FISCALE = re.compile(r"\b[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z]\b", re.IGNORECASE)
_DNI = re.compile(r"\b(?P<prefix>[XYZ]|\d)(?P<digits>\d{7})-?(?P<letter>[A-Z])\b", re.IGNORECASE)
_CPF = re.compile(r"(?<![\d.])\d{3}\.\d{3}\.\d{3}-\d{2}(?![\d.])")
_NIR = re.compile(r"(?<!\d)[12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}(?!\d)")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_IPV4 = re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")
_ANY_DIGIT = re.compile(r"\d")
_GROUP_SPLIT = re.compile(r"[ .()-]+")


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def _card_span(run: str) -> tuple[int, int] | None:
    """Where in a digit run a Luhn-valid 13-19 digit card number sits (group-aligned), if anywhere."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"\d+", run)]
    best: tuple[int, int] | None = None
    best_len = 0
    # Windows of whole groups holding 13-19 digits; the longest valid one wins so "4111 1111 1111 1111"
    # beats a part of it. Bounded by the digit count, so linear in the run's length.
    for first in range(len(groups)):
        count = 0
        for last in range(first, len(groups)):
            size = groups[last][1] - groups[last][0]
            count += size
            if count > 19:
                break
            if count >= 13 and count > best_len:
                digits = "".join(run[a:b] for a, b in groups[first : last + 1])
                if luhn_valid(digits):
                    best, best_len = (groups[first][0], groups[last][1]), count
            if size < 4:
                # Cards are written in groups of 4-6 digits; a short group can only end one. This also
                # keeps a long run of single digits linear.
                break
    return best


def _card_spans(run: str) -> list[tuple[int, int]]:
    """Every Luhn-valid 13-19 digit card in a run of digit groups, left to right, none overlapping.

    At each group the longest valid window starting there is taken, then the scan continues after it:
    one pass, so a run of thousands of cards stays linear."""
    groups = [(m.start(), m.end()) for m in re.finditer(r"[0-9]+", run)]
    spans: list[tuple[int, int]] = []
    first = 0
    while first < len(groups):
        count, found = 0, None
        for last in range(first, len(groups)):
            size = groups[last][1] - groups[last][0]
            count += size
            if count > 19:
                break
            if count >= 13 and luhn_valid("".join(run[a:b] for a, b in groups[first : last + 1])):
                found = last
            if size < 4:
                break  # as in _card_span: a short group can only end a card
        if found is None:
            first += 1
        else:
            spans.append((groups[first][0], groups[found][1]))
            first = found + 1
    return spans


def _dni_valid(match: re.Match[str]) -> bool:
    prefix = {"X": "0", "Y": "1", "Z": "2"}.get(match.group("prefix").upper(), match.group("prefix"))
    number = int(prefix + match.group("digits"))
    return _DNI_LETTERS[number % 23] == match.group("letter").upper()


def _cpf_valid(candidate: str) -> bool:
    digits = [int(c) for c in candidate if c.isdigit()]
    if len(set(digits)) == 1:
        return False
    for size in (9, 10):
        check = sum(d * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True)) * 10 % 11 % 10
        if check != digits[size]:
            return False
    return True


def _nir_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper().replace("2A", "19").replace("2B", "18")
    return 97 - int(compact[:13]) % 97 == int(compact[13:])


def _national_ids(text: str, note: Callable[[str], str]) -> str:
    text = _SSN.sub(lambda _m: note("national_id"), text)
    text = _CPF.sub(lambda m: note("national_id") if _cpf_valid(m.group(0)) else m.group(0), text)
    text = _NIR.sub(lambda m: note("national_id") if _nir_valid(m.group(0)) else m.group(0), text)
    text = _DNI.sub(lambda m: note("national_id") if _dni_valid(m) else m.group(0), text)
    text = _NINO.sub(lambda _m: note("national_id"), text)
    return _CODICE_FISCALE.sub(lambda _m: note("national_id"), text)


def _secrets(text: str, note: Callable[[str], str]) -> str:
    text = _SECRET_TOKEN.sub(lambda _m: note("secret"), text)

    def after_word(match: re.Match[str]) -> str:
        # "password: letmein" and "PIN 1234" are secrets; "password reset", "the password is wrong" and
        # "a PIN reader" are not: a value of letters alone counts only after ":" or "=".
        value, sep = match.group("value"), match.group("sep")
        if not (":" in sep or "=" in sep or not value.rstrip(".?!").isalpha()):
            return match.group(0)
        return match.group("word") + sep + note("secret")

    return _SECRET_AFTER_WORD.sub(after_word, text)


def _is_phone(run: str) -> bool:
    digits = sum(ch.isdigit() for ch in run)
    if not 7 <= digits <= 15:
        return False
    if run.startswith("+") or run.startswith("("):
        return True
    # Bare digits: a phone is written in groups or starts with a trunk prefix (0...), unlike amounts,
    # years and order numbers, which are left alone.
    grouped = len(_GROUP_SPLIT.split(run.strip())) >= 2
    return (grouped and digits >= 9) or (run.startswith("0") and digits >= 10)


def redact(text: str) -> tuple[str, list[str]]:
    """Mask personal data in `text`; return the masked text and the kinds found (each once, in order)."""
    found: list[str] = []

    def note(kind: str) -> str:
        if kind not in found:
            found.append(kind)
        return f"[{kind}]"

    text = _secrets(text, note)
    if "@" in text:
        text = _EMAIL.sub(lambda _m: note("email"), text)
    text = _IBAN.sub(lambda m: note("iban") if _iban_valid(m.group(0)) else m.group(0), text)
    if _ANY_DIGIT.search(text):
        text = _national_ids(text, note)

    def digits(match: re.Match[str]) -> str:
        run = match.group(0)
        span = _card_span(run)
        if span is not None:
            start, end = span
            return run[:start] + note("card") + run[end:]
        if _is_phone(run):
            return note("phone")
        return run

    def cards(match: re.Match[str]) -> str:
        run = match.group(0)
        spans = _card_spans(run)
        if not spans:
            return run
        out, done = [], 0
        for start, end in spans:
            out += [run[done:start], note("card")]
            done = end
        out.append(run[done:])
        return "".join(out)

    if _ANY_DIGIT.search(text):
        text = _CARD_RUN.sub(cards, text)
        text = _IPV4.sub(lambda _m: note("ip"), text)
        text = _DIGIT_RUN.sub(digits, text)
        text = _ADDRESS.sub(lambda _m: note("address"), text)
    return text, found


def mask(text: str) -> str:
    """The text as Heard keeps it outside the raw archive: every kind of personal data masked (#14)."""
    return redact(text)[0]

"""Offline language identification for the languages care teams usually cover.

A post is short, so character n-gram models trained on books do poorly on it anyway; instead we count
each language's most frequent function words (articles, pronouns, auxiliaries, prepositions), plus a few
letters only some of these languages use. Returns an ISO 639-1 code, or "und" when the evidence is thin
or split. Languages: en, es, fr, de, it, pt, nl.
"""

from __future__ import annotations

from typing import Any

UNDETERMINED = "und"

_FUNCTION_WORDS: dict[str, str] = {
    "en": (
        "the and is are was were you your i my me it this that to of in on for with not have has had "
        "do does did don't can't won't it's i'm i've what when where why how please thanks thank "
        "still been would could should will just from about there they them we our be an at or but "
        "hi hello order any get got a as so he she his her all if up out by one me too who this "
        "than then some more now new good can will"
    ),
    "es": (
        "el la los las y es son fue está están estoy un una unos unas de del en con por para no mi mis "
        "tu su que qué cómo como cuando cuándo donde dónde porque pero muy ya hola gracias todavía "
        "pedido sí lo le les me se nos esto este esta eso hay han ha he tengo tiene"
    ),
    "fr": (
        "le la les et est sont était un une des du de en avec pour pas ne je j'ai mon ma mes tu vous "
        "votre vos il elle nous que qui quoi comment quand où pourquoi mais très déjà bonjour merci "
        "toujours commande ce cette c'est ai avez sur dans au aux suis"
    ),
    "de": (
        "der die das und ist sind war ein eine einen nicht ich mein meine du sie ihr ihre wir mit für "
        "auf von zu im am wie was wann wo warum aber sehr schon hallo danke bitte immer noch bestellung "
        "habe hat haben kein keine es auch nach bei"
    ),
    "it": (
        "il lo la gli le e è sono era un una uno di del della in con per non mio mia miei tu voi vostro "
        "che cosa come quando dove perché ma molto già ciao grazie ancora ordine ho ha hanno sul nel "
        "questo questa sempre"
    ),
    "pt": (
        "o a os as e é são foi está estão um uma de do da dos das em no na com por para não meu minha "
        "você vocês seu sua que como quando onde porque mas muito já olá obrigado obrigada ainda "
        "pedido tenho tem isso este esta"
    ),
    "nl": (
        "de het een en is zijn was niet ik mijn jij je u uw wij we met voor op van te in hoe wat wanneer "
        "waar waarom maar heel al hallo dank bedankt nog steeds bestelling heb heeft hebben geen ook "
        "naar bij dit dat er"
    ),
}

# Letters that point at a language (weight 1 each, counted once per post).
_LETTER_HINTS: dict[str, tuple[str, ...]] = {
    "ñ": ("es",),
    "¿": ("es",),
    "¡": ("es",),
    "ß": ("de",),
    "ä": ("de",),
    "ö": ("de",),
    "ü": ("de",),
    "ã": ("pt",),
    "õ": ("pt",),
    "ç": ("fr", "pt"),
    "è": ("fr", "it"),
    "ê": ("fr", "pt"),
    "à": ("fr", "it"),
    "ù": ("fr", "it"),
    "ò": ("it",),
    "ì": ("it",),
    "œ": ("fr",),
    "ij": ("nl",),
}

LANGUAGES = tuple(_FUNCTION_WORDS)


def _build_index() -> dict[str, tuple[tuple[str, float], ...]]:
    owners: dict[str, list[str]] = {}
    for language, words in _FUNCTION_WORDS.items():
        for word in words.split():
            owners.setdefault(word, []).append(language)
    # A word shared by several languages is weaker evidence for each of them.
    return {word: tuple((lang, 1.0 / len(langs)) for lang in langs) for word, langs in owners.items()}


_INDEX = _build_index()


def detect_language(tokens: list[str], text: str) -> tuple[str, float]:
    """The most likely language of a post (given its lower-cased word tokens) and a confidence 0..1."""
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for token in tokens:
        owners = _INDEX.get(token)
        if owners:
            for language, weight in owners:
                scores[language] += weight
    lowered = text.lower()
    for letters, languages in _LETTER_HINTS.items():
        if letters in lowered:
            for language in languages:
                scores[language] += 1.0 / len(languages)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 1.0 or top - second < 0.5:
        return UNDETERMINED, 0.0
    confidence = min(1.0, (top - second) / (top + 1.0) + min(top, 4.0) / 8.0)
    return best, round(confidence, 3)


# --- Library-based identification (the learned backend) -------------------------------------------
# py3langid (BSD-3-Clause; its model, trained by langid.py's authors on public multilingual corpora, is
# shipped inside the wheel under the same licence) restricted to the languages above, so an English
# post cannot come back as Luxembourgish or Nigerian Pidgin. Posts with plenty of function words are
# decided by them (three times quicker, as accurate on English tweets); the library decides the rest,
# and only when both are unsure is the answer "und".
FUNCTION_WORDS_SUFFICE = 0.7
LIBRARY_MIN_PROBABILITY = 0.3

_IDENTIFIER: Any = None


def _identifier() -> Any:
    global _IDENTIFIER
    if _IDENTIFIER is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # numpy and the model: ~1 s, once

        _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        _IDENTIFIER.set_languages(list(LANGUAGES))
    return _IDENTIFIER


def identify(text: str, tokens: list[str]) -> tuple[str, float]:
    """The language of `text` (mentions and links already removed) with a confidence 0..1."""
    sample = text.replace("#", " ")
    if not any(ch.isalpha() for ch in sample):
        return UNDETERMINED, 0.0
    by_words, word_confidence = detect_language(tokens, sample)
    if word_confidence >= FUNCTION_WORDS_SUFFICE:
        return by_words, word_confidence
    code, probability = _identifier().classify(sample)
    if probability >= LIBRARY_MIN_PROBABILITY:
        return str(code), round(float(probability), 3)
    if by_words != UNDETERMINED:
        return by_words, word_confidence
    return UNDETERMINED, round(1.0 - float(probability), 3)

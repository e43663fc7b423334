"""The text analysis behind `classify`: sentiment, complaint, question, feedback, spam and troll signals.

Pure functions over one string, no I/O, no models to load: a lexicon (VADER's, adjusted for customer
care) with VADER-style rules (negation, intensifiers, capitals, "but", exclamation marks), and cue phrases
for what customer-care posts look like. The customer-care twist is that a complaint decides the
sentiment: "thanks for the 3 hour delay" is positive words around a negative situation, so when complaint
cues are present, positive words are read as politeness or sarcasm, not praise.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from shared.triage import lexicon as lx

# Words, emoticons, and clause punctuation (which ends the reach of a negation or an intensifier).
_WORD = re.compile(r"10/10|[^\W_]+(?:['’][^\W_]+)*|[:;=][-']?[()dDpP/|@]|<3|[dD]:|>:\(|-_-|[.!?;,]")
_CLAUSE_END = frozenset(".!?;,")
_ANY_EMOJI = re.compile("[\u2600-\u27bf\U0001f300-\U0001faff]")
_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_NEGATION_SCALAR = -0.74
_BUT = re.compile(r"\b(?:but|however|although|though|pero|mais|aber)\b")
_BUT_WORDS = frozenset(("but", "however", "although", "though", "pero", "mais", "aber", "ma", "mas", "maar"))

# Thresholds, tuned on development splits (see docs/triage.md): a complaint needs cue weight
# (plus negativity) of at least COMPLAINT_THRESHOLD; a sentiment is polar beyond +-POLARITY_THRESHOLD.
COMPLAINT_THRESHOLD = 1.5
POLARITY_THRESHOLD = 0.35


@dataclass(frozen=True, slots=True)
class Signals:
    """What the text says, before the company's configuration is applied."""

    tokens: list[str]
    lowered: str
    valence: float  # VADER-style compound, -1..1, before the complaint override
    sentiment_score: float  # after the complaint override
    complaint_score: float
    sarcastic: bool
    question: bool
    feedback: bool
    spam_score: float
    troll: bool
    misinformation: bool
    brand_directed: bool
    plain_request: bool  # a request or question with no sign of unhappiness: neutral even if it names a fault


def tokenize(text: str) -> list[str]:
    """Word tokens (and emoticons, clause punctuation), lower-cased."""
    return [token.lower().replace("’", "'") for token in _WORD.findall(text)]


def _valence(raw_tokens: list[str], tokens: list[str], text: str) -> tuple[float, float, float]:
    """VADER-style compound score of the tokens; also the summed positive part (for sarcasm) and the
    most negative single word score (a strong word such as "useless" is unhappiness, not description)."""
    lexicon = lx.sentiment_lexicon()
    boosters = lx.BOOSTERS
    negators = lx.NEGATORS
    shouting = any(t.isupper() and len(t) > 1 for t in raw_tokens) and not text.isupper()
    scores: list[float] = []
    but_at = -1
    for index, token in enumerate(tokens):
        if token in _BUT_WORDS:
            but_at = len(scores)
        value = lexicon.get(token)
        if value is None:
            value = lx.EMOTICONS.get(token)
            if value is None:
                continue
        sign = 1.0 if value > 0 else -1.0
        negated = False
        for back, decay in ((1, 1.0), (2, 0.95), (3, 0.9)):
            if index < back:
                break
            previous = tokens[index - back]
            if previous in _CLAUSE_END:
                break
            boost = boosters.get(previous)
            if boost is not None:
                value += boost * decay * sign
            # "nothing but good things to say": a negator followed by "but" negates nothing
            negated = negated or (previous in negators and tokens[index - back + 1] != "but")
        if shouting and raw_tokens[index].isupper() and len(raw_tokens[index]) > 1:
            value += 0.733 * sign
        if negated:
            value *= _NEGATION_SCALAR
        scores.append(value)
    if but_at >= 0:
        # As in VADER: what follows "but" counts more than what precedes it.
        scores = [s * 0.5 for s in scores[:but_at]] + [s * 1.5 for s in scores[but_at:]]
    if _ANY_EMOJI.search(text):
        scores.extend(lx.EMOJI_VALENCE[ch] for ch in text if ch in lx.EMOJI_VALENCE)
    if not scores:
        return 0.0, 0.0, 0.0
    total = sum(scores)
    marks = min(text.count("!"), 4) * 0.292
    total += marks if total > 0 else -marks
    positive = sum(s for s in scores if s > 0)
    return total / math.sqrt(total * total + 15.0), positive, min(scores)


def _weigh(lowered: str, cues: tuple[lx.Cue, ...]) -> float:
    """Sum of the weights of the cues found; `Cue.found` inlined, as this loop is most of the run time."""
    total = 0.0
    contains = lowered.__contains__
    for cue in cues:
        if cue.gate and not any(map(contains, cue.gate)):
            continue
        match = cue.pattern.search(lowered)
        if match is None:
            continue
        start = match.start()
        at_word_start = start == 0 or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_")
        # When the first match sits inside a word, `found` looks at the later ones.
        if not cue.word_start or at_word_start or cue.found(lowered):
            total += cue.weight
    return total


def analyse(text: str) -> Signals:
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)  # links carry no sentiment, and their letters make spurious words
    # Handles are names, not opinions: "@united", "@Delta", "@SouthwestAir" must not score as praise.
    scored = _MENTION.sub(" ", text) if "@" in text else text
    raw_tokens = _WORD.findall(scored)
    tokens = [token.lower().replace("’", "'") for token in raw_tokens]
    lowered = text.lower().replace("’", "'")
    valence, _positive_mass, strongest = _valence(raw_tokens, tokens, scored)
    found = lx.patterns()
    cues = _weigh(lowered, found.complaint)
    brand_directed = lowered.lstrip().startswith("@") or "@" in lowered[:60]
    problem_noun = found.problem_noun.found(lowered)
    token_set = set(tokens)
    polite_or_sarcastic_head = not token_set.isdisjoint(lx.POSITIVE_SARCASM_HEADS) or (
        "👏" in text or "🙃" in text
    )
    # What follows "but" is the point: "love the phone but the coverage is awful" is a complaint,
    # "the first one was faulty but the replacement is perfect, thanks" is thanks for a fix.
    problem_after_but = fixed_after_but = False
    but = _BUT.search(lowered) if cues > 0 else None
    if but is not None:
        tail = lowered[but.end() :]
        tail_cues = _weigh(tail, found.complaint)
        problem_after_but = tail_cues >= 1.0
        fixed_after_but = tail_cues <= 0 and (
            found.resolution.found(tail) or not lx.POSITIVE_SARCASM_HEADS.isdisjoint(tokenize(tail))
        )
        if fixed_after_but:
            cues = max(tail_cues, 0.0)
    # A request or information question with no sign of unhappiness (no strong cue, no strongly negative
    # word, no "why"/"where is my", no "!!"/"??") is neutral even when it names a fault.
    plain_request = (
        cues < 2.5
        and strongest > -2.5
        and (
            found.help_request.found(lowered)
            or ("?" in text and found.info_question.search(lowered) is not None)
        )
        and not found.complaint_question.found(lowered)
        and "!!" not in text
        and "??" not in text
    )
    # Complaint evidence: cue phrases, plus negativity, plus naming a product or order while unhappy.
    negativity = max(0.0, -valence)
    score = cues + 2.0 * negativity
    if problem_noun and (cues > 0 or negativity > 0.2):
        score += 0.5
    if brand_directed and (cues > 0 or negativity > 0.2):
        score += 0.3
    # Thanks for a problem put right is genuine, unless a present problem remains ("still", "again").
    resolved = fixed_after_but or (cues < 2.5 and not problem_after_but and found.resolution.found(lowered))
    sarcastic = (
        polite_or_sarcastic_head and valence > 0 and cues >= 1.5 and not resolved and not plain_request
    )
    if resolved:
        score -= 1.5
    if sarcastic:
        # "Thanks for the 3 hour delay": the positive words are not praise; the cues decide.
        score += 0.5
    elif problem_after_but:
        score += 0.5
    elif valence > POLARITY_THRESHOLD:
        # Genuine praise dampens weak cues ("thanks, it arrived late but works great").
        score -= 2.0 * valence
    spam_score = _weigh(lowered, found.spam)
    troll = found.troll.found(lowered)
    question = found.question_start.search(lowered) is not None or found.question.found(lowered)
    feedback = found.feedback.found(lowered)
    misinformation = found.misinformation.found(lowered)
    # A question or request is not an opinion: "what's the best plan?", "I've lost my card, how do I block it?"
    sentiment_score = valence * 0.5 if plain_request else valence
    if resolved and polite_or_sarcastic_head and valence > 0:
        # Thanks for a fix is praise even when the words around it are mild.
        sentiment_score = max(valence, 0.5)
    if score >= COMPLAINT_THRESHOLD and not plain_request:
        # An unhappy customer is negative however politely they put it.
        sentiment_score = min(valence, -min(0.55, 0.25 + 0.05 * score))
    return Signals(
        tokens=tokens,
        lowered=lowered,
        valence=round(valence, 4),
        sentiment_score=round(max(-1.0, min(1.0, sentiment_score)), 4),
        complaint_score=round(score, 4),
        sarcastic=sarcastic,
        question=question,
        feedback=feedback,
        spam_score=spam_score,
        troll=troll,
        misinformation=misinformation,
        brand_directed=brand_directed,
        plain_request=plain_request,
    )


def strip_for_language(text: str) -> str:
    """The text without mentions and links, which say nothing about its language."""
    return _URL.sub(" ", _MENTION.sub(" ", text))

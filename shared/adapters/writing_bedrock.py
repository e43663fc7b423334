"""Writing help with Amazon Bedrock (Converse API) and Amazon Translate (issue #11), when deployed with
`generativeHelp` (docs/decisions.md, 2026-12-03).

What leaves Heard: the case's platform, language and status, its customer messages and replies as stored
(redacted at intake), who wrote each only as "Customer" or "Agent", and the approved answers with their
variables unfilled (`{first_name}` stays a placeholder, filled by Heard after the model answers). Never
the customer's name, handle or id, never an agent's email, never internal notes.

Guardrails on every call: a system prompt that grounds the model in the approved answers and forbids
inventing facts, a low temperature, a token limit, bounded input (the latest messages, each cut), and a
timeout inside the API's 29 seconds. Errors are translated here, once: throttling and outages are
Unavailable (503, try again), a wrong model id or missing permission a ConfigurationError, a refusal by
the model a Conflict, an unsupported language pair InvalidInput naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from shared.adapters.writing_builtin import MAX_BRIEF
from shared.errors import ConfigurationError, Conflict, InvalidInput, Unavailable
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.writing import Draft, GroundingAnswer
from shared.rules.variables import VARIABLES

MAX_TOKENS = 700
TEMPERATURE = 0.2
TOP_P = 0.9
ENTRIES_SENT = 30  # the latest customer messages and replies
MAX_ENTRY = 1000  # characters of each
MAX_ANSWER = 2000
TIMEOUT_SECONDS = 20
_USED = re.compile(r"^\s*USED:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_SPEAKERS = {TimelineKind.MESSAGE_IN: "Customer", TimelineKind.REPLY: "Agent"}
# ClientError codes -> what they mean for the caller (both services).
_BUSY = frozenset(
    {
        "ThrottlingException",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "ServiceQuotaExceededException",
        "ModelTimeoutException",
        "ModelNotReadyException",
        "ModelErrorException",
        "InternalServerException",
        "InternalServerError",
        "LimitExceededException",
    }
)
_MISCONFIGURED = frozenset(
    {
        "AccessDeniedException",
        "ResourceNotFoundException",
        "ValidationException",
        "UnrecognizedClientException",
    }
)

DRAFT_RULES = """You draft replies for customer-care agents of {company}, who edit and send them
themselves on social media. Rules:
- Use only the facts in the approved answers below. Never invent policies, prices, dates, links or
  promises. If they do not answer the customer's question, say you will check and come back, and ask
  nothing personal in public.
- Write in the customer's language ({language}), warmly and briefly: at most 5 sentences, no markdown.
- Keep placeholders in braces exactly as they are ({variables}); never write a name yourself.
- After the reply, write one last line: "USED: " and the ids of the approved answers you used,
  comma-separated, or "USED: none".

Approved answers:
{answers}"""

SUMMARY_RULES = """You summarise customer-care cases for supervisors' reports. In at most 3 short
sentences and {most} characters, in English: what the customer wants, what has been done, what is
pending. No names, handles, contact details or order numbers; no markdown."""


def conversation(case: Case, timeline: Sequence[TimelineEntry]) -> str:
    """The case as the model sees it: where, its state, and the latest messages by speaker."""
    said = [e for e in timeline if e.kind in _SPEAKERS and e.text][-ENTRIES_SENT:]
    lines = [
        f"Case on {case.platform.value} ({case.channel.value}), topic {case.topic}, status "
        f"{case.status.value}, language {case.language}."
    ]
    lines += [f"{_SPEAKERS[e.kind]}: {' '.join(e.text.split())[:MAX_ENTRY]}" for e in said]
    return "\n".join(lines)


def draft_prompt(company: str, language: str, answers: Sequence[GroundingAnswer]) -> str:
    listed = "\n\n".join(f"[{a.answer_id}] {a.title}\n{a.body[:MAX_ANSWER]}" for a in answers)
    return DRAFT_RULES.format(
        company=company or "the company",
        language=language if language != "und" else "the language the customer wrote in",
        variables=", ".join("{" + name + "}" for name in VARIABLES),
        answers=listed or "(none: no approved answer fits this case)",
    )


def parse_draft(text: str, given: Sequence[GroundingAnswer]) -> Draft:
    """The reply without its USED line, and the ids it names that were given (others are ignored)."""
    ids = {a.answer_id for a in given}
    named: list[str] = []
    for match in _USED.finditer(text):
        named += [part.strip(" []") for part in match.group(1).split(",")]
    body = _USED.sub("", text).strip()
    if not body:
        raise Unavailable("the model answered without a draft; try again")
    return Draft(text=body, used=tuple(dict.fromkeys(i for i in named if i in ids)))


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


class BedrockWritingHelp:
    @property
    def backend(self) -> str:
        return "bedrock"

    @property
    def translates(self) -> bool:
        return True

    def __init__(
        self,
        model_id: str,
        company: Callable[[], str] = str,
        runtime: Any = None,
        translator: Any = None,
    ):
        self.model_id, self.company = model_id, company  # the company's name, from its configuration
        self._runtime, self._translator = runtime, translator

    @property
    def model(self) -> str:
        return self.model_id

    @staticmethod
    def _client(service: str) -> Any:
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=3,
            read_timeout=TIMEOUT_SECONDS,
            retries={"max_attempts": 2, "mode": "standard"},  # one retry, inside the API's 29 seconds
        )
        return boto3.client(service, config=config)  # type: ignore[call-overload]

    @property
    def runtime(self) -> Any:
        if self._runtime is None:
            self._runtime = self._client("bedrock-runtime")
        return self._runtime

    @property
    def translator(self) -> Any:
        if self._translator is None:
            self._translator = self._client("translate")
        return self._translator

    # ---- Converse ----------------------------------------------------------------------------------

    def converse(self, system: str, user: str) -> str:
        """One turn: the model's text. Errors become domain errors here."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.runtime.converse(
                modelId=self.model_id,
                system=[{"text": system}],
                messages=[{"role": "user", "content": [{"text": user}]}],
                inferenceConfig={"maxTokens": MAX_TOKENS, "temperature": TEMPERATURE, "topP": TOP_P},
            )
        except ClientError as error:
            raise _converse_error(_code(error)) from error
        except BotoCoreError as error:
            raise Unavailable(f"Amazon Bedrock did not answer ({type(error).__name__}); try again") from error
        if answer.get("stopReason") in ("guardrail_intervened", "content_filtered"):
            raise Conflict("the model declined to write this; write it yourself")
        content = answer.get("output", {}).get("message", {}).get("content", [])
        return "".join(str(part.get("text", "")) for part in content).strip()

    def draft(
        self, case: Case, timeline: Sequence[TimelineEntry], answers: Sequence[GroundingAnswer]
    ) -> Draft:
        system = draft_prompt(self.company(), case.language, answers)
        return parse_draft(self.converse(system, conversation(case, timeline)), answers)

    def summarise(self, case: Case, timeline: Sequence[TimelineEntry]) -> str:
        text = self.converse(SUMMARY_RULES.format(most=MAX_BRIEF), conversation(case, timeline))
        if not text:
            raise Unavailable("the model answered without a summary; try again")
        return " ".join(text.split())[:MAX_BRIEF]

    # ---- Translate ---------------------------------------------------------------------------------

    def translate(self, text: str, source: str, target: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.translator.translate_text(
                Text=text, SourceLanguageCode=source, TargetLanguageCode=target
            )
        except ClientError as error:
            raise _translate_error(_code(error), source, target) from error
        except BotoCoreError as error:
            raise Unavailable(
                f"Amazon Translate did not answer ({type(error).__name__}); try again"
            ) from error
        return str(answer["TranslatedText"])


def _converse_error(code: str) -> Exception:
    if code in _BUSY:
        return Unavailable(f"Amazon Bedrock is busy or failing ({code}); try again shortly")
    if code in _MISCONFIGURED:
        return ConfigurationError(f"Amazon Bedrock refused the model's call ({code})")
    return Unavailable(f"Amazon Bedrock failed ({code})")


def _translate_error(code: str, source: str, target: str) -> Exception:
    if code == "UnsupportedLanguagePairException":
        return InvalidInput(f"target: Amazon Translate cannot translate {source} into {target}")
    if code == "TextSizeLimitExceededException":
        return InvalidInput("text: too long to translate at once")
    if code == "InvalidRequestException":
        return InvalidInput(f"source: {source} or target: {target} is not a language Amazon Translate knows")
    if code in _BUSY:
        return Unavailable(f"Amazon Translate is busy or failing ({code}); try again shortly")
    if code in _MISCONFIGURED:
        return ConfigurationError(f"Amazon Translate refused the call ({code})")
    return Unavailable(f"Amazon Translate failed ({code})")

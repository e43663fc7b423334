"""Writing help (issue #11, optional generative help): what a backend is given and what it answers.

The approved answers reach a backend with their variables unfilled (`{first_name}`, ...): a model never
sees the customer's name, and the use case fills the draft for the case afterwards, as it fills a
suggestion. The case's text reaches it as stored: redacted at intake.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

LANGUAGE = r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$"  # ISO 639 with an optional region or script: en, pt-PT, zh-TW
MAX_TRANSLATED = 5000  # characters: Amazon Translate's synchronous limit is 10,000 bytes


class GroundingAnswer(BaseModel):
    """An approved answer a draft may use: its id, title and body with its variables unfilled."""

    model_config = ConfigDict(frozen=True)

    answer_id: str
    title: str
    body: str


class Draft(BaseModel):
    """A backend's draft reply (variables still unfilled) and the approved answers it used."""

    model_config = ConfigDict(frozen=True)

    text: str
    used: tuple[str, ...] = ()  # answer ids, each one of those it was given


class Translation(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    source: Annotated[str, Field(pattern=LANGUAGE)]
    target: Annotated[str, Field(pattern=LANGUAGE)]

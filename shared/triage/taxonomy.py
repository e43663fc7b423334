"""Topics and crisis types: the company's own taxonomy from `HeardConfig`, or a built-in one.

Keyword lists are compiled once per configuration object into one regular expression each (word
boundaries, case-insensitive), so matching a post is one pass per topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shared.models.config import HeardConfig

GENERAL = ("general", "general")

# The built-in taxonomy (used when no configuration is given): topic id, operation, keywords.
BUILTIN_TOPICS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "delivery",
        "logistics",
        (
            "delivery", "deliver", "delivered", "order", "orders", "delay", "delayed", "late", "courier", "parcel", "package", "shipping", "shipped",
            "shipment", "tracking", "tracking number", "arrive", "arrived", "dispatch", "dispatched",
            "driver", "postman", "envío", "entrega", "paquete", "pedido", "livraison", "colis", "commande", "bestellung",
            "ordine", "bestelling",
            "lieferung", "paket", "sendung", "consegna", "pacco", "spedizione", "entrega", "encomenda",
            "levering", "bezorging", "pakket",
        ),
    ),
    (
        "billing",
        "finance",
        (
            "charged", "charge", "charges", "refund", "refunded", "invoice", "bill", "billed", "billing",
            "payment", "paid", "pay", "overcharged", "subscription", "price", "direct debit", "card",
            "money back", "chargeback", "factura", "cobro", "reembolso", "facture", "remboursement",
            "prélèvement", "rechnung", "erstattung", "abbuchung", "fattura", "rimborso", "addebito",
            "fatura", "cobrança", "factuur", "terugbetaling",
        ),
    ),
    (
        "product",
        "product-quality",
        (
            "broken", "faulty", "defect", "defective", "quality", "stopped working", "damaged",
            "battery", "doesn't work", "does not work", "cracked", "leaking", "warranty", "repair",
            "replacement", "roto", "defectuoso", "cassé", "défectueux", "kaputt", "defekt", "rotto",
            "difettoso", "quebrado", "defeituoso", "kapot", "defect",
        ),
    ),
    (
        "store",
        "retail",
        (
            "store", "shop", "branch", "staff", "cashier", "till", "service centre", "service center",
            "in-store", "assistant", "manager", "tienda", "magasin", "boutique", "laden", "filiale",
            "negozio", "loja", "winkel",
        ),
    ),
    (
        "website",
        "digital",
        (
            "website", "app", "login", "log in", "sign in", "password", "checkout", "site", "error",
            "crash", "crashes", "crashing", "page", "online", "bug", "glitch", "web", "aplicación",
            "página", "application", "site web", "webseite", "anmeldung", "sito", "aplicativo",
        ),
    ),
    (
        "account",
        "customer-accounts",
        (
            "account", "locked", "locked out", "verify", "verification", "profile", "email address",
            "username", "cuenta", "compte", "konto", "conto", "conta", "rekening",
        ),
    ),
)  # fmt: skip


def _keyword_pattern(keywords: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    ordered = sorted({k.lower().strip() for k in keywords if k.strip()}, key=len, reverse=True)
    alternation = "|".join(re.escape(k) for k in ordered)
    # The word boundary before a keyword is checked in `_hits`, not with a lookbehind here: a leading
    # lookbehind stops Python's regex engine from scanning for the keywords' first letters (~10x slower).
    return re.compile(rf"(?:{alternation})(?!\w)")


def _hits(pattern: re.Pattern[str], lowered: str) -> int:
    count = 0
    for match in pattern.finditer(lowered):
        start = match.start()
        if start == 0 or not (lowered[start - 1].isalnum() or lowered[start - 1] == "_"):
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class CompiledTaxonomy:
    topics: tuple[tuple[str, str, re.Pattern[str]], ...]  # (topic id, operation, pattern)
    crises: tuple[tuple[str, re.Pattern[str]], ...]  # (crisis type id, pattern), in config order

    def topic(self, lowered: str) -> tuple[str, str]:
        """The topic with the most keyword hits (first in configuration order on a tie)."""
        best, best_hits = GENERAL, 0
        for topic_id, operation, pattern in self.topics:
            hits = _hits(pattern, lowered)
            if hits > best_hits:
                best, best_hits = (topic_id, operation), hits
        return best

    def crisis(self, lowered: str) -> str | None:
        for crisis_id, pattern in self.crises:
            if _hits(pattern, lowered):
                return crisis_id
        return None


def _compile_builtin() -> CompiledTaxonomy:
    topics = []
    for topic_id, operation, keywords in BUILTIN_TOPICS:
        pattern = _keyword_pattern(keywords)
        if pattern is not None:
            topics.append((topic_id, operation, pattern))
    return CompiledTaxonomy(topics=tuple(topics), crises=())


def _compile_config(config: HeardConfig) -> CompiledTaxonomy:
    topics = []
    for topic in config.topics:
        pattern = _keyword_pattern(topic.keywords) or _keyword_pattern([topic.id.replace("-", " ")])
        if pattern is not None:
            topics.append((topic.id, topic.operation, pattern))
    # A company that has not written its own taxonomy yet gets the built-in one.
    builtin_topics = _compile_builtin().topics if not config.topics else ()
    crises = []
    for crisis in config.crisis_types:
        pattern = _keyword_pattern(crisis.keywords)
        if pattern is not None:
            crises.append((crisis.id, pattern))
    return CompiledTaxonomy(topics=tuple(topics) or builtin_topics, crises=tuple(crises))


_BUILTIN: CompiledTaxonomy | None = None
# Configurations are frozen; a handful are alive at once (the current one, maybe a new one being tried).
_BY_CONFIG: dict[int, tuple[HeardConfig, CompiledTaxonomy]] = {}
_CACHE_SIZE = 8


def taxonomy_for(config: HeardConfig | None) -> CompiledTaxonomy:
    global _BUILTIN
    if config is None:
        if _BUILTIN is None:
            _BUILTIN = _compile_builtin()
        return _BUILTIN
    cached = _BY_CONFIG.get(id(config))
    if cached is not None and cached[0] is config:
        return cached[1]
    compiled = _compile_config(config)
    if len(_BY_CONFIG) >= _CACHE_SIZE:
        _BY_CONFIG.pop(next(iter(_BY_CONFIG)))
    _BY_CONFIG[id(config)] = (config, compiled)
    return compiled

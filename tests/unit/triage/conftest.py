"""A small company configuration written for these tests (not config/heard.json, which others edit)."""

from __future__ import annotations

import pytest

from shared.models.config import HeardConfig


@pytest.fixture(scope="session")
def config() -> HeardConfig:
    return HeardConfig.model_validate(
        {
            "teams": [{"id": "care", "name": "Care"}, {"id": "pr", "name": "PR"}],
            "default_team": "care",
            "topics": [
                {"id": "delivery", "operation": "logistics", "keywords": ["parcel", "courier", "delivery"]},
                {"id": "billing", "operation": "finance", "keywords": ["charged", "refund", "invoice"]},
                {"id": "in-store", "operation": "retail", "keywords": ["cashier", "service centre"]},
            ],
            "crisis_types": [
                {
                    "id": "safety",
                    "name": "Product safety",
                    "point_person": "pp@example.com",
                    "backup": "backup@example.com",
                    "team": "pr",
                    "keywords": ["caught fire", "explode", "smoke"],
                },
                {
                    "id": "outage",
                    "name": "Outage",
                    "point_person": "pp@example.com",
                    "backup": "backup@example.com",
                    "team": "pr",
                    "keywords": ["is down", "outage"],
                },
            ],
            "vip_authors": ["x#vip-1", "@bigcustomer"],
        }
    )

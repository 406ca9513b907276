"""What the walk tests share: one scheme profile, its --set options and its controls."""

from __future__ import annotations

import pytest

from youthscheme_audit.catalog import Catalog, require_catalog
from youthscheme_audit.engine import not_applicable_reason

PROFILE = {"scheme_name": "Oak Lane Mini Police", "scheme_id": "S-001",
           "scheme_type": "unofficial", "host_type": "school", "age_min": 10, "age_max": 13,
           "offsite_activities": False, "social_media_accounts": False}
SETS = [arg for name, value in PROFILE.items() for arg in
        ("--set", f"{name}={'no' if value is False else value}")]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return require_catalog()


@pytest.fixture(scope="module")
def ids(catalog: Catalog) -> list[str]:
    """The controls the walk asks for PROFILE, in order."""
    return [c.id for c in catalog.ordered() if not_applicable_reason(c, PROFILE) is None]

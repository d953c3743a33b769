"""Where the repository's own test fixtures live; tests never read outside the checkout."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"

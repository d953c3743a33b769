"""The one module that reads nianbao's environment variables (NIANBAO_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("data")


@dataclass(frozen=True)
class Settings:
    database_url: str
    blob_url: str

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path.cwd() / DEFAULT_DATA_DIR
        database_url = env.get("NIANBAO_DATABASE_URL") or f"sqlite:///{data_dir / 'nianbao.db'}"
        blob_url = env.get("NIANBAO_BLOB_URL") or str(data_dir / "blobs")
        return cls(database_url=database_url, blob_url=blob_url)


def crawl_delay_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_CRAWL_DELAY: politeness delay in seconds for crawls and fetches (0 in tests)."""
    value = (os.environ if environ is None else environ).get("NIANBAO_CRAWL_DELAY")
    return float(value) if value not in (None, "") else None

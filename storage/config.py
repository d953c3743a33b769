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
    log_dir: Path = DEFAULT_DATA_DIR / "logs"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path.cwd() / DEFAULT_DATA_DIR
        database_url = env.get("NIANBAO_DATABASE_URL") or f"sqlite:///{data_dir / 'nianbao.db'}"
        blob_url = env.get("NIANBAO_BLOB_URL") or str(data_dir / "blobs")
        log_dir = Path(env.get("NIANBAO_LOG_DIR") or data_dir / "logs")
        return cls(database_url=database_url, blob_url=blob_url, log_dir=log_dir)


def _seconds(name: str, environ: dict[str, str] | None) -> float | None:
    value = (os.environ if environ is None else environ).get(name)
    return float(value) if value not in (None, "") else None


def crawl_delay_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_CRAWL_DELAY: politeness delay in seconds for crawls and fetches (0 in tests)."""
    return _seconds("NIANBAO_CRAWL_DELAY", environ)


def request_timeout_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_REQUEST_TIMEOUT: seconds one request may wait (crawls and fetches); short in tests."""
    return _seconds("NIANBAO_REQUEST_TIMEOUT", environ)

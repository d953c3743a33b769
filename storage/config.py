"""The one module that reads nianbao's environment variables (NIANBAO_*)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from storage.errors import UserError

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


def _seconds(name: str, environ: dict[str, str] | None, *, zero_ok: bool) -> float | None:
    """A number of seconds from the environment; a value that is not one is a UserError."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0 or (seconds == 0 and not zero_ok):
        least = "0 or more" if zero_ok else "more than 0"
        raise UserError(f"{name}={value!r} is not a number of seconds ({least}); fix or unset it")
    return seconds


def crawl_delay_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_CRAWL_DELAY: politeness delay in seconds for crawls and fetches (0 in tests)."""
    return _seconds("NIANBAO_CRAWL_DELAY", environ, zero_ok=True)


def request_timeout_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_REQUEST_TIMEOUT: seconds one request may wait (crawls and fetches); short in tests."""
    return _seconds("NIANBAO_REQUEST_TIMEOUT", environ, zero_ok=False)


def validate_environment(environ: dict[str, str] | None = None) -> None:
    """Check every NIANBAO_* value up front: a bad one is one line before any work starts."""
    crawl_delay_override(environ)
    request_timeout_override(environ)

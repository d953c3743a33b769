"""Storage locations and request knobs, read through common.settings (the one home of NIANBAO_*)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from common.settings import env_settings
from storage.refresh import RefreshPolicy


@dataclass(frozen=True)
class Settings:
    database_url: str
    blob_url: str
    log_dir: Path = Path("data") / "logs"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = env_settings(environ)
        return cls(database_url=env.resolved_database_url(), blob_url=env.resolved_blob_url(),
                   log_dir=env.resolved_log_dir())


def crawl_delay_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_CRAWL_DELAY: politeness delay in seconds for crawls and fetches (0 in tests)."""
    return env_settings(environ).crawl_delay


def request_timeout_override(environ: dict[str, str] | None = None) -> float | None:
    """NIANBAO_REQUEST_TIMEOUT: seconds one request may wait (crawls and fetches); short in tests."""
    return env_settings(environ).request_timeout


def refresh_policy_from_env(environ: dict[str, str] | None = None) -> RefreshPolicy:
    """NIANBAO_REFRESH_RECENT_YEARS / NIANBAO_REFRESH_MAX_DAYS over the policy's defaults."""
    env = env_settings(environ)
    defaults = RefreshPolicy()
    return RefreshPolicy(
        recent_years=env.refresh_recent_years if env.refresh_recent_years is not None else defaults.recent_years,
        max_interval_days=env.refresh_max_days if env.refresh_max_days is not None else defaults.max_interval_days,
    )


def validate_environment(environ: dict[str, str] | None = None) -> None:
    """Check every NIANBAO_* value up front: a bad one is one line before any work starts."""
    env_settings(environ)

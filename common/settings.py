"""nianbao's settings: the one module that reads NIANBAO_* variables, plus the limits and
the User-Agent every layer shares (crawler, fetcher, parser)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from common.errors import UserError

MB = 1024 * 1024
# HTTP header values are ISO-8859-1: the User-Agent stays ASCII, or servers log mojibake.
USER_AGENT = "nianbao/0.2 (research crawler; government information disclosure annual reports)"
MAX_DOCUMENT_BYTES = 50 * MB  # the crawler, the fetcher and the parser refuse bigger bodies
DEFAULT_CRAWL_DELAY = 1.0
DEFAULT_REQUEST_TIMEOUT = 30.0
DATA_DIR = Path("data")

assert USER_AGENT.isascii()


class SettingsError(UserError):
    """An environment variable nianbao cannot use; the message is one line for the user."""


class EnvSettings(BaseModel):
    """NIANBAO_* environment variables, validated before any work starts."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    database_url: str | None = None
    blob_url: str | None = None
    log_dir: Path | None = None
    http_cache_dir: Path | None = None
    crawl_delay: float | None = Field(default=None, ge=0, le=3600)
    request_timeout: float | None = Field(default=None, gt=0, le=3600)
    refresh_recent_years: int | None = Field(default=None, ge=0, le=50)
    refresh_max_days: float | None = Field(default=None, ge=1, le=365)
    refresh_all: bool = False  # every nightly run checks every known document

    def data_dir(self) -> Path:
        return Path.cwd() / DATA_DIR

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir() / 'nianbao.db'}"

    def resolved_blob_url(self) -> str:
        return self.blob_url or str(self.data_dir() / "blobs")

    def resolved_log_dir(self) -> Path:
        return self.log_dir or self.data_dir() / "logs"

    def resolved_http_cache_dir(self) -> Path:
        """Where the crawler keeps the pages it read, to ask for them conditionally next time."""
        return self.http_cache_dir or self.data_dir() / "http-cache"


def env_settings(environ: Mapping[str, str] | None = None) -> EnvSettings:
    """The settings from `environ` (default: the process environment); empty values count as unset."""
    source = os.environ if environ is None else environ
    values = {key[len("NIANBAO_"):].lower(): value for key, value in source.items()
              if key.startswith("NIANBAO_") and value != ""}
    try:
        return EnvSettings.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = "NIANBAO_" + str(error["loc"][0]).upper()
        raise SettingsError(f"{name}={values.get(str(error['loc'][0]))!r}: {error['msg'].lower()}; fix or unset it") from None

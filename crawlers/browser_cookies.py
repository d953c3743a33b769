"""Cookies a crawl's browser obtained past a challenge, handed to the fetcher through a file."""

from __future__ import annotations

import json
from pathlib import Path


def browser_cookies_path(log_dir: Path, site_id: str) -> Path:
    """Where a crawl leaves the cookies its browser obtained for a site (beside the crawl logs)."""
    return log_dir / "browser-cookies" / f"{site_id}.json"


def read_browser_cookies(log_dir: Path, site_id: str) -> dict[str, str]:
    """The cookies the last crawl's browser obtained for a site ({} if none)."""
    try:
        saved = json.loads(browser_cookies_path(log_dir, site_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in saved.items()} if isinstance(saved, dict) else {}

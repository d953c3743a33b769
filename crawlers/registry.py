"""Load and validate the site registry (YAML file or folder of YAML files)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from common.scope import WEB_SCHEMES, internal_host_reason, is_public_suffix, registrable_domain

from storage.errors import UserError
from storage.paths import file_problem
from storage.records import SiteRecord

BUNDLED_SITES_DIR = Path(__file__).parent / "sites"
_SITE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CRAWL_KEYS = {"id", "name", "region_code", "start_urls", "allowed_domains", "enabled", "allow_private", "render"}
# Descriptive keys: the crawl ignores them; the default registry documents each site with them.
_DESCRIPTIVE_KEYS = {"level", "province", "verified", "evidence", "host"}
RENDER_MODES = ("http", "browser")
# Coverage keys (optional): what `nianbao coverage` expects of a site beyond what it found.
_COVERAGE_KEYS = {"expected_from", "expected_agencies", "aliases"}
_KNOWN_KEYS = _CRAWL_KEYS | _DESCRIPTIVE_KEYS | _COVERAGE_KEYS
LEVELS = ("province", "city", "county", "district", "department")


class RegistryError(UserError):
    """The site registry is malformed; the message names the file and site."""


@dataclass(frozen=True)
class SiteConfig:
    """One site to crawl, as written in the registry."""

    id: str
    name: str
    start_urls: tuple[str, ...]
    region_code: str | None = None
    allowed_domains: tuple[str, ...] = field(default=())
    enabled: bool = True
    allow_private: bool = False  # loopback/private targets: only for local test webs
    render: str = "http"  # "browser": pages need a real browser (JavaScript-built lists)
    level: str | None = None
    province: str | None = None
    verified: bool = False
    coverage_rules: dict[str, Any] = field(default_factory=dict, hash=False)  # expected_from, expected_agencies, aliases

    def __post_init__(self) -> None:
        if not self.allowed_domains:
            domains = dict.fromkeys(registrable_domain(u) for u in self.start_urls)
            object.__setattr__(self, "allowed_domains", tuple(d for d in domains if d))


def load_registry(path: str | Path | None = None) -> list[SiteConfig]:
    """Read every site of a registry file or folder (None: the bundled `crawlers/sites/`)."""
    root = Path(path) if path is not None else BUNDLED_SITES_DIR
    if root.is_dir():
        files = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
    elif root.is_file():
        files = [root]
    else:
        problem = file_problem(root)
        if problem in (None, "no such file"):
            raise RegistryError(f"site registry not found: {root}")
        raise RegistryError(f"site registry {root}: {problem}")  # a symlink loop, unreadable...
    sites: list[SiteConfig] = []
    seen: dict[str, Path] = {}
    for file in files:
        for site in _load_file(file):
            if site.id in seen:
                raise RegistryError(f"{file}: site id {site.id!r} already defined in {seen[site.id]}")
            seen[site.id] = file
            sites.append(site)
    return sites


def _load_file(file: Path) -> list[SiteConfig]:
    try:
        entries = yaml.safe_load(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{file}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise RegistryError(f"{file}: cannot read it ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RegistryError(f"{file}{where}: not valid YAML") from None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise RegistryError(f"{file}: expected a list of sites (each starting with '- id: ...')")
    return [_parse_site(file, i, entry) for i, entry in enumerate(entries, start=1)]


def _parse_site(file: Path, index: int, entry: Any) -> SiteConfig:
    where = f"{file}: site #{index}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping with id, name, start_urls")
    if isinstance(entry.get("id"), str):
        where = f"{file}: site {entry['id']!r}"
    unknown = sorted(set(entry) - _KNOWN_KEYS)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
    site_id = entry.get("id")
    if not isinstance(site_id, str) or not _SITE_ID.match(site_id):
        raise RegistryError(f"{where}: id must be a lowercase slug (letters, digits, - and _)")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: name is required")
    start_urls = _string_list(where, "start_urls", entry.get("start_urls"))
    if not start_urls:
        raise RegistryError(f"{where}: start_urls needs at least one URL")
    allow_private = entry.get("allow_private", False)
    if not isinstance(allow_private, bool):
        raise RegistryError(f"{where}: allow_private must be true or false")
    render = entry.get("render", "http")
    if render not in RENDER_MODES:
        raise RegistryError(f"{where}: render must be one of {', '.join(RENDER_MODES)}")
    for url in start_urls:
        _check_start_url(where, url, allow_private)
    domains = _string_list(where, "allowed_domains", entry.get("allowed_domains"))
    for domain in domains:
        _check_domain(where, domain, allow_private)
    region = entry.get("region_code")
    if region is not None and not isinstance(region, (str, int)):
        raise RegistryError(f"{where}: region_code must be a string like \"371500\"")
    enabled = entry.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RegistryError(f"{where}: enabled must be true or false")
    return SiteConfig(
        id=site_id,
        name=name.strip(),
        start_urls=tuple(start_urls),
        region_code=str(region) if region is not None else None,
        allowed_domains=tuple(d.lower().strip(".") for d in domains),
        enabled=enabled,
        allow_private=allow_private,
        render=render,
        coverage_rules=_coverage_rules(where, entry),
        **_descriptive_fields(where, entry),
    )


def _check_start_url(where: str, url: str, allow_private: bool) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a malformed port)
    except ValueError:
        raise RegistryError(f"{where}: start URL {url!r} is not a valid URL") from None
    if parts.scheme not in WEB_SCHEMES or not parts.hostname:
        raise RegistryError(f"{where}: start URL {url!r} is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise RegistryError(f"{where}: start URL {url!r} carries user info (user@host); give the host alone")
    reason = internal_host_reason(parts.hostname)
    if reason and not allow_private:
        raise RegistryError(f"{where}: start URL {url!r} is refused: {reason} "
                            "(allow_private: true is only for local test webs)")


def _check_domain(where: str, domain: str, allow_private: bool) -> None:
    if is_public_suffix(domain):
        raise RegistryError(f"{where}: allowed domain {domain!r} is a public suffix; "
                            "name the site's own domain (e.g. liaocheng.gov.cn)")
    reason = internal_host_reason(domain)
    if reason and not allow_private:
        raise RegistryError(f"{where}: allowed domain {domain!r} is refused: {reason}")


def _coverage_rules(where: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Check the optional coverage keys; aliases map a canonical name to its other spellings."""
    rules: dict[str, Any] = {}
    start = entry.get("expected_from")
    if start is not None:
        if isinstance(start, bool) or not isinstance(start, int) or not 1990 <= start <= 2100:
            raise RegistryError(f"{where}: expected_from must be a year like 2019")
        rules["expected_from"] = start
    if "expected_agencies" in entry:
        rules["expected_agencies"] = _string_list(where, "expected_agencies", entry["expected_agencies"])
    aliases = entry.get("aliases")
    if aliases is not None:
        if not isinstance(aliases, dict) or not all(isinstance(k, str) and k.strip() for k in aliases):
            raise RegistryError(f"{where}: aliases must map a full agency name to its other spellings")
        rules["aliases"] = {k.strip(): _string_list(where, f"aliases of {k}", v) for k, v in aliases.items()}
    return rules


def _descriptive_fields(where: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Check the descriptive keys; return the ones SiteConfig keeps (level, province, verified)."""
    level = entry.get("level")
    if level is not None and level not in LEVELS:
        raise RegistryError(f"{where}: level must be one of {', '.join(LEVELS)}")
    province = entry.get("province")
    if province is not None and not (isinstance(province, str) and province.strip()):
        raise RegistryError(f"{where}: province must be a name like 山东省")
    verified = entry.get("verified", False)
    if not isinstance(verified, bool):
        raise RegistryError(f"{where}: verified must be true or false")
    evidence = entry.get("evidence")
    if evidence is not None and not (isinstance(evidence, str) and urlsplit(evidence).scheme in ("http", "https")):
        raise RegistryError(f"{where}: evidence must be a URL (http or https)")
    if entry.get("host", "ip") != "ip":
        raise RegistryError(f"{where}: host must be ip (the only marker: a site on a bare IP address)")
    return {"level": level, "province": province.strip() if province else None, "verified": verified}


def _string_list(where: str, key: str, value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: {key} must be a list of strings")
    return [v.strip() for v in value]


def to_site_record(cfg: SiteConfig) -> SiteRecord:
    """The storage view of a site."""
    return SiteRecord(
        id=cfg.id,
        name=cfg.name,
        region_code=cfg.region_code,
        start_urls=tuple(cfg.start_urls),
        allowed_domains=tuple(cfg.allowed_domains),
        coverage_rules=dict(cfg.coverage_rules),
    )


def site_to_dict(cfg: SiteConfig) -> dict[str, Any]:
    """A JSON-ready form (used to hand sites to the crawl child process)."""
    return {
        "id": cfg.id,
        "name": cfg.name,
        "region_code": cfg.region_code,
        "start_urls": list(cfg.start_urls),
        "allowed_domains": list(cfg.allowed_domains),
        "enabled": cfg.enabled,
        "allow_private": cfg.allow_private,
        "render": cfg.render,
        "level": cfg.level,
        "province": cfg.province,
        "verified": cfg.verified,
        "coverage_rules": dict(cfg.coverage_rules),
    }


def site_from_dict(data: dict[str, Any]) -> SiteConfig:
    return SiteConfig(
        id=data["id"],
        name=data["name"],
        region_code=data.get("region_code"),
        start_urls=tuple(data["start_urls"]),
        allowed_domains=tuple(data.get("allowed_domains") or ()),
        enabled=data.get("enabled", True),
        allow_private=data.get("allow_private", False),
        render=data.get("render", "http"),
        level=data.get("level"),
        province=data.get("province"),
        verified=data.get("verified", False),
        coverage_rules=dict(data.get("coverage_rules") or {}),
    )

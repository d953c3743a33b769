"""Checks on the shipped default site registry (crawlers/sites/default.yaml)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from crawlers.registry import LEVELS, load_registry

DEFAULT_YAML = Path(__file__).resolve().parents[2] / "crawlers" / "sites" / "default.yaml"
SLUG = re.compile(r"^[a-z0-9_-]+$")
# Provincial-level units are named 省, 市 (the four municipalities) or 自治区.
PROVINCE_NAME = re.compile(r"^\w+(省|市|自治区)$")


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_allowed(host: str, domains: list[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one."""
    return any(host == d or host.endswith("." + d) for d in domains)


def gov_host_problem(url: str, ip_marked: bool) -> str | None:
    """Why a URL is not an http(s) URL on a gov.cn host (or a marked bare IP), or None."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return f"{url}: not an http(s) URL"
    if is_ip(host):
        return None if ip_marked else f"{url}: bare IP host without host: ip"
    if not host.endswith(".gov.cn"):
        return f"{url}: host {host} is not a gov.cn host"
    return None


def start_url_problem(url: str, domains: list[str], ip_marked: bool) -> str | None:
    """Why a start URL is unacceptable for a site with these allowed domains, or None."""
    problem = gov_host_problem(url, ip_marked)
    if problem is None and not host_allowed(urlsplit(url).hostname or "", domains):
        problem = f"{url}: host outside allowed domains {domains}"
    return problem


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    data = yaml.safe_load(DEFAULT_YAML.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_registry_has_at_least_100_sites(entries: list[dict]) -> None:
    assert len(entries) >= 100


def test_ids_are_unique_slugs(entries: list[dict]) -> None:
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not SLUG.match(i)] == []


def test_every_site_has_name_and_start_urls(entries: list[dict]) -> None:
    for e in entries:
        assert isinstance(e["name"], str) and e["name"].strip(), e["id"]
        assert e["start_urls"], e["id"]


def test_region_codes_are_six_digit_strings(entries: list[dict]) -> None:
    codes = {e["id"]: e["region_code"] for e in entries if "region_code" in e}
    assert codes, "expected some sites with a region code"
    bad = {i: c for i, c in codes.items() if not (isinstance(c, str) and re.fullmatch(r"\d{6}", c))}
    assert bad == {}


def test_every_entry_describes_itself(entries: list[dict]) -> None:
    for e in entries:
        assert e.get("level") in LEVELS, e["id"]
        assert isinstance(e.get("province"), str) and e["province"].strip(), e["id"]
        assert isinstance(e.get("verified"), bool), e["id"]
        assert e.get("host", "ip") == "ip", e["id"]


def test_start_urls_stay_inside_allowed_gov_cn_domains(entries: list[dict]) -> None:
    problems = []
    for e in entries:
        ip_marked = e.get("host") == "ip"
        for url in e["start_urls"]:
            problem = start_url_problem(url, e["allowed_domains"], ip_marked)
            if problem:
                problems.append(f"{e['id']}: {problem}")
    assert problems == []


def test_verified_sites_name_their_evidence(entries: list[dict]) -> None:
    verified = [e for e in entries if e["verified"] is True]
    assert len(verified) >= 20
    problems = []
    for e in verified:
        # Evidence may sit on a parent site (a district report in the city's column).
        problem = gov_host_problem(e.get("evidence", ""), e.get("host") == "ip")
        if problem:
            problems.append(f"{e['id']}: evidence {problem}")
    assert problems == []
    unverified_with_evidence = [e["id"] for e in entries if e["verified"] is False and "evidence" in e]
    assert unverified_with_evidence == []


def test_sites_span_provinces_and_levels(entries: list[dict]) -> None:
    provinces = {e["province"] for e in entries if PROVINCE_NAME.match(e["province"])}
    assert len(provinces) >= 8
    assert {e["level"] for e in entries} == set(LEVELS)


def test_checks_reject_bad_entries() -> None:
    # The helpers above must be able to fail: a mirror host, an outside host, a
    # bare IP without its marker, a non-http URL.
    assert start_url_problem("http://www.mirror-spam.com/a.html", ["mirror-spam.com"], False)
    assert start_url_problem("http://www.jinan.gov.cn/x", ["liaocheng.gov.cn"], False)
    assert start_url_problem("http://127.0.0.1/x", ["127.0.0.1"], False)
    assert start_url_problem("http://127.0.0.1/x", ["127.0.0.1"], True) is None
    assert start_url_problem("ftp://www.jinan.gov.cn/x", ["jinan.gov.cn"], False)
    assert start_url_problem("http://xxgk.jinan.gov.cn/x", ["jinan.gov.cn"], False) is None
    assert gov_host_problem("https://www.gov.cn.example.com/x", False)
    assert gov_host_problem("", False)


def test_registry_loader_accepts_every_entry(entries: list[dict]) -> None:
    loaded = load_registry(DEFAULT_YAML)
    assert [s.id for s in loaded] == [e["id"] for e in entries]
    for site, e in zip(loaded, entries):
        assert list(site.start_urls) == e["start_urls"]
        assert list(site.allowed_domains) == e["allowed_domains"]
        assert site.region_code == e.get("region_code")
        assert (site.level, site.province, site.verified) == (e["level"], e["province"], e["verified"])
    bundled_ids = {s.id for s in load_registry()}
    assert {e["id"] for e in entries} <= bundled_ids

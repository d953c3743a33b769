"""Which site owns a URL when the allowed domains of several sites overlap.

A city's `km.gov.cn` covers its districts' `lq.km.gov.cn`; one xxgk host may be
listed by two sites. Links are stored once per URL, so without a rule the first
site to reach a URL would own it, depending on crawl order. The rule here:

- the most specific domain wins (`lq.km.gov.cn` beats `km.gov.cn` for its pages);
- between sites listing the very same domain, the one whose start URL's folder
  is the longest prefix of the URL wins (two departments on one xxgk host:
  `/11A000/…` and `/110016/…`), then a site starting anywhere on that host,
  then the first in the registry (a deterministic, documented choice).

`overlaps` lists every overlapping pair so a registry can be reviewed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from common.scope import host_in_domain, host_of, in_scope
from crawlers.registry import SiteConfig


@dataclass(frozen=True)
class Overlap:
    """Two sites whose allowed domains cover the same hosts: `nested` (one below the other) or `same`."""

    first: str
    second: str
    domain: str  # the wider (or common) domain
    kind: str


def overlaps(sites: Sequence[SiteConfig]) -> list[Overlap]:
    """Every pair of sites with overlapping allowed domains, in registry order."""
    found = []
    for index, first in enumerate(sites):
        for second in sites[index + 1:]:
            for a in first.allowed_domains:
                for b in second.allowed_domains:
                    if a == b:
                        found.append(Overlap(first.id, second.id, a, "same"))
                    elif host_in_domain(b, a) or host_in_domain(a, b):
                        found.append(Overlap(first.id, second.id, a if host_in_domain(b, a) else b, "nested"))
    return found


def _start_match(site: SiteConfig, host: str, url: str) -> int:
    """How well the site's start URLs claim `url`: the longest start folder it lies in (+1 for the host)."""
    best = 0
    for start in site.start_urls:
        if host_of(start) != host:
            continue
        folder = urlsplit(start).path.rsplit("/", 1)[0] + "/"
        best = max(best, 1 + (len(folder) if urlsplit(url).path.startswith(folder) else 0))
    return best


class Ownership:
    """Answers `owner(url)` for a set of sites crawled together."""

    def __init__(self, sites: Sequence[SiteConfig]) -> None:
        self._sites = list(sites)
        self._overlapping = {site_id for o in overlaps(self._sites) for site_id in (o.first, o.second)}

    def owner(self, url: str) -> str | None:
        """The site owning `url`, or None when no site's domains cover it."""
        host = host_of(url)
        best: tuple[int, int, int] | None = None
        owner = None
        for order, site in enumerate(self._sites):
            matching = [d for d in site.allowed_domains if host_in_domain(host, d)]
            if not matching:
                continue
            rank = (max(len(d) for d in matching), _start_match(site, host, url), -order)
            if best is None or rank > best:
                best, owner = rank, site.id
        return owner

    def allows(self, site_id: str, url: str, allowed_domains: Sequence[str]) -> bool:
        """In the site's scope and not owned by another site crawled alongside."""
        if not in_scope(url, allowed_domains):
            return False
        return site_id not in self._overlapping or self.owner(url) == site_id

"""Overlapping allowed domains: every overlap is listed, and each URL has one owner whatever the crawl order."""

from __future__ import annotations

from crawlers.ownership import Overlap, Ownership, overlaps
from crawlers.registry import SiteConfig, load_registry

CITY = SiteConfig("km", "昆明市人民政府", ("https://www.km.gov.cn/",), allowed_domains=("km.gov.cn",))
DISTRICT = SiteConfig("lq", "禄劝县人民政府", ("https://lq.km.gov.cn/",), allowed_domains=("lq.km.gov.cn",))
SAME_A = SiteConfig("a", "甲县人民政府", ("https://www.a.gov.cn/",), allowed_domains=("www.a.gov.cn", "xxgk.ab.gov.cn"))
SAME_B = SiteConfig("b", "乙县人民政府", ("https://xxgk.ab.gov.cn/b/",), allowed_domains=("xxgk.ab.gov.cn",))


def test_overlaps_are_listed_as_nested_or_same() -> None:
    assert overlaps([CITY, DISTRICT, SAME_A, SAME_B]) == [
        Overlap("km", "lq", "km.gov.cn", "nested"),
        Overlap("a", "b", "xxgk.ab.gov.cn", "same"),
    ]


def test_the_most_specific_domain_then_the_start_host_owns_a_url_in_any_order() -> None:
    for sites in ([CITY, DISTRICT, SAME_A, SAME_B], [SAME_B, DISTRICT, SAME_A, CITY]):
        owners = Ownership(sites)
        assert owners.owner("https://lq.km.gov.cn/xxgk/nb/1.html") == "lq"
        assert owners.owner("https://www.km.gov.cn/zwgk/1.html") == "km"
        assert owners.owner("https://xxgk.ab.gov.cn/b/nb/1.html") == "b"  # b starts on that host
        assert owners.owner("https://www.a.gov.cn/1.html") == "a"
        assert owners.owner("https://www.elsewhere.gov.cn/") is None
        assert not owners.allows("km", "https://lq.km.gov.cn/xxgk/nb/1.html", CITY.allowed_domains)
        assert owners.allows("km", "https://www.km.gov.cn/1.html", CITY.allowed_domains)


def test_every_overlap_of_the_default_registry_resolves_to_one_owner_whatever_the_order() -> None:
    sites = load_registry()
    by_id = {site.id: site for site in sites}
    found = overlaps(sites)
    assert found  # the default registry has them; they are resolved, not refused
    for overlap in found:
        pair = [by_id[overlap.first], by_id[overlap.second]]
        url = f"https://{overlap.domain}/"
        assert Ownership(pair).owner(url) in (overlap.first, overlap.second)
        for site in pair:  # a page below a site's own start folder is that site's, in either order
            for start in site.start_urls:
                if start.split("/")[2] == overlap.domain and start.count("/") > 3:
                    page = start.rsplit("/", 1)[0] + "/t2024_1.html"
                    assert Ownership(pair).owner(page) == Ownership(pair[::-1]).owner(page) == site.id, page

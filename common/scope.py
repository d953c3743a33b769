"""Which URLs belong to a site, and the one canonical spelling of a URL.

The spider (what to follow), the fetcher (what to download, where a redirect may
go) and the registry (what a site may declare) all ask these questions; this
module is the one answer. Hosts are compared without ports; addresses that point
back into this machine or a private network are refused unless a test web
explicitly allows them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit
from urllib.request import getproxies_environment, proxy_bypass_environment

import tldextract
from w3lib.url import canonicalize_url, url_query_cleaner

WEB_SCHEMES = ("http", "https")
# Session ids only: names that never select content. Short names like `sid` or `_t`
# select a column or a page on some CMSs, so they are kept.
SESSION_PARAMS = ("jsessionid", "phpsessid", "aspsessionid", "sessionid", "cfid", "cftoken")
_SESSION_IN_PATH = re.compile(r";jsessionid=[^/?#]*", re.I)
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


def canonical_url(url: str) -> str:
    """One spelling per resource: no fragment, no session id, sorted query,
    normalised percent-encoding, lowercase scheme and host, no default port."""
    url = _SESSION_IN_PATH.sub("", url.strip())
    url = url_query_cleaner(url, [*SESSION_PARAMS, *(p.upper() for p in SESSION_PARAMS)],
                            remove=True, keep_fragments=False)
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    if (parts.scheme, parts.port) in (("http", 80), ("https", 443)):
        parts = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
    return parts.geturl()


def host_of(url: str) -> str:
    """The lowercase host name of a URL, without port, user info or trailing dot."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def in_scope(url: str, allowed_domains: Iterable[str]) -> bool:
    """An http(s) URL whose host is one of the domains or below one (ports ignored)."""
    if urlsplit(url).scheme.lower() not in WEB_SCHEMES:
        return False
    host = host_of(url)
    return any(host_in_domain(host, domain) for domain in allowed_domains)


def host_in_domain(host: str, domain: str) -> bool:
    """The host is the domain or a sub-domain of it (`lq.km.gov.cn` is in `km.gov.cn`)."""
    domain = domain.lower().strip().strip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))


def literal_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host name spells, in any form a resolver accepts
    (`127.0.0.1`, `2130706433`, `0x7f.1`, `[::1]`), or None for a name."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # legacy forms: 0x7f.1, 2130706433
    except OSError:
        return None


def is_internal_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local (cloud metadata), reserved or unspecified."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def internal_host_reason(host: str) -> str | None:
    """Why a host is not a public web target, judged from its spelling alone; None if it may be."""
    host = host.lower().rstrip(".")
    if not host:
        return "has no host"
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return f"{host} is this machine"
    address = literal_address(host)
    if address is not None and is_internal_address(address):
        return f"{host} is a loopback, private or link-local address"
    return None


@lru_cache(maxsize=4096)
def resolves_internal(host: str) -> str | None:
    """Why a name is not fetched when it resolves to an internal address; None when it
    resolves only to public addresses or does not resolve here (a proxy may resolve it)."""
    reason = internal_host_reason(host)
    if reason:
        return reason
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if is_internal_address(address):
            return f"{host} resolves to the internal address {address}"
    return None


@lru_cache(maxsize=2)
def public_suffix_splitter(include_private: bool = False) -> tldextract.TLDExtract:
    """tldextract on the public suffix list snapshot bundled with it: never fetched from the
    network (a default TLDExtract downloads the list on a machine with a cold cache)."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=include_private)


def is_public_suffix(domain: str) -> bool:
    """`gov.cn`, `cn`, `com.cn`, `*`: a domain so broad that it covers other owners' sites."""
    domain = domain.lower().strip().strip(".")
    if not domain or "*" in domain:
        return True
    if literal_address(domain) is not None:
        return False
    return not public_suffix_splitter()(domain).domain


def refused_target(url: str, *, allow_private: bool = False) -> str | None:
    """Why nothing may be sent to this URL's host, checked at connection time; None if it may.

    Without a proxy the name is resolved here, so a gov.cn name pointing at a private
    address is refused too; through a proxy, the proxy connects and resolves.
    """
    if allow_private:
        return None
    host = host_of(url)
    reason = internal_host_reason(host)
    if reason or _proxied(url):
        return reason
    return resolves_internal(host)


def _proxied(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    proxies = getproxies_environment()
    return scheme in proxies and not proxy_bypass_environment(host_of(url), proxies)


def registrable_domain(url: str) -> str:
    """The domain a site owns: `www.liaocheng.gov.cn` → `liaocheng.gov.cn`; IPs stay as they are."""
    host = host_of(url)
    parts = public_suffix_splitter()(host)
    if parts.ipv4 or not parts.suffix or not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"

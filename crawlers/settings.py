"""Scrapy settings for nianbao crawls: politeness, robots, retries, proxies, budgets, storage pipeline.

Proxies come from HTTP_PROXY / HTTPS_PROXY / NO_PROXY through Scrapy's own
HttpProxyMiddleware (enabled by default). The politeness delay comes from
NIANBAO_CRAWL_DELAY (read in common.settings, the one place reading NIANBAO_*)
and can be zeroed for tests and benchmarks.
"""

from __future__ import annotations

from typing import Any

from common.settings import DEFAULT_CRAWL_DELAY, DEFAULT_REQUEST_TIMEOUT, MAX_DOCUMENT_BYTES, USER_AGENT, env_settings
from storage.config import crawl_delay_override

DEFAULT_DELAY_SECONDS = DEFAULT_CRAWL_DELAY

BASE_SETTINGS: dict[str, Any] = {
    "BOT_NAME": "nianbao",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    # Many sites crawl in parallel; each domain gets its own slot in turn.
    "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "DOWNLOAD_TIMEOUT": DEFAULT_REQUEST_TIMEOUT,
    "DOWNLOAD_MAXSIZE": MAX_DOCUMENT_BYTES,
    "DOWNLOAD_WARNSIZE": 0,
    "REDIRECT_MAX_TIMES": 5,
    "COOKIES_ENABLED": True,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "DOWNLOADER_MIDDLEWARES": {
        # Before RobotsTxtMiddleware (100): off-site hosts never even get a robots.txt request.
        "crawlers.middlewares.SiteScopeMiddleware": 50,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": None,
        "crawlers.middlewares.BundledSuffixCookiesMiddleware": 700,
        # After cookies (700): a browser render starts with the site's cookies, and the
        # cookies it obtained reach the jar through its response's Set-Cookie headers.
        "crawlers.browser.BrowserMiddleware": 750,
        "crawlers.middlewares.BackoffRetryMiddleware": 550,
        # Responses pass from high to low numbers: after decompression (590), before
        # MetaRefreshMiddleware (580) and the spider read the text.
        "crawlers.middlewares.EncodingFallbackMiddleware": 585,
    },
    "ITEM_PIPELINES": {"crawlers.pipelines.StoragePipeline": 300},
    # Pages read before are asked for with their validators; a 304 serves the stored copy.
    "HTTPCACHE_ENABLED": True,
    "HTTPCACHE_POLICY": "crawlers.http_cache.RevalidatingPolicy",
    "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
    "HTTPCACHE_GZIP": True,
    # nianbao's own knobs
    "NIANBAO_NAV_DEPTH": 5,  # link hops from a start URL while looking for report columns
    "NIANBAO_WEAK_NAV_DEPTH": 3,  # hops for links that only say 政务公开 / 信息公开 / xxgk
    "NIANBAO_PAGE_BUDGET": 3000,  # requests per site and run, hard limit
    "NIANBAO_MAX_QUERY_VARIANTS": 40,  # distinct query strings per path (calendar / filter traps)
    "NIANBAO_MAX_URL_LENGTH": 400,
    "NIANBAO_MAX_PATH_SEGMENTS": 14,
    "NIANBAO_LINK_BATCH": 200,  # links written to storage per call
}


def crawl_settings(overrides: dict[str, Any] | None = None, delay: float | None = None) -> dict[str, Any]:
    """The settings of one crawl: base, then the politeness delay, then caller overrides."""
    settings = dict(BASE_SETTINGS)
    if delay is None:
        delay = crawl_delay_override()
    if delay is None:
        delay = DEFAULT_DELAY_SECONDS
    settings["DOWNLOAD_DELAY"] = delay
    settings["HTTPCACHE_DIR"] = str(env_settings().resolved_http_cache_dir().resolve())
    settings["AUTOTHROTTLE_ENABLED"] = delay > 0
    settings["AUTOTHROTTLE_START_DELAY"] = max(delay, 0.1)
    # Backoff before retries follows the politeness delay: none in tests, seconds in production.
    settings["NIANBAO_RETRY_BACKOFF"] = 2.0 * delay
    settings.update(overrides or {})
    return settings

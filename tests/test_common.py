"""The rules every layer shares: stand-in pages, URL scope and canonical form, settings."""

from __future__ import annotations

import pytest

from common.page_kind import stand_in_kind
from common.scope import (
    canonical_url,
    in_scope,
    internal_host_reason,
    is_public_suffix,
    refused_target,
    registrable_domain,
)
from common.settings import USER_AGENT, SettingsError, env_settings

REPORT_PAGE = ("<html><head><title>某某市2023年政府信息公开工作年度报告</title></head><body>"
               "<div class=login>登录 <input type=password></div><h1>年度报告</h1>"
               + "<p>本报告依据《中华人民共和国政府信息公开条例》编制。</p>" * 40
               + "<p>如有疑问请联系。页面不存在的链接请反馈。</p></body></html>")


@pytest.mark.parametrize(
    ("status", "html", "kind"),
    [
        (412, "<html><script>var $_ts=window['$_ts'];</script></html>", "challenge"),
        (403, "<html><body>Forbidden</body></html>", "challenge"),
        (200, "<html><script>$_ts={};$_ts.cd='qhx';</script></html>", "challenge"),
        (200, "<html><meta content='a8Fq2'><script>var _$Yx=1;</script></html>", "challenge"),
        (200, "<html><script>document.cookie='acw_sc__v2=1f3';location.reload()</script></html>", "challenge"),
        (200, "<html><body>请开启JavaScript并刷新该页</body></html>", "challenge"),
        (200, "<html><body>安全验证 请完成滑动验证</body></html>", "challenge"),
        (200, "<html><body><form>用户登录 <input type='password' name=p></form></body></html>", "login"),
        (200, "<html><head><title>页面不存在</title></head><body>返回首页</body></html>", "soft_404"),
        (200, "<html><body><h1>您访问的页面不存在</h1>" + "导航 " * 300 + "</body></html>", "soft_404"),
        (200, "<html><body>404 Not Found</body></html>", "soft_404"),
        (200, '<html><body><a href="/a.html">政府信息公开</a></body></html>', None),
        (200, REPORT_PAGE, None),
        (200, "<html><body><table><tr><td>登录</td><td><input type=password></td></tr></table></body></html>", None),
        (404, "<html><body>not found</body></html>", None),
    ],
)
def test_one_detector_tells_challenges_logins_and_soft_404s_from_content(
    status: int, html: str, kind: str | None
) -> None:
    assert stand_in_kind(html, status) == kind


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://WWW.A.gov.cn:80/a/b.html?b=2&a=1#frag", "http://www.a.gov.cn/a/b.html?a=1&b=2"),
        ("http://www.a.gov.cn", "http://www.a.gov.cn/"),
        ("http://www.a.gov.cn/a;jsessionid=AB12?sid=3&JSESSIONID=1", "http://www.a.gov.cn/a?sid=3"),
        ("http://www.a.gov.cn/list?PHPSESSID=x&page=2", "http://www.a.gov.cn/list?page=2"),
        ("http://www.a.gov.cn/附件/报告.pdf", "http://www.a.gov.cn/%E9%99%84%E4%BB%B6/%E6%8A%A5%E5%91%8A.pdf"),
        ("http://www.a.gov.cn/%e9%99%84.pdf", "http://www.a.gov.cn/%E9%99%84.pdf"),
        ("https://a.gov.cn:443/x", "https://a.gov.cn/x"),
        ("http://a.gov.cn:8080/x", "http://a.gov.cn:8080/x"),
    ],
)
def test_canonical_url_gives_one_spelling(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_scope_accepts_the_domains_and_their_subdomains_only() -> None:
    domains = ["liaocheng.gov.cn"]
    assert in_scope("http://www.liaocheng.gov.cn/a", domains)
    assert in_scope("https://LIAOCHENG.gov.cn.:8080/a", domains)
    assert not in_scope("http://fakeliaocheng.gov.cn/a", domains)
    assert not in_scope("http://liaocheng.gov.cn.evil.com/a", domains)
    assert not in_scope("ftp://www.liaocheng.gov.cn/a", domains)
    assert not in_scope("http://evil.com@127.0.0.1/", ["evil.com"])


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "0x7f.1", "2130706433", "10.0.0.1", "169.254.169.254", "::1",
             "[::1]", "192.168.1.1", "0.0.0.0", "::ffff:127.0.0.1", "a.localhost"],
)
def test_internal_hosts_are_recognised_in_every_spelling(host: str) -> None:
    assert internal_host_reason(host)


def test_public_hosts_are_not_internal() -> None:
    assert internal_host_reason("www.liaocheng.gov.cn") is None
    assert internal_host_reason("202.110.193.21") is None


def test_connection_time_check_honours_allow_private() -> None:
    assert refused_target("http://127.0.0.1:8000/x")
    assert refused_target("http://www.a.gov.cn@127.0.0.1/x")
    assert refused_target("http://127.0.0.1:8000/x", allow_private=True) is None


@pytest.mark.parametrize(("domain", "suffix"), [("gov.cn", True), ("cn", True), ("com.cn", True), ("*", True),
                                                ("*.gov.cn", True), ("liaocheng.gov.cn", False),
                                                ("lq.km.gov.cn", False)])
def test_public_suffixes_come_from_the_bundled_list(domain: str, suffix: bool) -> None:
    assert is_public_suffix(domain) is suffix


def test_registrable_domain_of_a_district() -> None:
    assert registrable_domain("http://lq.km.gov.cn/x") == "km.gov.cn"


def test_user_agent_is_ascii_for_http_headers() -> None:
    assert USER_AGENT.isascii() and USER_AGENT.encode("latin-1")


@pytest.mark.parametrize(
    ("name", "value"),
    [("NIANBAO_CRAWL_DELAY", "abc"), ("NIANBAO_CRAWL_DELAY", "-1"), ("NIANBAO_REQUEST_TIMEOUT", "-1"),
     ("NIANBAO_REQUEST_TIMEOUT", "0")],
)
def test_bad_environment_values_are_one_line_errors(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        env_settings({name: value})
    assert str(caught.value).startswith(f"{name}=") and "\n" not in str(caught.value)


def test_environment_values_are_read_and_empty_ones_ignored() -> None:
    settings = env_settings({"NIANBAO_CRAWL_DELAY": "0", "NIANBAO_REQUEST_TIMEOUT": "", "OTHER": "x"})
    assert settings.crawl_delay == 0 and settings.request_timeout is None

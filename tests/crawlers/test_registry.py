"""Site registry: loading files and folders, defaults, one-line errors, storage records."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.registry import (
    RegistryError,
    SiteConfig,
    load_registry,
    registrable_domain,
    site_from_dict,
    site_to_dict,
    to_site_record,
)
from storage.errors import UserError
from storage.records import SiteRecord

GOOD = """\
- id: liaocheng
  name: 聊城市人民政府
  region_code: "371500"
  start_urls:
    - http://www.liaocheng.gov.cn/
- id: gaoping
  name: 高平市人民政府
  start_urls: [http://www.sxgp.gov.cn/, http://xxgk.sxgp.gov.cn/gzbm/zfxxgknb/]
  allowed_domains: [sxgp.gov.cn, 61.150.65.235]
  enabled: false
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_file_with_defaults(tmp_path: Path) -> None:
    sites = load_registry(write(tmp_path, "sites.yaml", GOOD))
    assert sites == [
        SiteConfig("liaocheng", "聊城市人民政府", ("http://www.liaocheng.gov.cn/",), "371500", ("liaocheng.gov.cn",)),
        SiteConfig("gaoping", "高平市人民政府", ("http://www.sxgp.gov.cn/", "http://xxgk.sxgp.gov.cn/gzbm/zfxxgknb/"),
                   None, ("sxgp.gov.cn", "61.150.65.235"), enabled=False),
    ]


def test_loads_every_yaml_file_of_a_folder_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "- {id: second, name: 乙, start_urls: [http://www.b.gov.cn/]}\n")
    write(tmp_path, "a.yml", "- {id: first, name: 甲, start_urls: [http://www.a.gov.cn/]}\n")
    write(tmp_path, "notes.txt", "not a registry")
    assert [s.id for s in load_registry(tmp_path)] == ["first", "second"]


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("http://www.liaocheng.gov.cn/", "liaocheng.gov.cn"),
        ("http://xxgk.sxgp.gov.cn/a/", "sxgp.gov.cn"),
        ("https://www.gz.gov.cn/zfjgzy/", "gz.gov.cn"),
        ("http://127.0.0.1/zfxxgk/", "127.0.0.1"),  # a bare IP host (tests name loopback only)
        ("http://WWW.Shanghai.GOV.cn:8080/", "shanghai.gov.cn"),
    ],
)
def test_registrable_domain(url: str, domain: str) -> None:
    assert registrable_domain(url) == domain


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {id: a, start_urls: [http://www.a.gov.cn/]}\n", "site 'a': name is required"),
        ("- {id: a, name: 甲, start_urls: []}\n", "site 'a': start_urls needs at least one URL"),
        ("- {id: a, name: 甲, start_urls: [www.a.gov.cn]}\n", "site 'a': start URL 'www.a.gov.cn' is not an http(s) URL"),
        ("- {id: A B, name: 甲, start_urls: [http://a.gov.cn/]}\n", "id must be a lowercase slug"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], start_url: x}\n", "unknown key(s) start_url"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], enabled: maybe}\n", "enabled must be true or false"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], level: city, tier: 2}\n", "unknown key(s) tier"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], level: town}\n",
         "level must be one of province, city, county, district, department"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], verified: yes please}\n", "verified must be true or false"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], host: cdn}\n", "host must be ip"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], evidence: [x]}\n", "evidence must be a URL"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/], province: 7}\n", "province must be a name"),
        ("id: a\nname: 甲\n", "expected a list of sites"),
        ("- id: a\n  name: [unclosed\n", "not valid YAML"),
        ("- {id: a, name: 甲, start_urls: [http://a.gov.cn/]}\n- {id: a, name: 乙, start_urls: [http://b.gov.cn/]}\n",
         "site id 'a' already defined"),
    ],
)
def test_errors_are_one_line_user_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, UserError)


DESCRIBED = """\
- id: wulateqianqi
  name: 乌拉特前旗人民政府
  start_urls:
    - http://127.0.0.1:8082/sites/wltqq/zwinfo.jsp?id=15652
  allowed_domains: [127.0.0.1]
  allow_private: true
  level: county
  province: 内蒙古自治区
  verified: true
  evidence: "http://127.0.0.1:8082/sites/wltqq/zwinfo.jsp?id=15652"
  host: ip
"""


def test_descriptive_keys_are_accepted_and_kept(tmp_path: Path) -> None:
    [site] = load_registry(write(tmp_path, "sites.yaml", DESCRIBED))
    assert (site.level, site.province, site.verified) == ("county", "内蒙古自治区", True)
    assert site.allowed_domains == ("127.0.0.1",)
    [plain] = load_registry(write(tmp_path, "plain.yaml", GOOD))[:1]
    assert (plain.level, plain.province, plain.verified) == (None, None, False)


def test_site_dict_round_trip_keeps_descriptive_keys(tmp_path: Path) -> None:
    [site] = load_registry(write(tmp_path, "sites.yaml", DESCRIBED))
    assert site_from_dict(site_to_dict(site)) == site


def test_missing_registry_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="site registry not found"):
        load_registry(tmp_path / "nope.yaml")


def test_site_record_for_storage(tmp_path: Path) -> None:
    site = load_registry(write(tmp_path, "sites.yaml", GOOD))[0]
    assert to_site_record(site) == SiteRecord(
        id="liaocheng", name="聊城市人民政府", region_code="371500",
        start_urls=("http://www.liaocheng.gov.cn/",), allowed_domains=("liaocheng.gov.cn",),
    )


# Hosts only: the registry refuses them, so nothing is ever sent to any of them.
@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost:8080", "0x7f.1", "2130706433", "www.a.gov.cn@127.0.0.1", "10.0.0.1",
     "169.254.169.254", "[::1]", "192.168.0.10"],
)
def test_internal_start_urls_are_refused_in_one_line(tmp_path: Path, host: str) -> None:
    path = write(tmp_path, "sites.yaml", f"- id: bad\n  name: 某地\n  start_urls: ['http://{host}/xxgk/']\n")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert "\n" not in str(caught.value) and "site 'bad'" in str(caught.value)


def test_allow_private_admits_a_local_test_web(tmp_path: Path) -> None:
    path = write(tmp_path, "sites.yaml",
                 "- id: local\n  name: 测试\n  start_urls: [http://127.0.0.1:8000/]\n  allow_private: true\n")
    (site,) = load_registry(path)
    assert site.allow_private and site_from_dict(site_to_dict(site)).allow_private


@pytest.mark.parametrize("domain", ["gov.cn", "cn", "com.cn", "*", "*.gov.cn"])
def test_public_suffix_domains_are_refused(tmp_path: Path, domain: str) -> None:
    path = write(tmp_path, "sites.yaml",
                 f"- id: broad\n  name: 某地\n  start_urls: [http://www.a.gov.cn/]\n  allowed_domains: ['{domain}']\n")
    with pytest.raises(RegistryError, match="public suffix"):
        load_registry(path)


def test_a_registry_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_bytes("- id: gbk\n  name: 聊城市人民政府\n  start_urls: [http://www.a.gov.cn/]\n".encode("gbk"))
    with pytest.raises(RegistryError, match="not UTF-8"):
        load_registry(path)

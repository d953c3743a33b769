"""Which reports `reparse` derives again."""

from __future__ import annotations

from flows.reparse import select_items, version_key
from storage.refs import ReparseItem


def versions(items: list[ReparseItem]) -> list[str]:
    return [item.parser_version for item in items]


def test_reparse_selects_reports_not_yet_derived_by_the_installed_parser():
    items = [ReparseItem("s", f"http://a.gov.cn/{v}.html", None, [], v, 2022, None)
             for v in ("core-1.0", "core-1.9", "core-1.10", "core-2.0")]
    assert versions(select_items(items, None, "core-2.0")) == ["core-1.0", "core-1.9", "core-1.10"]
    assert versions(select_items(items, "core-1.9", "core-2.0")) == ["core-1.9", "core-1.10"]
    assert version_key("core-1.10") > version_key("core-1.9")

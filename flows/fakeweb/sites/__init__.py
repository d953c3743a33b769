"""The fake sites: hand-made CMS and discovery styles, plus generated ones for benchmarks."""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.sites import baishi, fenghe, generated, hanshan, lintan, liushu, qingshan, shuiyuan, yunxi
from flows.fakeweb.sites.base import FakeSite


def build_sites(store: DocumentStore, extra_generated_sites: int = 0) -> list[FakeSite]:
    hand_made = [qingshan.build(store), hanshan.build(store), baishi.build(store), liushu.build(store)]
    # Discovery shapes: frame/script entry chain, wrong charset, deep department column, JSON lists.
    hand_made += [fenghe.build(store), yunxi.build(store), lintan.build(store), shuiyuan.build(store)]
    return hand_made + [generated.build(store, number) for number in range(1, extra_generated_sites + 1)]

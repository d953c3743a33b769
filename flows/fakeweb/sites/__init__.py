"""The fake sites: four hand-made CMS styles, plus generated ones for benchmarks."""

from __future__ import annotations

from flows.fakeweb.documents import DocumentStore
from flows.fakeweb.sites import baishi, generated, hanshan, liushu, qingshan
from flows.fakeweb.sites.base import FakeSite


def build_sites(store: DocumentStore, extra_generated_sites: int = 0) -> list[FakeSite]:
    hand_made = [qingshan.build(store), hanshan.build(store), baishi.build(store), liushu.build(store)]
    return hand_made + [generated.build(store, number) for number in range(1, extra_generated_sites + 1)]

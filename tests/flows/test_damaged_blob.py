"""A damaged stored document is refused, never parsed into a new version (issue 13 item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.blobs import DamagedBlobError
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
DAMAGED_URL = "http://www.qingshan.gov.cn/nb/2023.html"
INTACT_URL = "http://www.qingshan.gov.cn/nb/2022.html"


def _html(seed: Path) -> bytes:
    text = seed.read_text(encoding="utf-8")
    return f"<html><body><pre>{text}</pre></body></html>".encode()


def _damage(repo: Repository, sha256: str) -> None:
    path = repo.blobs.path_for(sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte, as a bad disk sector would
    path.write_bytes(bytes(data))


@pytest.fixture
def store(tmp_path, monkeypatch) -> Repository:
    monkeypatch.setenv("NIANBAO_DATABASE_URL", f"sqlite:///{tmp_path / 'nianbao.db'}")
    monkeypatch.setenv("NIANBAO_BLOB_URL", str(tmp_path / "blobs"))
    repo = Repository.open()
    seeds = sorted(SEEDS.glob("*.txt"))
    for url, seed, year in ((DAMAGED_URL, seeds[0], 2023), (INTACT_URL, seeds[1], 2022)):
        raw = repo.record_fetch(fetched(url, _html(seed)))
        repo.record_parse("qingshan", [raw], parsed_report(year=year, parser_version="old-1"), url)
    yield repo
    repo.close()


def test_reading_a_damaged_blob_fails_and_the_same_bytes_repair_it(store):
    raw = store.latest_raw_version(DAMAGED_URL)
    original = store.read_blob(raw.sha256)
    _damage(store, raw.sha256)
    with pytest.raises(DamagedBlobError, match="damaged_blob"):
        store.read_blob(raw.sha256)
    store.record_fetch(fetched(DAMAGED_URL, original))  # fetched again, unchanged on the web
    assert store.read_blob(raw.sha256) == original


def test_reparse_of_a_damaged_blob_is_a_reasoned_failure_and_keeps_the_old_version(prefect_harness, store):
    from flows.reparse import reparse

    _damage(store, store.latest_raw_version(DAMAGED_URL).sha256)
    result = reparse()
    rows = {row["source_url"]: row for row in result["reports"]}
    assert rows[DAMAGED_URL]["status"] == "parse_failed"
    assert rows[DAMAGED_URL]["detail"].startswith("damaged_blob:")
    assert rows[INTACT_URL]["version"] == 2  # the installed parser did run on intact bytes
    records = {record["url"]: record for record in store.iter_export_records()}
    assert records[DAMAGED_URL]["version"] == 1 and records[DAMAGED_URL]["parser_version"] == "old-1"
    # The intact report got its version 2; which version is current is the quality rule's call.
    assert INTACT_URL in records

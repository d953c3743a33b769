"""Migration 0002 on a store written under 0001: current versions, validators, no year 0, keys."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from storage.db import _alembic_config, create_db_engine
from storage.repository import Repository

ROWS = [
    "INSERT INTO sites (id, name, start_urls, allowed_domains, first_seen, updated_at) VALUES "
    "('s', '某县人民政府', '[]', '[]', '2025-01-01', '2025-01-01')",
    "INSERT INTO blobs (sha256, size, created_at) VALUES ('a', 1, '2025-01-01'), ('b', 1, '2025-01-01')",
    "INSERT INTO links (url, site_id, kind, first_seen, last_seen, gone_at, gone_status) VALUES "
    "('http://x.gov.cn/p', 's', 'page', '2025-01-01', '2025-01-01', '2025-01-02', 404)",
    "INSERT INTO raw_versions (url, sha256, version, size, etag, fetched_at) VALUES "
    "('http://x.gov.cn/p', 'a', 1, 1, '\"1\"', '2025-01-01'), ('http://x.gov.cn/p', 'b', 2, 1, '\"2\"', '2025-01-01')",
    "INSERT INTO reports (site_id, agency_key, agency_name, report_year, created_at) VALUES "
    "('s', '', NULL, 0, '2025-01-01')",
    "INSERT INTO report_versions (report_id, version, raw_key, parser_version, source_url, format_version, "
    "t2_format_version, t3_format_version, scope, checks_failed, record, created_at) VALUES "
    "(1, 1, '2', 'p', 'http://x.gov.cn/p', 'v2021', 'v2021', 'v2021', 'unknown', 0, '{}', '2025-01-01')",
]


def test_0002_carries_a_0001_store_over(database_url, blob_dir):
    engine = create_db_engine(database_url)
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for statement in ROWS:
            connection.execute(sa.text(statement))
    engine.dispose()
    repo = Repository.open(database_url, str(blob_dir))  # migrates to head
    [link] = repo.links_to_fetch()  # a single old 404 no longer retires it
    assert (link.url, link.etag) == ("http://x.gov.cn/p", '"2"')
    assert repo.latest_raw_version(link.url).version == 2
    with repo.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT report_year, discovery_key FROM reports")).one()
    assert tuple(row) == (None, "http://x.gov.cn/p")
    repo.close()

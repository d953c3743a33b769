"""Two processes writing the same things at once never create duplicate versions."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import func, select

from storage import models as m
from storage.repository import Repository
from tests.storage.factories import fetched, parsed_report

URL = "http://www.hanshan.gov.cn/art/2024/1/25/art_1229232619_3937963.html"
WRITERS = 2
ROUNDS = 12
OWN_EVERY = 3


def _writer(database_url: str, blob_url: str, barrier, writer_index: int, results) -> None:
    repo = Repository.open(database_url, blob_url)
    told_new = []
    for round_index in range(ROUNDS):
        barrier.wait()  # start each round together so the writes collide
        shared = repo.record_fetch(fetched(URL, f"round {round_index}".encode()))
        if shared is not None:
            told_new.append(shared.sha256)
            repo.record_parse("hanshan", [shared], parsed_report(), URL)
        if round_index % OWN_EVERY == 0:
            own = repo.record_fetch(fetched(URL, f"writer {writer_index} round {round_index}".encode()))
            if own is not None:
                told_new.append(own.sha256)
    results.put(told_new)
    repo.close()


def test_two_processes_record_the_same_fetches(database_url, blob_dir):
    Repository.open(database_url, str(blob_dir)).close()  # migrate once, before the race
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()
    workers = [
        ctx.Process(target=_writer, args=(database_url, str(blob_dir), barrier, i, results))
        for i in range(WRITERS)
    ]
    for worker in workers:
        worker.start()
    told_new = [sha for _ in workers for sha in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    repo = Repository.open(database_url, str(blob_dir))
    with repo._session() as session:
        rows = session.execute(select(m.RawVersion.version, m.RawVersion.sha256)).all()
        fetch_events = session.scalar(select(func.count()).select_from(m.FetchEvent))
        report_versions = session.scalar(select(func.count()).select_from(m.ReportVersion))
    repo.close()
    own_rounds = len(range(0, ROUNDS, OWN_EVERY))
    distinct_contents = ROUNDS + WRITERS * own_rounds
    # Every distinct content is exactly one version, numbered 1..N without gaps,
    # and exactly one writer was told it was new.
    assert len(rows) == distinct_contents
    assert sorted(version for version, _ in rows) == list(range(1, distinct_contents + 1))
    assert sorted(told_new) == sorted(sha for _, sha in rows)
    assert fetch_events == WRITERS * (ROUNDS + own_rounds)
    assert report_versions == ROUNDS  # one per shared content, however the race went

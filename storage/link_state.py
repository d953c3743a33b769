"""The life of a link: which raw version is current, its validators, when it is gone.

A link's current raw version is the one whose bytes the server served last (an
earlier version again after the bytes went back). Its validators (ETag,
Last-Modified) follow every 200 and 304. A 404/410 is one "missing" answer; the
link is gone only after `GonePolicy.answers` of them spread over at least
`GonePolicy.min_days`, and any later 200/304 or a rediscovery clears it. The
report whose record came from a gone document is marked withdrawn (never deleted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import models as m
from storage.records import FetchedDocument

STAND_IN_OUTCOMES = ("challenge", "login", "soft_404")


@dataclass(frozen=True)
class GonePolicy:
    """How many 404/410 answers, over how many days, retire a link."""

    answers: int = 3
    min_days: float = 7.0


def stand_in_outcome(doc: FetchedDocument) -> str | None:
    """challenge / login / soft_404 when the fetcher saw a page standing in for the document."""
    reason = (doc.error or "").split(":", 1)[0]
    return reason if reason in STAND_IN_OUTCOMES else None


def record_answer(session: Session, doc: FetchedDocument, raw_version_id: int | None) -> None:
    """A useful answer (200 or 304): keep the validators, clear any missing streak."""
    values: dict = dict(missing_answers=0, missing_since=None, gone_at=None, gone_status=None)
    if doc.status_code == 200 or doc.etag:
        values["etag"] = doc.etag
    if doc.status_code == 200 or doc.last_modified:
        values["last_modified"] = doc.last_modified
    if raw_version_id is not None:
        values["current_raw_version_id"] = raw_version_id
    session.execute(update(m.Link).where(m.Link.url == doc.url).values(**values))
    _set_withdrawn(session, doc.url, None)


def record_missing(session: Session, doc: FetchedDocument, policy: GonePolicy) -> str:
    """One 404/410: "missing", or "gone" once the policy's answers and days are reached."""
    link = session.scalars(select(m.Link).where(m.Link.url == doc.url)).first()
    if link is None:
        return "missing"
    if link.gone_at is not None:
        return "gone"
    since = link.missing_since or doc.fetched_at
    answers = (link.missing_answers or 0) + 1
    link.missing_answers, link.missing_since = answers, since
    if answers >= policy.answers and doc.fetched_at - since >= timedelta(days=policy.min_days):
        link.gone_at, link.gone_status = doc.fetched_at, doc.status_code
        _set_withdrawn(session, doc.url, doc.fetched_at)
        return "gone"
    return "missing"


def clear_gone(session: Session, urls: list[str]) -> None:
    """Rediscovered links are alive again, and so are the reports drawn from them."""
    session.execute(update(m.Link).where(m.Link.url.in_(urls), m.Link.gone_at.is_not(None)).values(
        gone_at=None, gone_status=None, missing_answers=0, missing_since=None))
    for url in urls:
        _set_withdrawn(session, url, None)


def _set_withdrawn(session: Session, url: str, when: datetime | None) -> None:
    """Mark (or unmark) the reports whose current record comes from `url`."""
    current_from_url = (
        select(m.ReportVersion.report_id)
        .join(m.Report, m.Report.current_version_id == m.ReportVersion.id)
        .where(m.ReportVersion.source_url == url)
    )
    session.execute(update(m.Report).where(m.Report.id.in_(current_from_url)).values(withdrawn_at=when))


def current_raw_version(session: Session, url: str) -> m.RawVersion | None:
    """The raw version the server served last for `url` (the newest when the link does not say)."""
    current_id = session.scalar(select(m.Link.current_raw_version_id).where(m.Link.url == url))
    if current_id is not None:
        row = session.get(m.RawVersion, current_id)
        if row is not None:
            return row
    return session.scalars(
        select(m.RawVersion).where(m.RawVersion.url == url).order_by(m.RawVersion.version.desc()).limit(1)
    ).first()


def withdrawn_reports(session: Session) -> dict[int, datetime]:
    """Report id -> when it was withdrawn (its current record's document is gone): the one place to ask."""
    rows = session.execute(select(m.Report.id, m.Report.withdrawn_at).where(m.Report.withdrawn_at.is_not(None)))
    return {report_id: when for report_id, when in rows}

"""When each known document is checked again: the refresh policy of nightly runs.

Reports of the latest statistics years, documents that changed or failed lately,
and documents of unknown year are checked every night. An older document that
answered unchanged waits twice as long as last time before the next check, up to
`max_interval_days`; a change brings it back to nightly. Backfills and
`--refresh-all` ignore the policy and check everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models as m

UNCHANGED_OUTCOMES = ("unchanged", "not_modified")
NIGHTLY_DAYS = 1.0


@dataclass(frozen=True)
class RefreshPolicy:
    recent_years: int = 2  # the latest statistics years, checked every night
    max_interval_days: float = 30.0  # the longest an unchanged older document waits
    # A check due a few hours after tonight's run starts is still made tonight, so a
    # nightly schedule that starts a little earlier each day does not skip a night.
    slack_hours: float = 3.0


def latest_statistics_year(today: date) -> int:
    """Reports published this year are about last year."""
    return today.year - 1


def next_interval_days(previous: float | None, outcome: str, report_year: int | None,
                       today: date, policy: RefreshPolicy) -> float:
    """Days until the next check of a document after a fetch with this outcome."""
    if outcome not in UNCHANGED_OUTCOMES or report_year is None:
        return NIGHTLY_DAYS
    if report_year > latest_statistics_year(today) - policy.recent_years:
        return NIGHTLY_DAYS
    return min(max(previous or NIGHTLY_DAYS, NIGHTLY_DAYS) * 2, policy.max_interval_days)


def schedule_next_check(session: Session, url: str, outcome: str, fetched_at: datetime,
                        policy: RefreshPolicy) -> None:
    """Set the link's next check time after one fetch of it."""
    link = session.scalars(select(m.Link).where(m.Link.url == url)).first()
    if link is None:
        return
    interval = next_interval_days(link.check_interval_days, outcome, link.report_year, fetched_at.date(), policy)
    link.check_interval_days = interval
    link.next_check_at = fetched_at + timedelta(days=interval) - timedelta(hours=policy.slack_hours)

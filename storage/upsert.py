"""INSERT ... ON CONFLICT DO NOTHING for the dialects nianbao supports."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


def insert_ignore(session: Session, model: type, conflict_columns: list[str], values: dict[str, Any]) -> Insert:
    """An insert of one row that is a no-op when `conflict_columns` already exist."""
    dialect = session.get_bind().dialect.name
    module = {"postgresql": postgresql, "sqlite": sqlite}.get(dialect)
    if module is None:
        raise NotImplementedError(f"nianbao supports SQLite and PostgreSQL, not {dialect}")
    return module.insert(model).values(**values).on_conflict_do_nothing(index_elements=conflict_columns)

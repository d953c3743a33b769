"""Engine creation and schema migrations (Alembic), with one-line errors for bad set-ups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from filelock import FileLock
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from storage.errors import StorageError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Any fixed number: workers opening a new PostgreSQL database at once migrate one at a time.
MIGRATION_LOCK_KEY = 0x6E69616E62616F  # "nianbao"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # busy_timeout first: switching to WAL itself needs the lock.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def create_db_engine(database_url: str) -> Engine:
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise StorageError(f"NIANBAO_DATABASE_URL is not a database URL: {database_url!r}") from exc
    try:
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ImportError) as exc:
        raise StorageError(f"no driver for database URL {url.render_as_string()}: {exc}") from exc
    except OSError as exc:
        raise StorageError(f"cannot create the database folder for {database_url}: {exc}") from exc
    return engine


def _transactional_ddl(engine: Engine) -> Engine:
    """An engine whose transactions cover DDL too, for migrating.

    Python's sqlite3 opens a transaction only before INSERT/UPDATE/DELETE, so
    CREATE TABLE would commit on its own: a process killed mid-migration left a
    half-built schema that every later start failed on (`table blobs already
    exists`). Here the driver's own transaction handling is off and BEGIN
    IMMEDIATE is issued explicitly, so the whole upgrade commits or vanishes.
    PostgreSQL's DDL is transactional already.
    """
    if engine.dialect.name != "sqlite":
        return engine
    migrating = create_engine(engine.url, poolclass=NullPool,
                              connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(migrating, "connect")
    def _connect(dbapi_connection, record) -> None:
        _sqlite_pragmas(dbapi_connection, record)
        dbapi_connection.isolation_level = None
        # Table rebuilds (batch migrations) drop and recreate parents: with foreign keys
        # on, the DROP would cascade into their children. Off for this engine only.
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @event.listens_for(migrating, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """An exclusive file lock beside a SQLite database while it is migrated.

    Two processes opening a new database at once would both see no schema and
    both try to create it; the second waits here and then finds it migrated.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    lock = FileLock(f"{database}.migrate-lock")
    try:
        lock.acquire()
    except OSError as exc:
        raise StorageError(f"cannot use database {database}: {exc.strerror} (its folder must be writable)") from exc
    try:
        yield
    finally:
        lock.release()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a database from a newer nianbao."""
    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    migrating = _transactional_ddl(engine)
    try:
        with _sqlite_migration_lock(engine), migrating.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            current = MigrationContext.configure(connection).get_current_heads()
            unknown = [rev for rev in current if rev not in known]
            if unknown:
                raise StorageError(
                    f"the database was created by a newer nianbao (schema revision {unknown[0]}); "
                    "upgrade nianbao or point NIANBAO_DATABASE_URL elsewhere"
                )
            if set(current) != set(script.get_heads()):
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
    except DatabaseError as exc:  # unreachable, refused, or not a database at all (corrupt file)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError(
            f"cannot use database {engine.url.render_as_string()}: {reason}"
        ) from exc
    finally:
        if migrating is not engine:
            migrating.dispose()


def head_revision() -> str:
    """The newest schema revision this nianbao knows."""
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None

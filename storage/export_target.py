"""Where an export may be written, and writing it so a failure never destroys anything.

An export goes to a temporary file beside its target and is renamed into place
only when complete: a failed export leaves an existing file as it was. Paths
that belong to the store itself (the database and its side files, anything
inside the blob folder) are refused, so an export can never overwrite data.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from storage.errors import UserError
from storage.paths import folder_problem

# SQLite keeps a database's state in these files beside it, too.
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal", ".migrate-lock")


def protected_paths(database_file: str | None, blob_root: str | Path | None) -> list[tuple[Path, bool]]:
    """(path, is_folder) pairs an export must not touch: the database files and the blob folder."""
    protected: list[tuple[Path, bool]] = []
    if database_file and database_file != ":memory:":
        base = Path(database_file).expanduser().resolve()
        protected += [(base.with_name(base.name + side), False) for side in _SQLITE_SIDE_FILES]
    if blob_root is not None:
        protected.append((Path(blob_root).expanduser().resolve(), True))
    return protected


def _resolved_in_usable_folder(out: str | Path, path: Path) -> Path:
    """The resolved path; UserError when the folder it goes into cannot be used."""
    problem = folder_problem(path.parent)
    if problem:
        raise UserError(f"--out {out}: its folder {path.parent} {problem}")
    return path.resolve()


def check_export_target(out: str | Path, protected: Sequence[tuple[Path, bool]]) -> Path:
    """The resolved output path; UserError when it is a folder or part of the store."""
    path = Path(out).expanduser()
    if path.is_dir():
        raise UserError(f"--out {out} is a directory; give a file name, e.g. {Path(out) / 'reports.jsonl'}")
    resolved = _resolved_in_usable_folder(out, path)
    for guarded, is_folder in protected:
        if resolved == guarded or (is_folder and resolved.is_relative_to(guarded)):
            what = "the blob folder" if is_folder else "the database"
            raise UserError(f"--out {out} is {what} of this store ({guarded}); choose another file")
    return path


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed onto it only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        umask = os.umask(0)
        os.umask(umask)
        temp.chmod(0o666 & ~umask)  # mkstemp makes 0600; a plain file's mode is expected
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def check_export_folder(out: str | Path, protected: Sequence[tuple[Path, bool]]) -> Path:
    """The output folder of a partitioned export; UserError when it is a file, foreign or part of the store.

    An existing folder is replaced only when it holds nothing but `key=value` partition folders
    (a previous partitioned export), so a mistyped --out never deletes unrelated files.
    """
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise UserError(f"--out {out} is a file; a partitioned export writes a folder")
    if path.is_dir() and any(not (child.is_dir() and "=" in child.name) for child in path.iterdir()):
        raise UserError(f"--out {out} is a folder with other content; give a new or empty folder name")
    resolved = _resolved_in_usable_folder(out, path)
    for guarded, is_folder in protected:
        if resolved == guarded or guarded.is_relative_to(resolved) or (is_folder and resolved.is_relative_to(guarded)):
            raise UserError(f"--out {out} overlaps this store ({guarded}); choose another folder")
    return path


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside `path`, swapped in for it only if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    old = temp.with_name(temp.name.replace(".partial", ".old"))
    try:
        yield temp / "data"  # made by the writer, which wants a folder that does not exist yet
        (temp / "data").mkdir(exist_ok=True)  # an export without rows is an empty folder
        if path.exists():
            os.replace(path, old)
        try:
            os.replace(temp / "data", path)
        except OSError:
            if old.exists():  # put the previous export back
                os.replace(old, path)
            raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

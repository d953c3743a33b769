"""What is wrong with a path a user gave, in words (a directory, a symlink loop, missing...)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def read_problem(path: str | Path) -> tuple[str, str] | None:
    """(reason code, words) for why `path` cannot be read as a file, or None when it can.

    Codes: file_not_found, symlink_loop, not_a_file, unreadable_file. A FIFO or device
    is refused before it is opened (opening a FIFO would wait for a writer).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        dangling = os.path.islink(path)
        return "file_not_found", "is a symbolic link to a file that does not exist" if dangling else "no such file"
    except OSError as exc:
        return ("symlink_loop" if exc.errno == errno.ELOOP else "unreadable_file"), _reason(exc)
    if stat.S_ISDIR(info.st_mode):
        return "not_a_file", "is a directory, not a file"
    if not stat.S_ISREG(info.st_mode):
        return "not_a_file", "is not a regular file (a FIFO, socket or device)"
    try:
        open(path, "rb").close()
    except OSError as exc:
        return "unreadable_file", _reason(exc)
    return None


def file_problem(path: str | Path) -> str | None:
    """Why `path` cannot be read as a file, in words, or None when it can."""
    problem = read_problem(path)
    return problem[1] if problem else None


def folder_problem(path: str | Path) -> str | None:
    """Why `path` cannot be used as a folder (it may be missing: it will be created)."""
    try:
        os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _reason(exc)
    return None if Path(path).is_dir() else "is a file, not a folder"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symlink loop"
    if exc.errno == errno.EISDIR:
        return "is a directory, not a file"
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)

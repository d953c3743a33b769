"""What is wrong with a path a user gave, in words (a directory, a symlink loop, missing...)."""

from __future__ import annotations

import errno
import os
from pathlib import Path


def file_problem(path: str | Path) -> str | None:
    """Why `path` cannot be read as a file, or None when it can be opened for reading."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return _reason(exc)


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

"""Content-addressed blob store: a local folder by default, any fsspec URL otherwise.

A blob's name is the sha256 of its bytes, so identical bytes from two URLs are
stored once. Local writes go to a temporary file in the same folder and are
renamed into place, so a process killed mid-write leaves no partial blob under
a real name (only a `.tmp-*` file, ignored and cleaned by `sweep_temp_files`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

import fsspec

from storage.errors import StorageError


class DamagedBlobError(Exception):
    """Stored bytes no longer hash to their name: the blob was damaged on disk or in transit."""

    reason = "damaged_blob"

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"damaged_blob: stored bytes of blob {sha256} hash to {actual}; "
                         "the document must be fetched again")
        self.sha256 = sha256


def verified(sha256: str, data: bytes) -> bytes:
    """`data` if it hashes to `sha256`, else DamagedBlobError (bytes are never trusted unread)."""
    actual = sha256_hex(data)
    if actual != sha256:
        raise DamagedBlobError(sha256, actual)
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative_path(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobStore(Protocol):
    def put(self, data: bytes) -> str: ...
    def get(self, sha256: str) -> bytes: ...
    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore:
    """Blobs as files under a folder, written atomically (temp file + fsync + rename)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create blob folder {self.root}: {exc.strerror}") from exc
        try:  # a real write: permissions, read-only mounts and quotas all show here
            probe_fd, probe_name = tempfile.mkstemp(prefix=".tmp-probe-", dir=self.root)
        except OSError as exc:
            raise StorageError(
                f"blob folder {self.root} is not writable ({exc.strerror}); "
                "fix its permissions or set NIANBAO_BLOB_URL"
            ) from exc
        os.close(probe_fd)
        os.unlink(probe_name)

    def path_for(self, sha256: str) -> Path:
        return self.root / _relative_path(sha256)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put(self, data: bytes) -> str:
        digest = sha256_hex(data)
        target = self.path_for(digest)
        if target.is_file() and self._intact(digest):
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        return verified(sha256, self.path_for(sha256).read_bytes())

    def _intact(self, sha256: str) -> bool:
        """A damaged blob is rewritten when the same bytes arrive again."""
        try:
            self.get(sha256)
        except DamagedBlobError:
            return False
        return True

    def sweep_temp_files(self) -> int:
        """Remove temp files left by killed writers; returns how many."""
        removed = 0
        for leftover in self.root.glob("*/*/.tmp-*"):
            leftover.unlink(missing_ok=True)
            removed += 1
        return removed


class FsspecBlobStore:
    """Blobs in any fsspec file system (object stores write whole objects atomically)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.fs, self.base = fsspec.core.url_to_fs(self.url)

    def _path(self, sha256: str) -> str:
        return f"{self.base}/{_relative_path(sha256)}"

    def exists(self, sha256: str) -> bool:
        return bool(self.fs.exists(self._path(sha256)))

    def put(self, data: bytes) -> str:
        digest = sha256_hex(data)
        path = self._path(digest)
        if not self.fs.exists(path):
            self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            self.fs.pipe_file(path, data)
        return digest

    def get(self, sha256: str) -> bytes:
        return verified(sha256, self.fs.cat_file(self._path(sha256)))


def open_blob_store(url: str) -> BlobStore:
    """A local folder (plain path or file://) or any other fsspec URL."""
    if "://" not in url:
        return LocalBlobStore(url)
    if url.startswith("file://"):
        return LocalBlobStore(url[len("file://") :])
    try:
        return FsspecBlobStore(url)
    except (ImportError, ValueError) as exc:
        raise StorageError(f"cannot open blob store {url}: {exc}") from exc

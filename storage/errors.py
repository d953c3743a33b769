"""Errors of storage a user can cause; UserError itself lives in common.errors."""

from common.errors import UserError

__all__ = ["StorageError", "UserError"]


class StorageError(UserError):
    """The database or blob store cannot be used as configured."""

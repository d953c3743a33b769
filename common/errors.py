"""Errors a user can cause, reported as one line by the CLI."""


class UserError(Exception):
    """Bad input or environment: the message says what is wrong and what to do."""

"""One-line reports of errors a user can cause that are not our UserError: usage and database.

Click and Typer print usage errors as a multi-line box; nianbao promises one
line on stderr. A database that breaks under a command (a corrupt SQLite file,
a server that went away) is reported as one line too, never as a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

import typer

# Typer ships its own copy of click; reach its exception classes through public names.
_CLICK_CLASSES = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
ClickException: type[Exception] = _CLICK_CLASSES["ClickException"]
UsageError: type[Exception] = _CLICK_CLASSES["UsageError"]
NoArgsIsHelpError: type[Exception] = getattr(sys.modules[UsageError.__module__], "NoArgsIsHelpError", ())


def run_one_line_usage(app: Any, prog_name: str, usage_exit: int) -> int:
    """Run the Typer `app`; a usage error prints `prog: error: message (see --help)`."""
    try:
        code = app(prog_name=prog_name, standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()  # the help text itself: what a bare `nianbao` should print
        return exc.exit_code
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else prog_name
        message = " ".join(exc.format_message().split())
        print(f"{prog_name}: error: {message} (see {command} --help)", file=sys.stderr)
        return usage_exit
    except ClickException as exc:
        print(f"{prog_name}: error: {' '.join(exc.format_message().split())}", file=sys.stderr)
        return exc.exit_code
    except typer.Abort:
        print(f"{prog_name}: aborted", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0


def database_failure(exc: BaseException) -> str | None:
    """One line for a database error raised while a command ran; None for any other error."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DatabaseError

    if not isinstance(exc, DatabaseError):
        return None
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
    return (f"the database failed: {reason} (a damaged database file? restore it from a "
            "backup or point NIANBAO_DATABASE_URL elsewhere)")

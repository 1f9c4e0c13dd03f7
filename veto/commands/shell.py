"""veto shell: an interactive session, one command a line (the session itself: veto/shell.py)."""

from __future__ import annotations

import typer


def shell() -> None:
    """An interactive session: one command a line, each stored on its own.

    History and Tab completion (commands, options, values, client codes and names, coaches,
    employers); an error is shown as the command shows it and the session goes on; exit or
    Ctrl-D leaves. Unlike `veto batch`, every line is stored as soon as it succeeds. Lines
    can also be piped in (`veto shell < day.txt`); the exit status is then the last line's.
    History: VETO_HISTORY names the file (mode 0600; empty for none), default shell_history
    beside the default store.
    """
    from veto.shell import interact

    raise typer.Exit(interact())

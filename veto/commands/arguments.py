"""What the command line refuses before any command runs: arguments that are not UTF-8 text, and
an option whose value is another option (`client add --name --gender female` would name the
client "--gender")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from veto.errors import InputError

# Typer's commands and options (Click's, vendored by Typer 0.28 as typer._click), duck-typed.
Command = Any


def _options(command: Command) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option"]


def _takes_a_value(command: Command, token: str) -> bool:
    for option in _options(command):
        if token in (*option.opts, *option.secondary_opts):
            return not (option.is_flag or option.count)
    return False


def _names(command: Command) -> set[str]:
    return {name for option in _options(command) for name in (*option.opts, *option.secondary_opts)}


def _looks_like_an_option(command: Command, value: str) -> bool:
    if value.startswith("--") and len(value) > 2 and value[2].isalpha():
        return True
    return value in _names(command)  # a short one such as -f; a number such as -5 is a value


def check_arguments(root: Command, argv: Sequence[str]) -> None:
    """Raise `InputError` (one line) for an argument that is not valid UTF-8 (the bytes Python
    could not decode arrive as surrogates) or an option given another option as its value."""
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                f"argument {position} is not valid UTF-8 text: type it again, or save the file "
                "it came from as UTF-8"
            ) from None
    command = root
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return
        subcommands = getattr(command, "commands", None)
        if subcommands is not None and not token.startswith("-"):
            try:
                command = subcommands[token]
            except KeyError:  # an unknown command: Click says so
                return
            continue
        if not _takes_a_value(command, token):
            continue
        value = next(tokens, None)
        if value is not None and _looks_like_an_option(command, value):
            escape = f" (or write {token}=VALUE for a value that starts with -)"
            raise InputError(
                f"{token} needs a value, not the option '{value}': give the value right after "
                f"{token}{escape if token.startswith('--') else ''}"
            )

"""What `veto survey` and `veto plan` share: the default command (`veto survey CLIENT` is
`veto survey new CLIENT`), reading answers from a YAML or JSON file, and asking the questions
one by one at the terminal (prompts on stderr, so stdout keeps only the new reference)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from veto.errors import InputError
from veto.i18n import _

if TYPE_CHECKING:  # imported when asked: every command module loads at startup
    from veto.domain.questions import Group, Question

CLEAR = "-"


class DefaultsToNew(TyperGroup):
    """A group whose first argument, when it names no subcommand, goes to `new`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["new", *args]
        return super().parse_args(ctx, args)


def read_answers_file(path: str) -> dict[str, Any]:
    """A mapping of question keys to answers from a YAML or JSON file (`-`: stdin)."""
    import yaml

    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            _("cannot read '{path}': {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            _("cannot read '{path}': it is not UTF-8 text").format(path=path)
        ) from None
    try:
        # JSON is YAML too, so one parser reads both.
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(
            f"malformed YAML or JSON in '{path}'{where}: give key: answer lines"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            _("'{path}' must hold a mapping of question keys to answers").format(path=path)
        )
    return {str(k): v for k, v in data.items()}


def _read(prompt: str, default: str = "") -> str:
    """One line from stdin, the prompt on stderr. (typer.prompt writes a space to stdout for
    every question, which would spoil the one-line reference a script reads.)"""
    shown = f" [{default}]" if default else ""
    print(f"{prompt}{shown}: ", end="", file=sys.stderr, flush=True)
    try:
        line = input()
    except EOFError:
        raise typer.Abort() from None
    return line.strip() or default


def _ask_one(question: Question, current: Any) -> Any:
    from veto.domain.questions import display, parse_answer

    default = display(question, current) or ""
    hint = f" ({question.hint})" if question.hint else ""
    while True:
        text = _read(f"{question.text}{hint}", default)
        if text == CLEAR:
            return None
        try:
            return parse_answer(question, text)
        except InputError as exc:
            from veto.i18n import _

            print(_("Error: {message}").format(message=exc), file=sys.stderr)


def _ask_list(question: Question, current: list[str] | None) -> list[str] | None:
    print(question.text, file=sys.stderr)
    current = list(current or [])
    items: list[str] = []
    for n in range(1, question.items + 1):
        text = _read(f"  {n}.", current[n - 1] if n <= len(current) else "")
        if text == CLEAR:
            continue
        if not text:
            break
        items.append(text)
    return items or None


def ask(
    questions: tuple[Question, ...],
    *,
    title: str,
    current: dict[str, Any] | None = None,
    groups: tuple[Group, ...] | None = None,
) -> dict[str, Any]:
    """Ask every question in turn. For a new record (`current` None) Enter skips a question;
    when editing, Enter keeps the current answer and '-' clears it."""
    from veto.domain.questions import LIST

    editing = current is not None
    current = current or {}
    from veto.i18n import _

    keep = _("Enter keeps the answer, - clears it") if editing else _("Enter skips the question")
    print(f"{title} ({keep})", file=sys.stderr)
    heading = {g.questions[0].key: g for g in groups or ()}
    answers: dict[str, Any] = {}
    for question in questions:
        shown = question
        if (group := heading.get(question.key)) is not None:
            print(file=sys.stderr)
            if group.single:
                shown = replace(question, text=f"{group.number}. {question.text}")
            else:
                print(f"{group.number}. {group.title}", file=sys.stderr)
        if question.kind == LIST:
            answers[question.key] = _ask_list(shown, current.get(question.key))
        else:
            answers[question.key] = _ask_one(shown, current.get(question.key))
    return answers

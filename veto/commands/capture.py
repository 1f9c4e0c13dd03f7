"""What `veto survey` and `veto plan` share: the default command (`veto survey CLIENT` is
`veto survey new CLIENT`), reading answers from a YAML or JSON file, and asking the questions
one by one at the terminal (prompts on stderr, so stdout keeps only the new reference)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from veto.errors import InputError
from veto.i18n import _

if TYPE_CHECKING:  # imported when asked: every command module loads at startup
    from datetime import datetime

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
        if mark:
            message = _("malformed YAML or JSON in '{path}' at line {line}: give key: answer lines")
            raise InputError(message.format(path=path, line=mark.line + 1)) from None
        message = _("malformed YAML or JSON in '{path}': give key: answer lines")
        raise InputError(message.format(path=path)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            _("'{path}' must hold a mapping of question keys to answers").format(path=path)
        )
    return {str(k): v for k, v in data.items()}


def _read(prompt: str, default: str = "") -> str:
    """One line from stdin, the prompt on stderr. (typer.prompt writes a space to stdout for
    every question, which would spoil the one-line reference a script reads.) At the end of
    input, EOFError."""
    shown = f" [{default}]" if default else ""
    print(f"{prompt}{shown}: ", end="", file=sys.stderr, flush=True)
    return input().strip() or default


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
            print(_("Error: {message}").format(message=exc), file=sys.stderr)


def _ask_list(question: Question, current: list[str] | None, answers: dict[str, Any]) -> None:
    """Ask a list item by item into `answers`, so that an interrupted list keeps the items
    given so far (and, when editing, the current ones not reached)."""
    print(question.text, file=sys.stderr)
    current = list(current or [])
    items: list[str] = []
    answers[question.key] = current or None
    for n in range(1, question.items + 1):
        text = _read(f"  {n}.", current[n - 1] if n <= len(current) else "")
        if not text:
            break
        if text != CLEAR:
            items.append(text)
        answers[question.key] = items + current[n:] or None
    answers[question.key] = items or None


class HungUp(Exception):
    """The terminal was closed (SIGHUP) while a form was being filled in."""


def _hung_up(_signum, _frame):
    raise HungUp


@contextmanager
def _signals(handler) -> Iterator[None]:
    """While the block runs, SIGHUP (the terminal closed) goes to `handler` (`_hung_up`: raise
    `HungUp` instead of ending the process at once, so that the answers so far can be kept) and,
    when `handler` is SIG_IGN, Ctrl-C is ignored too (while those answers are being saved)."""
    import signal
    import threading

    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = [signal.SIGHUP] + ([signal.SIGINT] if handler is signal.SIG_IGN else [])
    before = {number: signal.signal(number, handler) for number in held}
    try:
        yield
    finally:
        for number, previous in before.items():
            signal.signal(number, previous)


def ask(
    questions: tuple[Question, ...],
    *,
    title: str,
    current: dict[str, Any] | None = None,
    groups: tuple[Group, ...] | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> dict[str, Any]:
    """Ask every question in turn. For a new record (`current` None) Enter skips a question;
    when editing, Enter keeps the current answer and '-' clears it.

    Stopped by Ctrl-C, the end of input or a closed terminal, `keep` (if given) gets the
    answers so far (with `current`'s for the questions not reached); when it kept something,
    the command ends there: exit status 130 after Ctrl-C, else 1. Otherwise Ctrl-C ends it
    with 130 and the end of input as an abort (1, 'aborted')."""
    from veto.domain.questions import LIST

    editing = current is not None
    current = current or {}
    hint = _("Enter keeps the answer, - clears it") if editing else _("Enter skips the question")
    heading = {g.questions[0].key: g for g in groups or ()}
    answers: dict[str, Any] = {}
    try:
        with _signals(_hung_up):
            print(f"{title} ({hint})", file=sys.stderr)
            for question in questions:
                shown = question
                if (group := heading.get(question.key)) is not None:
                    print(file=sys.stderr)
                    if group.single:
                        shown = replace(question, text=f"{group.number}. {question.text}")
                    else:
                        print(f"{group.number}. {group.title}", file=sys.stderr)
                if question.kind == LIST:
                    _ask_list(shown, current.get(question.key), answers)
                else:
                    answers[question.key] = _ask_one(shown, current.get(question.key))
    except (KeyboardInterrupt, EOFError, HungUp) as stop:
        if keep is not None and keep({**current, **answers}):
            raise typer.Exit(130 if isinstance(stop, KeyboardInterrupt) else 1) from None
        if isinstance(stop, KeyboardInterrupt):
            raise
        raise typer.Abort() from None
    return answers


# What `veto survey CLIENT` and `veto plan CLIENT` say about a kept draft, by form.
_LEFT_UNFINISHED = {
    "survey": lambda: _("The survey of {code} was left unfinished on {day} ({answers})."),
    "plan": lambda: _("The plan of {code} was left unfinished on {day} ({answers})."),
}


def _answers(n: int) -> str:
    from veto.i18n import ngettext

    return ngettext("{n} answer", "{n} answers", n).format(n=n)


def _continues(form: str, code: str, saved: tuple[datetime, int], resume: bool | None) -> bool:
    """Whether to continue the draft kept at `saved` (time, answers): --resume/--no-resume,
    else ask (Enter: yes)."""
    from veto.domain.dates import finnish
    from veto.domain.inputs import parse_yes_no
    from veto.store.direct import as_datetime

    if resume is not None:
        return resume
    saved_at, count = saved
    left = _LEFT_UNFINISHED[form]().format(
        code=code, day=finnish(as_datetime(saved_at).astimezone().date()), answers=_answers(count)
    )
    print(left, file=sys.stderr)
    while True:
        try:
            answer = parse_yes_no(_read(_("Continue it? [Y/n]")), what="answer")
        except InputError as exc:
            print(_("Error: {message}").format(message=exc), file=sys.stderr)
            continue
        except EOFError:
            raise typer.Abort() from None
        return answer is None or answer


def fill_in(
    form: str,
    client: str,
    *,
    title: str,
    questions: tuple[Question, ...],
    groups: tuple[Group, ...] | None = None,
    resume: bool | None = None,
    check: Callable[[Any], None] | None = None,
) -> dict[str, Any]:
    """The answers to a new survey or plan (`form`) of `client` taken at the terminal.

    The client (and, by `check`, the other references) is looked up before the first question.
    A draft the client has of this form is continued (its answers as the defaults) when the
    coach says so or --resume was given. Interrupted, the form keeps the answers so far as the
    client's draft, in a transaction of its own, says so in one line and ends the command
    (`ask`). The caller stores the form and removes the draft (`drop_draft`) in one transaction.
    """
    from veto.commands.common import store
    from veto.domain.drafts import draft_answers, find_draft, keep_draft
    from veto.domain.references import find_client

    with store() as session:
        found = find_client(session, client)
        if check is not None:
            check(session)
        client_id, code = found.id, found.code
        assert client_id is not None
        heading = title.format(code=found.code, name=found.name)
        draft = find_draft(session, client_id=client_id, form=form)
        saved = (draft.saved_at, len(draft.answers)) if draft is not None else None
    current = None
    if saved is not None and _continues(form, code, saved, resume):
        with store(purpose=f"{form} draft") as session:
            if (draft := find_draft(session, client_id=client_id, form=form)) is not None:
                current = draft_answers(session, draft=draft)

    def kept(answers: dict[str, Any]) -> bool:
        import signal

        with _signals(signal.SIG_IGN), store() as session:  # a second Ctrl-C waits
            draft = keep_draft(session, client_id=client_id, form=form, answers=answers)
            count = len(draft.answers) if draft is not None else 0
        if not count:
            return False
        message = _(
            "Interrupted: {answers} kept as a draft; `veto {form} {code}` continues it."
        ).format(answers=_answers(count), form=form, code=code)
        try:  # after a hang-up there may be no terminal to tell
            print(f"\n{message}", file=sys.stderr, flush=True)
        except OSError:
            pass
        return True

    return ask(questions, title=heading, current=current, groups=groups, keep=kept)


ResumeOption = typer.Option(
    None,
    "--resume/--no-resume",
    help="Continue the client's unfinished form (kept when it was interrupted), or start "
    "afresh; default: ask.",
)


def refuse_resume(resume: bool | None) -> None:
    """--resume continues a form taken at the terminal; --from never reads a draft."""
    if resume:
        raise InputError(_("--resume continues a form taken at the terminal: drop --from"))

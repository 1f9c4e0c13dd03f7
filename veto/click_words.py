"""Click's and Typer's own words (usage errors, help panels) in the current language.

Typer (0.28) carries its own copy of Click, whose messages are English f-strings, not gettext
calls; only `typer.rich_utils` marks its panel titles with the stdlib `gettext` (default
domain, read once at import). So veto translates them in this one place, from veto's own
catalogue (context "click", `tools/catalogue.py` extracts and checks them like any message):

- `message(exc)`: a usage error's text, matched against the English templates of `TEMPLATES`
  (a template's `{name}` matches any text) and rebuilt from its Finnish form;
- `install()`: the help page's words — rich panel titles, "[required]", "Usage:", the help
  option's "Show this message and exit." and the completion options' help;
- `confirm(question)`: Click's yes/no question with the suffix and the answers of the current
  language (`[k/E]`: k, kyllä, e, ei in Finnish; y, yes, n, no are always understood).

A message no template matches stays as Click wrote it (`tests/test_i18n_rest.py` pins the
common ones, so an upgrade of Typer that rewords one shows there).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from veto.i18n import NC_, language, pgettext

CONTEXT = "click"

# Click's templates as Typer's copy of Click writes them (typer/_click/*.py), longest first
# where one could swallow another.
TEMPLATES = (
    NC_("click", "Missing argument {hint}. {detail}"),
    NC_("click", "Missing option {hint}. {detail}"),
    NC_("click", "Missing argument {hint}."),
    NC_("click", "Missing option {hint}."),
    NC_("click", "Missing parameter {hint}."),
    NC_("click", "Missing parameter: {name}"),
    NC_("click", "Invalid value for {hint}: {detail}"),
    NC_("click", "Invalid value: {detail}"),
    NC_("click", "No such option: {option} (Possible options: {options})"),
    NC_("click", "No such option: {option}"),
    NC_("click", "No such command {name}. Did you mean {suggestions}?"),
    NC_("click", "No such command {name}."),
    NC_("click", "Missing command."),
    NC_("click", "Got unexpected extra argument ({arguments})"),
    NC_("click", "Got unexpected extra arguments ({arguments})"),
    NC_("click", "Got unexpected extra argument(s) ({arguments})"),
    NC_("click", "Option {option} does not take a value."),
    NC_("click", "Option {option} requires an argument."),
    NC_("click", "Option {option} requires {count} arguments."),
    NC_("click", "Argument {name} takes {count} values."),
    NC_("click", "{value} is not a valid integer."),
    NC_("click", "{value} is not a valid float."),
    NC_("click", "{value} is not a valid boolean. Recognized values: {values}"),
    NC_("click", "{value} is not a valid UUID."),
    NC_("click", "{value} is not in the range {range}."),
    NC_("click", "{value} does not match the formats {formats}."),
    NC_("click", "{value} is not one of {choices}."),
    NC_("click", "{value} is not {choice}."),
    NC_("click", "Value must be an iterable."),
)

# Click writes "argument(s)" however many there are; the message says which.
EXTRA_ARGUMENTS = "Got unexpected extra argument(s) ({arguments})"
EXTRA_ARGUMENT = "Got unexpected extra argument ({arguments})"
EXTRA_ARGUMENTS_MANY = "Got unexpected extra arguments ({arguments})"

# The help page's words: typer.rich_utils' constant → its English text.
PANEL_WORDS = {
    "ARGUMENTS_PANEL_TITLE": NC_("click", "Arguments"),
    "OPTIONS_PANEL_TITLE": NC_("click", "Options"),
    "COMMANDS_PANEL_TITLE": NC_("click", "Commands"),
    "ERRORS_PANEL_TITLE": NC_("click", "Error"),
    "ABORTED_TEXT": NC_("click", "Aborted."),
    "REQUIRED_LONG_STRING": NC_("click", "[required]"),
    "DEFAULT_STRING": NC_("click", "[default: {}]"),
    "ENVVAR_STRING": NC_("click", "[env var: {}]"),
    "DEPRECATED_STRING": NC_("click", "(deprecated) "),
}
USAGE = NC_("click", "Usage: ")
USAGE_WORDS = (NC_("click", "COMMAND [ARGS]..."), NC_("click", "[OPTIONS]"))
OPTION_HELP = (
    NC_("click", "Show this message and exit."),
    NC_("click", "Install completion for the current shell."),
    NC_(
        "click", "Show completion for the current shell, to copy it or customize the installation."
    ),
)


# Click's confirmation: the choices after the question (the default, no, capitalised), the
# answers understood, and the line shown for any other answer.
CONFIRM_SUFFIX = NC_("click", "y/N")
INVALID_ANSWER = NC_("click", "Error: invalid input")
ANSWERS = {
    "en": ({"y", "yes"}, {"n", "no"}),
    "fi": ({"k", "kyllä", "kylla", "y", "yes"}, {"e", "ei", "n", "no"}),
}


def _(message: str) -> str:
    return pgettext(CONTEXT, message)


def confirm(question: str, *, err: bool = True) -> None:
    """Ask `question` (default: no) as Click's `confirm(abort=True)` does, in the current
    language: Abort unless the answer is yes."""
    from typer import Abort
    from typer._click import termui

    yes, no = ANSWERS[language()]
    prompt = f"{question} [{_(CONFIRM_SUFFIX)}]: "
    while True:
        try:
            termui.echo(prompt[:-1], nl=False, err=err)
            answer = termui.visible_prompt_func(prompt[-1:]).lower().strip()
        except (KeyboardInterrupt, EOFError):
            raise Abort() from None
        if answer in yes:
            return
        if answer in no or answer == "":
            raise Abort()
        termui.echo(_(INVALID_ANSWER), err=err)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def translate(text: str) -> str:
    """`text` (one of Click's messages, English) in the current language; as it is when no
    template matches. A placeholder that is itself a message (the detail of "Invalid value for
    …: …") is translated too."""
    if language() == "en":
        return text
    for template in TEMPLATES:
        found = _pattern(template).fullmatch(text)
        if found:
            values = {name: translate(value) for name, value in found.groupdict().items()}
            if template == EXTRA_ARGUMENTS:  # Click says "argument(s)" for one or several
                template = (
                    EXTRA_ARGUMENT
                    if len(values["arguments"].split()) == 1
                    else EXTRA_ARGUMENTS_MANY
                )
            return _(template).format(**values)
    return text


def message(exc: Any) -> str:
    """The text of Click's usage error `exc` in the current language."""
    return translate(exc.format_message())


def _option_help(option: Any) -> Any:
    if option is not None and option.help in OPTION_HELP:
        option.help = _(option.help)
    return option


_installed = False


def install() -> None:
    """Give Typer's help pages the current language's words (a no-op in English; once)."""
    global _installed
    if _installed or language() == "en":
        return
    _installed = True
    from typer import core
    from typer._click import core as click_core

    usage = click_core.Command.get_usage
    help_option = click_core.Command.get_help_option
    get_params = click_core.Command.get_params

    def get_usage(self: Any, ctx: Any) -> str:
        text = usage(self, ctx)
        for english in USAGE_WORDS:
            text = text.replace(english, _(english))
        return _(USAGE) + text[len(USAGE) :] if text.startswith(USAGE) else text

    def get_help_option(self: Any, ctx: Any) -> Any:
        return _option_help(help_option(self, ctx))

    def params(self: Any, ctx: Any) -> Any:
        found = get_params(self, ctx)
        for param in found:
            _option_help(param)
        return found

    click_core.Command.get_usage = get_usage  # type: ignore[method-assign]
    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    click_core.Command.get_params = params  # type: ignore[method-assign]
    for cls in (core.TyperCommand, core.TyperGroup):
        cls.format_help = _panels_first(cls.format_help)  # type: ignore[method-assign]


def _panels_first(format_help: Any) -> Any:
    def wrapped(self: Any, ctx: Any, formatter: Any) -> Any:
        from typer import rich_utils  # imported by Typer for the help page anyway

        for constant, english in PANEL_WORDS.items():
            setattr(rich_utils, constant, _(english))
        return format_help(self, ctx, formatter)

    return wrapped

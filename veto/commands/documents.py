"""veto doc …: the four forms, filled from the record or blank, as HTML, Markdown or PDF."""

from __future__ import annotations

import sys

import typer

from veto.commands.common import ForceOption, note, store, store_file
from veto.errors import InputError
from veto.i18n import _
from veto.vocabulary import choices

app = typer.Typer(
    help="Print the forms: kartoitus, plan, agreement, brochure (html, md or pdf).",
    no_args_is_help=True,
)
BlankOption = typer.Option(False, "--blank", help="The empty form, to fill in on paper.")
FormatOption = typer.Option(
    None, "--format", "-f", help="html, md or pdf; default: from --out's suffix, else html."
)
OutOption = typer.Option(None, "--out", "-o", help="Write to FILE (pdf needs it); else stdout.")
RedactOption = typer.Option(
    False, "--redact", help="Leave the sensitive answers out (they print by default)."
)


def _target(reference: str | None, blank: bool, what: str) -> None:
    if blank and reference:
        raise InputError(_("give either {what} or --blank, not both").format(what=what))
    if not blank and not reference:
        raise InputError(_("give a {what}, or --blank for the empty form").format(what=what))


def _emit(form: str, context: dict, fmt: str, out: str | None, force: bool) -> None:
    from veto.documents.render import render_document
    from veto.outputs.files import write_private

    document = render_document(form, context, fmt)
    if out is None:
        sys.stdout.write(document)
        return
    write_private(out, document, force=force, store=store_file())
    note(_("wrote {out}").format(out=out))


def _format(fmt: str | None, out: str | None, force: bool) -> str:
    """The document's format; a bad --out is refused here, before the store is opened."""
    from veto.documents.render import check_document_format
    from veto.outputs.files import check_target

    chosen = check_document_format(fmt, out)
    if out is not None:
        check_target(out, force=force, store=store_file())
    return chosen


def _client_document(
    form: str, client: str | None, blank: bool, fmt, out, force, choose, build
) -> None:
    """A form about one client: `choose(session, client)` picks the record (None: there is
    none yet, and the form keeps the name with empty answers); `build` fills the form."""
    from veto.documents import context as c
    from veto.domain.references import find_client

    _target(client, blank, "CLIENT")
    fmt = _format(fmt, out, force)
    if blank:
        _emit(form, getattr(c, f"blank_{form}")(), fmt, out, force)
        return
    with store(purpose=f"doc {form}") as session:
        found = find_client(session, client)
        record = choose(session, found)
        if record is None:
            if form == "kartoitus":
                missing = _("{code} has no survey yet: the form has the name and empty answers")
            else:
                missing = _("{code} has no plan yet: the form has the name and empty answers")
            note(missing.format(code=found.code))
        _emit(form, build(session, found, record), fmt, out, force)


@app.command("kartoitus")
def kartoitus(
    client: str = typer.Argument(None, help="Client code or numeric id."),
    blank: bool = BlankOption,
    survey: str = typer.Option(
        None, "--survey", help="Survey id; default: the latest start survey, else the latest."
    ),
    kind: str = typer.Option(None, "--kind", help=choices("survey kind")),
    redact: bool = RedactOption,
    fmt: str = FormatOption,
    out: str = OutOption,
    force: bool = ForceOption,
) -> None:
    """The Työhönvalmennuksen kartoitus (appendix 2), filled from the client's survey."""
    from veto.documents import context as c
    from veto.domain.surveys import find_survey

    _client_document(
        "kartoitus",
        client,
        blank,
        fmt,
        out,
        force,
        choose=lambda session, found: (
            find_survey(session, survey)
            if survey
            else c.latest_survey(session, client=found, kind=kind)
            if kind
            else _default_survey(session, found)
        ),
        build=lambda session, found, chosen: c.kartoitus_context(
            session, client=found, survey=chosen, redact=redact
        ),
    )


def _default_survey(session, found):
    """The latest start survey, saying so on stderr when the client has several."""
    from veto.documents.context import default_survey
    from veto.domain.dates import finnish

    chosen, count = default_survey(session, client=found)
    if count > 1:
        if chosen.kind == "start":
            printing = _(
                "{code} has {count} surveys: printing the start survey {id} of {day} "
                "(--kind end or --survey ID for another)"
            )
        else:
            printing = _(
                "{code} has {count} surveys: printing the end survey {id} of {day} "
                "(--kind end or --survey ID for another)"
            )
        shown = printing.format(
            code=found.code,
            count=count,
            id=chosen.id,
            day=finnish(chosen.taken_on),
        )
        note(shown)
    return chosen


@app.command("plan")
def plan(
    client: str = typer.Argument(None, help="Client code or numeric id."),
    blank: bool = BlankOption,
    plan_id: str = typer.Option(None, "--plan", help="Plan id; default: the latest."),
    redact: bool = RedactOption,
    fmt: str = FormatOption,
    out: str = OutOption,
    force: bool = ForceOption,
) -> None:
    """The Työnhakusuunnitelma ja -sopimus (appendix 3), filled from the client's plan."""
    from veto.documents import context as c
    from veto.domain.plans import find_plan

    _client_document(
        "plan",
        client,
        blank,
        fmt,
        out,
        force,
        choose=lambda session, found: (
            find_plan(session, plan_id) if plan_id else c.latest_plan(session, client=found)
        ),
        build=lambda session, found, chosen: c.plan_context(
            session, client=found, plan=chosen, redact=redact
        ),
    )


@app.command("agreement")
def agreement(
    placement: str = typer.Argument(None, help="Placement id."),
    blank: bool = BlankOption,
    fmt: str = FormatOption,
    out: str = OutOption,
    force: bool = ForceOption,
) -> None:
    """The Sopimus työhönvalmennuksesta (appendix 4), for the employer.

    It carries no survey answers, nothing of the plan, nothing the client asked to keep from
    employers."""
    from veto.documents import context as c
    from veto.domain.references import find_placement

    _target(placement, blank, "PLACEMENT")
    fmt = _format(fmt, out, force)
    if blank:
        _emit("agreement", c.blank_agreement(), fmt, out, force)
        return
    with store(purpose="doc agreement") as session:
        context = c.agreement_context(session, placement=find_placement(session, placement))
        _emit("agreement", context, fmt, out, force)


@app.command("brochure")
def brochure(
    blank: bool = BlankOption,
    fmt: str = FormatOption,
    out: str = OutOption,
    force: bool = ForceOption,
) -> None:
    """The Työhönvalmennusesite (appendix 1) for employers, with the coaches' contacts by area."""
    from veto.documents import context as c

    fmt = _format(fmt, out, force)
    if blank:
        _emit("brochure", c.blank_brochure(), fmt, out, force)
        return
    with store() as session:
        context = c.brochure_context(session)
    _emit("brochure", context, fmt, out, force)


# Finnish names of the forms.
app.command("suunnitelma", hidden=True)(plan)
app.command("sopimus", hidden=True)(agreement)
app.command("esite", hidden=True)(brochure)

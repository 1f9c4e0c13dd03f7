"""veto esf …: ESF+ participant data at entry, exit and follow-up, and the EURA 2021 checklist;
and `veto report esf`, the common indicators on participants."""

from __future__ import annotations

import typer

from veto.commands.common import (
    DateOption,
    ForceOption,
    FormatOption,
    OutOption,
    PeriodOption,
    ReportFormatOption,
    SuppressBelowOption,
    WideOption,
    YesOption,
    confirm_removal,
    note,
    reference,
    sql_store,
    store,
    store_file,
)
from veto.i18n import _
from veto.vocabulary import choices

app = typer.Typer(
    help="ESF+ participant data (EURA 2021): entry, exit, follow-up, checklist.",
    no_args_is_help=True,
)
ClientArg = typer.Argument(..., help="Client code or numeric id.")


@app.command("entry")
def entry(
    client: str = ClientArg,
    status: str = typer.Option(
        None,
        "--status",
        help="Labour-market status at entry: unemployed, long-term-unemployed, inactive or "
        "employed (incl. self-employed). Needed the first time.",
    ),
    isced: str = typer.Option(
        None,
        "--isced",
        help="Highest completed education: 0-2, 3-4, 5-8 or unknown. Needed the first time.",
    ),
    entry_date: str = typer.Option(
        None, "--entry-date", help="Entry date; default: the client's first phase start."
    ),
    birth_date: str = typer.Option(
        None, "--birth-date", help="Birth date, for the age at entry (sets the birth year too)."
    ),
    disability: str = typer.Option(
        None,
        "--disability",
        help=(
            "Disability (sensitive): "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
    third_country: str = typer.Option(
        None,
        "--third-country",
        help=(
            "Third-country national: "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
    foreign_background: str = typer.Option(
        None,
        "--foreign-background",
        help=(
            "Foreign background: "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
    minority: str = typer.Option(
        None,
        "--minority",
        help=(
            "Minority, incl. Roma (sensitive): "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
    homeless: str = typer.Option(
        None,
        "--homeless",
        help=(
            "Homeless or housing exclusion: "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
    rural: str = typer.Option(
        None,
        "--rural",
        help=(
            "Lives in a rural area: "
            "yes, no or not-told (kyllä/ei/ei halunnut kertoa); not given: not asked."
        ),
    ),
) -> None:
    """Record or correct the participant's entry data; prints the client code."""
    from veto.domain.dates import optional_date
    from veto.domain.participants import record_entry
    from veto.domain.references import find_client

    with store() as session:
        found = find_client(session, client)
        record_entry(
            session,
            client=found,
            status=status,
            isced=isced,
            entry_on=optional_date(entry_date, what="entry date"),
            birth_date=optional_date(birth_date, what="birth date"),
            answers={
                "disability": disability,
                "third-country": third_country,
                "foreign-background": foreign_background,
                "minority": minority,
                "homeless": homeless,
                "rural": rural,
            },
        )
    reference(found.code)


@app.command("exit")
def exit_(
    client: str = ClientArg,
    job_searching: str = typer.Option(
        None,
        "--job-searching",
        help="Engaged in job searching upon leaving: yes, no or unknown (kyllä/ei/ei tiedossa).",
    ),
    education: str = typer.Option(
        None,
        "--education",
        help="In education or training upon leaving: yes, no or unknown (kyllä/ei/ei tiedossa).",
    ),
    qualification: str = typer.Option(
        None,
        "--qualification",
        help="Gained a qualification upon leaving: yes, no or unknown (kyllä/ei/ei tiedossa).",
    ),
    employed: str = typer.Option(
        None,
        "--employed",
        help=(
            "In employment, incl. self-employment, upon leaving: "
            "yes, no or unknown (kyllä/ei/ei tiedossa)."
        ),
    ),
    exit_date: str = typer.Option(
        None, "--exit-date", help="Exit date; default: the end of the client relationship."
    ),
    on: str = typer.Option(
        None,
        "--on",
        help="Day the situation was known; default: today. Counts only within 4 weeks of exit.",
    ),
) -> None:
    """Record the situation upon leaving; prints the client code."""
    from veto.domain.dates import optional_date
    from veto.domain.participants import record_exit
    from veto.domain.references import find_client

    with store() as session:
        found = find_client(session, client)
        record_exit(
            session,
            client=found,
            answers={
                "job-searching": job_searching,
                "education": education,
                "qualification": qualification,
                "employed": employed,
            },
            exit_on=optional_date(exit_date, what="exit date"),
            answered_on=optional_date(on, what="date"),
        )
    reference(found.code)


@app.command("followup")
def followup(
    client: str = ClientArg,
    employed: str = typer.Option(
        None,
        "--employed",
        help=(
            "In employment, incl. self-employment, 6 months on: "
            "yes, no or unknown (kyllä/ei/ei tiedossa)."
        ),
    ),
    improved: str = typer.Option(
        None,
        "--improved",
        help=(
            "Improved labour-market situation (only those employed at entry): "
            "yes, no or unknown (kyllä/ei/ei tiedossa)."
        ),
    ),
    on: str = typer.Option(
        None, "--on", help="Day of the answer, on or after the due date; default: today."
    ),
) -> None:
    """Record the situation six months after leaving; prints the client code."""
    from veto.domain.dates import optional_date
    from veto.domain.participants import record_followup
    from veto.domain.references import find_client

    with store() as session:
        found = find_client(session, client)
        record_followup(
            session,
            client=found,
            employed=employed,
            improved=improved,
            answered_on=optional_date(on, what="date"),
        )
    reference(found.code)


@app.command("remove")
def remove(client: str = ClientArg, yes: bool = YesOption) -> None:
    """Remove a participant's ESF+ data recorded by mistake: entry, exit, follow-up and forms
    done (asks first in a terminal)."""
    from veto.domain.participants import remove_participant
    from veto.domain.references import find_client

    with store() as session:
        found = find_client(session, client)
        confirm_removal(
            _("Remove the ESF+ data of {code} (entry, exit, follow-up, forms done)?").format(
                code=found.code
            ),
            yes,
            "esf remove",
        )
        remove_participant(session, client=found)


@app.command("show")
def show(
    client: str = ClientArg,
    sensitive: bool = typer.Option(
        False, "--sensitive", help="Include disability and minority (the read is logged)."
    ),
    fmt: str = FormatOption,
) -> None:
    """Show a participant's ESF+ data (special-category answers only with --sensitive)."""
    from veto.domain.participants import show_participant
    from veto.domain.references import find_client
    from veto.outputs.render import check_format, render_object

    check_format(fmt)
    with store() as session:
        data = show_participant(session, client=find_client(session, client), sensitive=sensitive)
    render_object(data, fmt)


@app.command("pending")
def pending(
    on: str = typer.Option(None, "--on", help="As of this date; default: today."),
    fmt: str = FormatOption,
) -> None:
    """EURA 2021 checklist: forms not marked done, exit data missing, follow-ups due."""
    from veto.domain.dates import parse_date
    from veto.domain.participation import PENDING_COLUMNS
    from veto.domain.participation import pending as pending_items
    from veto.outputs.render import check_format, render_rows

    check_format(fmt)
    with sql_store() as work:
        rows = pending_items(work, as_of=parse_date(on))
    render_rows(rows, fmt, columns=PENDING_COLUMNS)


@app.command("done")
def done(
    client: str = ClientArg,
    form: str = typer.Argument(..., help=choices("EURA form")),
    on: str = DateOption,
    clear: bool = typer.Option(
        False, "--clear", help="Take back a mark made by mistake: the form is pending again."
    ),
) -> None:
    """Mark a EURA 2021 participant form done (or, with --clear, not done); prints the client
    code."""
    from veto.domain.dates import parse_date
    from veto.domain.participants import clear_done, mark_done
    from veto.domain.references import find_client
    from veto.errors import InputError

    if clear and on is not None:
        raise InputError(_("give either --clear or --on, not both"))
    with store() as session:
        found = find_client(session, client)
        if clear:
            clear_done(session, client=found, form=form)
        else:
            mark_done(session, client=found, form=form, on=parse_date(on))
    reference(found.code)


def report_esf(
    period: str = PeriodOption,
    fmt: str = ReportFormatOption,
    suppress_below: int = SuppressBelowOption,
    out: str = OutOption,
    force: bool = ForceOption,
    wide: bool = WideOption,
) -> None:
    """ESF+ common indicators on participants (EECO01–17, EECR01–06) by gender.

    Women, men and non-binary, with the definition and source beside each code (Regulation
    (EU) 2021/1057, Annex I) and unknown answers in rows of their own."""
    from veto.domain.dates import parse_period
    from veto.errors import InputError
    from veto.outputs.report import check_report_format, write_report
    from veto.reports.esf import esf_document, esf_report, suppress_small_cells

    fmt = check_report_format(fmt, out, force=force, store=store_file())
    if suppress_below is not None and suppress_below < 2:
        raise InputError(
            _("invalid --suppress-below {suppress_below}: give 2 or more (e.g. 5)").format(
                suppress_below=suppress_below
            )
        )
    with sql_store(purpose="report") as work:
        report = esf_report(work, period=parse_period(period))
    small: set[str] = set()
    if suppress_below is not None:
        report, small = suppress_small_cells(report, below=suppress_below)
    write_report(
        esf_document(report, small), fmt, out=out, force=force, store=store_file(), wide=wide
    )
    if out:
        note(_("wrote {out}").format(out=out))

"""Removing a record that others name: refused, never a silent cascade (issue 12).

A remove command first asks `refuse_if_named` whether anything still names the record; if so
the user gets one line saying what names it and what to do, and nothing changes. Otherwise
`delete_logged` deletes it through the unit of work, so that the change history keeps the row
(`veto.store.history`), and writes the access-log row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, SQLModel

from veto.domain.audit import log_access
from veto.errors import WorkflowError
from veto.i18n import _, ngettext

# Past this many references a refusal counts the rest instead of listing them.
_SHOWN = 5


@dataclass(frozen=True)
class Naming:
    """The records of one kind that name the record being removed: `noun` (singular, e.g.
    'placement'), their references (ids or codes) and what the user can do about them."""

    noun: str
    refs: Sequence[object]
    remedy: str | None = None
    plural: str | None = None  # default: noun + "s"

    def text(self) -> str:
        shown = ", ".join(str(r) for r in self.refs[:_SHOWN])
        more = len(self.refs) - _SHOWN
        n = len(self.refs)
        if self.noun in _NOUNS:
            listed = _NOUNS[self.noun](n).format(refs=shown)
        else:  # a noun of another layer's own (the workbook's sheets), as given
            noun = self.noun if n == 1 else self.plural or f"{self.noun}s"
            listed = f"{noun} {shown}"
        if more > 0:
            return _("{listed} and {more} more").format(listed=listed, more=more)
        return listed


# The records that may name another, with the references shown after them ('placements 1, 2').
_NOUNS: dict[str, Callable[[int], str]] = {
    "client": lambda n: ngettext("client {refs}", "clients {refs}", n),
    "phase": lambda n: ngettext("phase {refs}", "phases {refs}", n),
    "placement": lambda n: ngettext("placement {refs}", "placements {refs}", n),
    "hours": lambda n: ngettext("hours {refs}", "hours {refs}", n),
    "hours row": lambda n: ngettext("hours row {refs}", "hours rows {refs}", n),
    "note": lambda n: ngettext("note {refs}", "notes {refs}", n),
    "survey": lambda n: ngettext("survey {refs}", "surveys {refs}", n),
    "plan": lambda n: ngettext("plan {refs}", "plans {refs}", n),
    "job search plan": lambda n: ngettext("job search plan {refs}", "job search plans {refs}", n),
    "contact": lambda n: ngettext("contact {refs}", "contacts {refs}", n),
    "contact person": lambda n: ngettext("contact person {refs}", "contact persons {refs}", n),
}


def refuse_if_named(record: str, namings: Sequence[Naming], *, otherwise: str = "") -> None:
    """Raise one line when any of `namings` holds a record: '{record} cannot be removed:
    placement 1 and contacts 2, 3 name it; {their remedies; ...}; {otherwise}'."""
    found = [n for n in namings if n.refs]
    if not found:
        return
    what = [n.text() for n in found]
    if len(what) == 1:
        listed = what[0]
    else:
        listed = _("{first} and {last}").format(first=", ".join(what[:-1]), last=what[-1])
    remedies = [n.remedy for n in found if n.remedy]
    todo = "; ".join([*remedies, *filter(None, [otherwise])])
    raise WorkflowError(
        _("{record} cannot be removed: {listed} name it; {todo}").format(
            record=record, listed=listed, todo=todo
        )
    )


def delete_logged(
    session: Session,
    row: SQLModel,
    *,
    action: str,
    record: str,
    client_id: int | None = None,
    sensitive: bool = False,
) -> None:
    """Delete `row` (kept in the change history by the flush) and log `action` on `record`;
    `sensitive` when the row held special-category answers."""
    session.delete(row)
    session.flush()
    log_access(session, action=action, client_id=client_id, record=record, sensitive=sensitive)

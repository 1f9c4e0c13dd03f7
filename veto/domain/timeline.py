"""The one timeline rule: what a client's phases, placements, hours and end may look like.

`violations(timeline, today)` is a pure function over a client's whole timeline and returns
every way it breaks the rule (contract, "Workflow rules"):

- phases never overlap (one may start on the day the previous one ends); a phase, like a
  placement, does not end before it starts;
- nothing of a client (phase, placement start, hours) is dated before the first phase starts
  or after the client's end, and an ended client has no open phase;
- no phase start or end, hours or client end is dated after today (a placement's planned end
  may be);
- an ended client has at least one phase.

Every command that changes a timeline, the workbook import and the property tests call it on
the timeline as it would be after the change (`veto.domain.workflow.check_timeline`).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from veto.domain.dates import finnish


@dataclass(frozen=True)
class Span:
    """A phase or a placement: `kind` from `start` to `end` (None: open or not planned).

    `id` names a stored record (None for one not stored yet); `tag` is the caller's own
    handle on the record (the importer's workbook row), never read here."""

    id: int | None
    kind: str
    start: date
    end: date | None = None
    tag: Hashable = field(default=None, compare=False)


@dataclass(frozen=True)
class Hours:
    id: int | None
    on: date
    hours: Decimal
    tag: Hashable = field(default=None, compare=False)


@dataclass(frozen=True)
class Timeline:
    """A client's whole timeline; `client` is the code used in messages."""

    client: str
    phases: tuple[Span, ...] = ()
    placements: tuple[Span, ...] = ()
    hours: tuple[Hours, ...] = ()
    ended_on: date | None = None


@dataclass(frozen=True)
class Violation:
    """One broken rule: a one-line `message` naming the records, dates and what is accepted.

    `records` are the records involved (the one to correct first); `field` is which date of
    the first record is at fault ('start', 'end', 'on'), or 'ended' for the client's end."""

    message: str
    records: tuple[Span | Hours, ...] = ()
    field: str = "start"


def _name(record: Span | Hours, what: str) -> str:
    return f"{what} {record.id}" if record.id is not None else f"the new {what}"


def _phase(p: Span) -> str:
    if p.end is None:
        return f"{_name(p, 'phase')} ({p.kind} from {finnish(p.start)}, open)"
    return f"{_name(p, 'phase')} ({p.kind} {finnish(p.start)}–{finnish(p.end)})"


def _placement(p: Span) -> str:
    return f"{_name(p, 'placement')} ({p.kind} from {finnish(p.start)})"


def _hours(h: Hours) -> str:
    return _name(h, "hours")


def _overlap(code: str, this: Span, following: Span) -> Violation:
    """`this` starts first and is open or ends after `following` starts. What is accepted
    speaks of the record being added (id None) where there is one."""
    day = finnish(following.start)
    until = "is still open" if this.end is None else f"runs until {finnish(this.end)}"
    if this.id is None:
        accepted = f"the new phase starting on {finnish(following.end or following.start)} or later"
        blamed, key = (this, following), "start"
    elif following.id is None and this.end is not None:
        accepted = f"the new phase starting on {finnish(this.end)} or later"
        blamed, key = (following, this), "start"
    else:
        accepted = f"{_name(this, 'phase')} ending on {day} or earlier"
        if this.end is not None:
            accepted += f", or {_name(following, 'phase')} starting on {finnish(this.end)} or later"
        blamed, key = (this, following), "end"
    return Violation(
        f"phases of {code} overlap: {_phase(this)} {until} when {_phase(following)} starts; "
        f"accepted: {accepted}",
        blamed,
        key,
    )


def _order(spans: tuple[Span, ...]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, s.end is None, s.end or s.start, s.id or 0))


def violations(timeline: Timeline, today: date) -> list[Violation]:
    """Every way `timeline` breaks the rule (see the module docstring), in a stable order."""
    found: list[Violation] = []
    code = timeline.client
    phases = _order(timeline.phases)
    ended = timeline.ended_on

    for span, describe in [(p, _phase) for p in phases] + [
        (p, _placement) for p in timeline.placements
    ]:
        if span.end is not None and span.end < span.start:
            found.append(
                Violation(
                    f"{describe(span)} cannot end on {finnish(span.end)}, before it starts: "
                    f"accepted: {finnish(span.start)} or later",
                    (span,),
                    "end",
                )
            )

    for this, following in zip(phases, phases[1:], strict=False):
        if this.end is None or this.end > following.start:
            found.append(_overlap(code, this, following))

    # (record, which date, the day, how to name it, whether it may lie after today)
    dated: list[tuple[Span | Hours, str, date, str, bool]] = []
    for p in phases:
        dated.append((p, "start", p.start, _phase(p), False))
        if p.end is not None:
            dated.append((p, "end", p.end, _phase(p), False))
    for p in timeline.placements:
        dated.append((p, "start", p.start, _placement(p), True))  # a planned placement
    for h in timeline.hours:
        dated.append((h, "on", h.on, _hours(h), False))

    if phases:
        first = phases[0].start
        for record, key, day, described, _ in dated:
            if day < first and key != "end":  # a phase ending before it starts: above
                found.append(
                    Violation(
                        f"{described} is dated {finnish(day)}, before the first phase of {code} "
                        f"starts ({finnish(first)}): accepted: {finnish(first)} or later, or a "
                        f"phase starting on {finnish(day)} or earlier",
                        (record,),
                        key,
                    )
                )
    else:
        for record, key, day, described, _ in dated:
            found.append(
                Violation(
                    f"{described} is dated {finnish(day)}, but {code} has no phase: start one "
                    f"on or before that day first (veto phase start coaching {code})",
                    (record,),
                    key,
                )
            )
        if ended is not None:
            found.append(
                Violation(
                    f"client {code} ended on {finnish(ended)} without any phase: start a phase "
                    f"on or before {finnish(ended)} first, or reopen the client",
                    (),
                    "ended",
                )
            )

    if ended is not None:
        if phases and ended < phases[0].start:
            found.append(
                Violation(
                    f"client {code} cannot end on {finnish(ended)}, before its first phase, "
                    f"{_phase(phases[0])}, starts: accepted: {finnish(phases[0].start)} or later",
                    (),
                    "ended",
                )
            )
        for record, key, day, described, _ in dated:
            if day > ended:
                found.append(
                    Violation(
                        f"{described} is dated {finnish(day)}, after {code} ended on "
                        f"{finnish(ended)}: accepted: {finnish(ended)} or earlier, or the end "
                        f"on {finnish(day)} or later",
                        (record,),
                        key,
                    )
                )
        for p in phases:
            if p.end is None and p.start <= ended:
                found.append(
                    Violation(
                        f"{_phase(p)} is still open although {code} ended on {finnish(ended)}: "
                        f"end it on {finnish(ended)} or earlier",
                        (p,),
                        "end",
                    )
                )
        if ended > today:
            found.append(
                Violation(
                    f"client {code} cannot end on {finnish(ended)}, after today: accepted: "
                    f"{finnish(today)} or earlier",
                    (),
                    "ended",
                )
            )

    for record, key, day, described, may_be_later in dated:
        if day > today and not may_be_later:
            found.append(
                Violation(
                    f"{described} is dated {finnish(day)}, after today: accepted: "
                    f"{finnish(today)} or earlier",
                    (record,),
                    key,
                )
            )
    return found

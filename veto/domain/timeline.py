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

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from veto.domain.dates import finnish
from veto.domain.wording import value
from veto.i18n import _


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


def _phase_name(p: Span) -> str:
    return _("phase {id}").format(id=p.id) if p.id is not None else _("the new phase")


def _phase(p: Span) -> str:
    kind = value("phase kind", p.kind)
    if p.end is None:
        return _("{phase} ({kind} from {start}, open)").format(
            phase=_phase_name(p), kind=kind, start=finnish(p.start)
        )
    return _("{phase} ({kind} {start}–{end})").format(
        phase=_phase_name(p), kind=kind, start=finnish(p.start), end=finnish(p.end)
    )


def _placement(p: Span) -> str:
    name = _("placement {id}").format(id=p.id) if p.id is not None else _("the new placement")
    return _("{placement} ({kind} from {start})").format(
        placement=name, kind=value("placement kind", p.kind), start=finnish(p.start)
    )


def _hours(h: Hours) -> str:
    return _("hours {id}").format(id=h.id) if h.id is not None else _("the new hours")


def _overlap(code: str, this: Span, following: Span) -> Violation:
    """`this` starts first and is open or ends after `following` starts. What is accepted
    speaks of the record being added (id None) where there is one."""
    day = finnish(following.start)
    if this.end is None:
        until = _("is still open")
    else:
        until = _("runs until {day}").format(day=finnish(this.end))
    new_phase = _("the new phase starting on {day} or later")
    if this.id is None:
        accepted = new_phase.format(day=finnish(following.end or following.start))
        blamed, key = (this, following), "start"
    elif following.id is None and this.end is not None:
        accepted = new_phase.format(day=finnish(this.end))
        blamed, key = (following, this), "start"
    else:
        if this.end is not None:
            accepted = _(
                "{phase} ending on {day} or earlier, or {other} starting on {later} or later"
            ).format(
                phase=_phase_name(this),
                day=day,
                other=_phase_name(following),
                later=finnish(this.end),
            )
        else:
            accepted = _("{phase} ending on {day} or earlier").format(
                phase=_phase_name(this), day=day
            )
        blamed, key = (this, following), "end"
    return Violation(
        _(
            "phases of {code} overlap: {this} {until} when {following} starts; accepted: {accepted}"
        ).format(
            code=code,
            this=_phase(this),
            until=until,
            following=_phase(following),
            accepted=accepted,
        ),
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
                    _(
                        "{record} cannot end on {end}, before it starts: accepted: {start} or later"
                    ).format(
                        record=describe(span), end=finnish(span.end), start=finnish(span.start)
                    ),
                    (span,),
                    "end",
                )
            )

    for this, following in zip(phases, phases[1:], strict=False):
        if this.end is None or this.end > following.start:
            found.append(_overlap(code, this, following))

    # (record, which date, the day, how to name it, whether it may lie after today); the name
    # is made only for a record that breaks the rule (an import checks 10 000 timelines)
    dated: list[tuple[Span | Hours, str, date, Callable[[Any], str], bool]] = []
    for p in phases:
        dated.append((p, "start", p.start, _phase, False))
        if p.end is not None:
            dated.append((p, "end", p.end, _phase, False))
    for p in timeline.placements:
        dated.append((p, "start", p.start, _placement, True))  # a planned placement
    for h in timeline.hours:
        dated.append((h, "on", h.on, _hours, False))

    if phases:
        first = phases[0].start
        for record, key, day, name_of, _later in dated:
            if day < first and key != "end":  # a phase ending before it starts: above
                found.append(
                    Violation(
                        _(
                            "{record} is dated {day}, before the first phase of {code} "
                            "starts ({first}): accepted: {first} or later, or a "
                            "phase starting on {day} or earlier"
                        ).format(
                            record=name_of(record),
                            day=finnish(day),
                            code=code,
                            first=finnish(first),
                        ),
                        (record,),
                        key,
                    )
                )
    else:
        for record, key, day, name_of, _later in dated:
            found.append(
                Violation(
                    _(
                        "{record} is dated {day}, but {code} has no phase: start one "
                        "on or before that day first (veto phase start coaching {code})"
                    ).format(record=name_of(record), day=finnish(day), code=code),
                    (record,),
                    key,
                )
            )
        if ended is not None:
            found.append(
                Violation(
                    _(
                        "client {code} ended on {ended} without any phase: start a phase "
                        "on or before {ended} first, or reopen the client"
                    ).format(code=code, ended=finnish(ended)),
                    (),
                    "ended",
                )
            )

    if ended is not None:
        if phases and ended < phases[0].start:
            found.append(
                Violation(
                    _(
                        "client {code} cannot end on {ended}, before its first phase, "
                        "{phase}, starts: accepted: {start} or later"
                    ).format(
                        code=code,
                        ended=finnish(ended),
                        phase=_phase(phases[0]),
                        start=finnish(phases[0].start),
                    ),
                    (),
                    "ended",
                )
            )
        for record, key, day, name_of, _later in dated:
            if day > ended:
                found.append(
                    Violation(
                        _(
                            "{record} is dated {day}, after {code} ended on "
                            "{ended}: accepted: {ended} or earlier, or the end "
                            "on {day} or later"
                        ).format(
                            record=name_of(record),
                            day=finnish(day),
                            code=code,
                            ended=finnish(ended),
                        ),
                        (record,),
                        key,
                    )
                )
        for p in phases:
            if p.end is None and p.start <= ended:
                found.append(
                    Violation(
                        _(
                            "{phase} is still open although {code} ended on {ended}: "
                            "end it on {ended} or earlier"
                        ).format(phase=_phase(p), code=code, ended=finnish(ended)),
                        (p,),
                        "end",
                    )
                )
        if ended > today:
            found.append(
                Violation(
                    _(
                        "client {code} cannot end on {ended}, after today: accepted: "
                        "{today} or earlier"
                    ).format(code=code, ended=finnish(ended), today=finnish(today)),
                    (),
                    "ended",
                )
            )

    for record, key, day, name_of, may_be_later in dated:
        if day > today and not may_be_later:
            found.append(
                Violation(
                    _("{record} is dated {day}, after today: accepted: {today} or earlier").format(
                        record=name_of(record), day=finnish(day), today=finnish(today)
                    ),
                    (record,),
                    key,
                )
            )
    return found

"""Dates as coaches type them (ISO 2024-08-01 or Finnish 1.8.2024) and reporting periods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from veto.domain.wording import what as named
from veto.errors import InputError
from veto.i18n import N_, _

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FINNISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ACCEPTED = N_("use YYYY-MM-DD or D.M.YYYY, e.g. 2024-08-01 or 1.8.2024")
# Every date veto accepts lies within these: a coaching service has no records before 1900, and
# plans reach decades ahead at most. It keeps every date a workbook can hold (Excel's serials start
# at 1.1.1900) and every report's work bounded (2 412 months at most).
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
IN_RANGE = N_("dates go from 1.1.1900 to 31.12.2100")


def in_range(value: date, *, what: str = "date", shown: str | None = None) -> date:
    """`value` itself, or InputError when it lies outside EARLIEST..LATEST."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise InputError(
            _("{what} '{text}' is out of range: {accepted}").format(
                what=named(what), text=shown or finnish(day), accepted=_(IN_RANGE)
            )
        )
    return value


def parse_date(text: str | date | None, *, default: date | None = None, what: str = "date") -> date:
    """Parse an ISO or Finnish date; `None` gives `default` (today when not given)."""
    if text is None or (isinstance(text, str) and text.strip() == ""):
        return default or date.today()
    if isinstance(text, date):
        return in_range(text, what=what)
    value = text.strip()
    if m := _ISO.match(value):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _FINNISH.match(value):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise InputError(
            _("invalid {what} '{text}': {accepted}").format(
                what=named(what), text=text, accepted=_(ACCEPTED)
            )
        )
    try:
        day = date(y, mo, d)
    except ValueError:
        raise InputError(
            _("impossible {what} '{text}': no such day; {accepted}").format(
                what=named(what), text=text, accepted=_(ACCEPTED)
            )
        ) from None
    return in_range(day, what=what, shown=value)


def optional_date(text: str | None, *, what: str = "date") -> date | None:
    """Parse a date that may be absent."""
    if text is None or text.strip() == "":
        return None
    return parse_date(text, what=what)


def finnish(value: date | None) -> str:
    """1.8.2024 — the way Finnish readers write a date."""
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


@dataclass(frozen=True)
class Period:
    """An inclusive range of days; `None` ends mean open."""

    start: date | None
    end: date | None

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "koko aika"
        return f"{finnish(self.start)}–{finnish(self.end)}"


_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})-(\d{4})$")
PERIOD_ACCEPTED = N_(
    "use a year (2025), a span of years (2024-2025) or two dates (2024-02-01..2025-11-30)"
)


def _year(digits: str, text: str) -> int:
    year = int(digits)
    if not EARLIEST.year <= year <= LATEST.year:
        raise InputError(
            _("invalid period '{text}': {accepted}").format(text=text, accepted=_(IN_RANGE))
        )
    return year


def parse_period(text: str | None) -> Period:
    """`2025`, `2024-2025` or `2024-02-01..2025-11-30` (sides may be Finnish); None: all time."""
    if text is None or text.strip() in ("", "all"):
        return Period(None, None)
    value = text.strip()
    if m := _YEAR.match(value):
        y = _year(m.group(1), text)
        return Period(date(y, 1, 1), date(y, 12, 31))
    if m := _YEARS.match(value):
        a, b = _year(m.group(1), text), _year(m.group(2), text)
        if b < a:
            raise InputError(
                _("invalid period '{text}': the end year is before the start; {accepted}").format(
                    text=text, accepted=_(PERIOD_ACCEPTED)
                )
            )
        return Period(date(a, 1, 1), date(b, 12, 31))
    if ".." in value:
        left, right = value.split("..", 1)
        start = parse_date(left, what="period start") if left.strip() else None
        end = parse_date(right, what="period end") if right.strip() else None
        if start and end and end < start:
            raise InputError(
                _("invalid period '{text}': it ends before it starts; {accepted}").format(
                    text=text, accepted=_(PERIOD_ACCEPTED)
                )
            )
        return Period(start, end)
    raise InputError(
        _("invalid period '{text}': {accepted}").format(text=text, accepted=_(PERIOD_ACCEPTED))
    )

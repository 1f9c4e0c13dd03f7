"""Dates as coaches type them (ISO 2024-08-01 or Finnish 1.8.2024) and reporting periods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from veto.errors import InputError

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_FINNISH = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ACCEPTED = "use YYYY-MM-DD or D.M.YYYY, e.g. 2024-08-01 or 1.8.2024"


def parse_date(text: str | date | None, *, default: date | None = None, what: str = "date") -> date:
    """Parse an ISO or Finnish date; `None` gives `default` (today when not given)."""
    if text is None or (isinstance(text, str) and text.strip() == ""):
        return default or date.today()
    if isinstance(text, date):
        return text
    value = text.strip()
    if m := _ISO.match(value):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _FINNISH.match(value):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise InputError(f"invalid {what} '{text}': {ACCEPTED}")
    try:
        return date(y, mo, d)
    except ValueError:
        raise InputError(f"impossible {what} '{text}': no such day; {ACCEPTED}") from None


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
PERIOD_ACCEPTED = (
    "use a year (2025), a span of years (2024-2025) or two dates (2024-02-01..2025-11-30)"
)


def parse_period(text: str | None) -> Period:
    """`2025`, `2024-2025` or `2024-02-01..2025-11-30` (sides may be Finnish); None: all time."""
    if text is None or text.strip() in ("", "all"):
        return Period(None, None)
    value = text.strip()
    if m := _YEAR.match(value):
        y = int(m.group(1))
        return Period(date(y, 1, 1), date(y, 12, 31))
    if m := _YEARS.match(value):
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise InputError(
                f"invalid period '{text}': the end year is before the start; {PERIOD_ACCEPTED}"
            )
        return Period(date(a, 1, 1), date(b, 12, 31))
    if ".." in value:
        left, right = value.split("..", 1)
        start = parse_date(left, what="period start") if left.strip() else None
        end = parse_date(right, what="period end") if right.strip() else None
        if start and end and end < start:
            raise InputError(
                f"invalid period '{text}': it ends before it starts; {PERIOD_ACCEPTED}"
            )
        return Period(start, end)
    raise InputError(f"invalid period '{text}': {PERIOD_ACCEPTED}")

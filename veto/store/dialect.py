"""SQL that SQLite and PostgreSQL spell differently, for the reports' hand-written statements:
SQLite keeps a date as ISO text ('2024-08-01'), PostgreSQL as a date."""

from __future__ import annotations

_DAYS = {
    "sqlite": "CAST(julianday({0}) - julianday({1}) AS INTEGER)",
    "postgresql": "({0} - {1})",
}
_YEAR = {
    "sqlite": "CAST(strftime('%Y', {0}) AS INTEGER)",
    "postgresql": "CAST(EXTRACT(YEAR FROM {0}) AS INTEGER)",
}
_MONTH_DAY = {
    "sqlite": "CAST(strftime('%m%d', {0}) AS INTEGER)",
    "postgresql": "CAST(to_char({0}, 'MMDD') AS INTEGER)",
}
_YEAR_MONTH = {
    "sqlite": "substr({0}, 1, 7)",
    "postgresql": "to_char({0}, 'YYYY-MM')",
}


def days_between(dialect: str, later: str, earlier: str) -> str:
    """Whole days from the date `earlier` to the date `later`, an integer."""
    return _DAYS[dialect].format(later, earlier)


def year_of(dialect: str, day: str) -> str:
    """The year of a date, an integer."""
    return _YEAR[dialect].format(day)


def month_day_of(dialect: str, day: str) -> str:
    """month × 100 + day of a date, an integer (1 August is 801), to compare days of a year."""
    return _MONTH_DAY[dialect].format(day)


def year_month_of(dialect: str, day: str) -> str:
    """'YYYY-MM' of a date."""
    return _YEAR_MONTH[dialect].format(day)

"""Finnish formats for human readers (Babel): 1.8.2024, 5,2, 4 000 €."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

LOCALE = "fi_FI"


def fi_date(value: date | None) -> str:
    """1.8.2024; '' for none."""
    return "" if value is None else f"{value.day}.{value.month}.{value.year}"


def fi_number(value: float | Decimal | int | None, places: int | None = None) -> str:
    """5,2 / 1 250,5 — a decimal comma and a (no-break) space between thousands.

    Rounded once, half away from zero (veto.outputs.numbers), to exactly `places` decimals;
    without `places`, to at most 3 with trailing zeros left out."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    from veto.outputs.numbers import rounded

    if places is None:
        number = rounded(value, 3)
        pattern = "#,##0.###"
    else:
        number = rounded(value, places)
        pattern = "#,##0" + ("." + "0" * places if places else "")
    # Already rounded: Babel only lays it out (its own rounding is half to even).
    return format_decimal(number, format=pattern, locale=LOCALE, decimal_quantization=False)


def fi_money(value: float | Decimal | int | None) -> str:
    """4 000 € or 12,50 €."""
    if value is None:
        return ""
    places = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral() else 2
    return f"{fi_number(value, places)} €"

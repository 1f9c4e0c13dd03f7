"""One rounding rule for every published figure.

A report computes each figure once, unrounded; `figure` only strips the float noise of that
computation (1.15 + 1.15 + 1.15 = 3.4499999999999997 is 3.45), and JSON carries that. Every
human format then rounds it exactly once, half away from zero (as the pilot report's figures
read: 4,45… kk is 4,5 kk), to the decimals that format shows — never a rounded figure again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

# Decimals kept of a computed figure: far below anything printed, far above float noise.
FIGURE_PLACES = 9
_NOISE = Decimal(1).scaleb(-FIGURE_PLACES)


def exact(value: float | Decimal | int) -> Decimal:
    """The figure as a Decimal, float noise removed (to FIGURE_PLACES decimals)."""
    if isinstance(value, bool):
        raise TypeError("a truth value is not a figure")
    if isinstance(value, int):
        return Decimal(value)
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return number.quantize(_NOISE, rounding=ROUND_HALF_EVEN).normalize()


def figure(value: float | Decimal | int | None) -> float | int | None:
    """The unrounded figure as JSON carries it: a whole number as an int, else a float of at
    most FIGURE_PLACES decimals; None stays None."""
    if value is None:
        return None
    number = exact(value)
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def rounded(value: float | Decimal | int, places: int) -> Decimal:
    """The figure rounded once, half away from zero, to `places` decimals."""
    return exact(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def whole(value: float | Decimal | int) -> int:
    """The figure rounded to a whole number, half away from zero (12,5 % -> 13 %)."""
    return int(rounded(value, 0))

"""Numbers and yes/no answers as coaches type them: 1,5 or 1.5; kyllä/ei or yes/no."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from veto.domain.wording import number
from veto.domain.wording import what as named
from veto.errors import InputError
from veto.i18n import _
from veto.vocabulary import fold

_YES = {"yes", "y", "true", "1", "kylla", "k", "kaytettiin", "used"}
_NO = {"no", "n", "false", "0", "ei", "e", "ei kaytetty", "not-used"}


def parse_decimal(
    text: str | int | float | Decimal | None,
    *,
    what: str,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    places: int = 2,
) -> Decimal | None:
    """A decimal with a comma or a point; None for empty. Bounds are inclusive."""
    if text is None or (isinstance(text, str) and text.strip() == ""):
        return None
    raw = str(text).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InputError(_not_a_number(what, text)) from None
    if not value.is_finite():
        raise InputError(_not_a_number(what, text))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        if maximum is not None:
            message = _("invalid {what} '{text}': must be from {minimum} to {maximum}")
        else:
            message = _("invalid {what} '{text}': must be at least {minimum}")
        raise InputError(
            message.format(
                what=named(what),
                text=text,
                minimum=number(minimum) if minimum is not None else "",
                maximum=number(maximum) if maximum is not None else "",
            )
        )
    try:
        exact = value == value.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:  # more digits than any amount has
        raise InputError(
            _("invalid {what} '{text}': too large a number").format(what=named(what), text=text)
        ) from None
    if not exact:
        raise InputError(
            _("invalid {what} '{text}': at most {places} decimals").format(
                what=named(what), text=text, places=places
            )
        )
    return value


def parse_yes_no(text: str | bool | None, *, what: str) -> bool | None:
    """kyllä/ei, yes/no, true/false, 1/0; None for empty."""
    if text is None or isinstance(text, bool):
        return text
    key = fold(text)
    if key == "":
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InputError(
        _("invalid {what} '{text}': answer yes or no (kyllä/ei)").format(
            what=named(what), text=text
        )
    )


def _not_a_number(what: str, text: object) -> str:
    return _("invalid {what} '{text}': give a number such as 1,5 or 1.5").format(
        what=named(what), text=text
    )

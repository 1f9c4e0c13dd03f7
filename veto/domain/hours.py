"""A client's coaching hours against the placement budget, as SQL over a `Work`
(`veto.store.direct`), so the commands that show them need no SQLAlchemy on a SQLite store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from veto.domain.targets import PLACEMENT_HOURS_BUDGET, PLACEMENT_HOURS_WARNING
from veto.store.direct import as_date

if TYPE_CHECKING:
    from veto.store.direct import Work

# Hours are stored with at most two decimals (`log_activity`); a sum the SQLite driver gives as
# a float is read back to them, as SQLAlchemy's Numeric column does.
_CENTS = Decimal("0.01")


def as_hours(value: Any) -> Decimal | None:
    """A sum of hours from `Work.rows()`: PostgreSQL gives a Decimal, SQLite a float or int."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(_CENTS)


@dataclass(frozen=True)
class PlacementHours:
    """A client's coaching hours counted against the placement budget: those logged on or after
    the first `placement` phase started (`since`; None: never in placement)."""

    since: date | None
    hours: Decimal
    budget: int = PLACEMENT_HOURS_BUDGET

    @property
    def warns(self) -> bool:
        """Past the warning line (15 h) or at the budget (18 h) and beyond."""
        return self.since is not None and self.hours > PLACEMENT_HOURS_WARNING

    @property
    def over(self) -> bool:
        return self.hours >= self.budget


def placement_hours(work: Work, client_id: int) -> PlacementHours:
    since = as_date(
        work.rows(
            "SELECT MIN(start_on) AS since FROM phase"
            " WHERE client_id = :client AND kind = 'placement'",
            {"client": client_id},
        )[0].since
    )
    if since is None:
        return PlacementHours(None, Decimal(0))
    total = work.rows(
        "SELECT SUM(hours) AS total FROM activity WHERE client_id = :client AND on_date >= :since",
        {"client": client_id, "since": since},
    )[0].total
    return PlacementHours(since, as_hours(total) or Decimal(0))

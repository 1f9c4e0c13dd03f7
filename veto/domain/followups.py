"""Follow-ups due (`veto contact due`, `veto today`): open follow-ups of employer contacts and
running placements to keep in touch about, as SQL over a `Work` (`veto.store.direct`), so they
need no SQLAlchemy on a SQLite store.

A contact's `next_on` is a follow-up that stays open until a later contact with the same
employer is logged; a follow-up about a client is closed only by a later contact about that
client.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from veto import vocabulary
from veto.domain.audit import log_access_direct
from veto.domain.dates import finnish
from veto.errors import InputError
from veto.i18n import _
from veto.store.direct import as_date

if TYPE_CHECKING:
    from veto.store.direct import Work

# A placement running without an employer contact about its client for this long is flagged.
KEEP_IN_TOUCH_DAYS = 14
DUE_COLUMNS = (
    "due",
    "in_days",
    "status",
    "employer",
    "stage",
    "client",
    "coach",
    "contact",
    "placement",
    "note",
)
# Ten years ahead is as far as a follow-up list means anything (and stays far from date.max).
MAX_WITHIN_DAYS = 3660

_OPEN_FOLLOW_UPS = (
    "SELECT contact.next_on AS due, contact.stage, employer.name AS employer,"
    " client.code AS client, coach.name AS coach, contact.id AS contact, contact.note"
    " FROM contact JOIN employer ON employer.id = contact.employer_id"
    " LEFT JOIN client ON client.id = contact.client_id"
    " LEFT JOIN coach ON coach.id = COALESCE(contact.coach_id, client.coach_id)"
    " WHERE contact.next_on IS NOT NULL AND contact.next_on <= :horizon"
    " AND NOT (EXISTS (SELECT 1 FROM contact AS later"
    "  WHERE later.employer_id = contact.employer_id"
    "  AND (later.on_date > contact.on_date"
    "   OR (later.on_date = contact.on_date AND later.id > contact.id))"
    "  AND (contact.client_id IS NULL OR later.client_id = contact.client_id)))"
)
_RUNNING_PLACEMENTS = (
    "SELECT placement.id, placement.kind, placement.start_on,"
    " (SELECT MAX(contact.on_date) FROM contact"
    "  WHERE contact.employer_id = placement.employer_id"
    "  AND contact.client_id = placement.client_id AND contact.on_date <= :today)"
    " AS last_contact,"
    " employer.name AS employer, client.code AS client, coach.name AS coach"
    " FROM placement JOIN employer ON employer.id = placement.employer_id"
    " JOIN client ON client.id = placement.client_id"
    " LEFT JOIN coach ON coach.id = client.coach_id"
    " WHERE placement.start_on <= :today"
    " AND (placement.end_on IS NULL OR placement.end_on >= :today)"
    " AND (client.ended_on IS NULL OR client.ended_on >= :today)"
)


def check_within(within: int) -> int:
    """The number of days of `contact due --within`, if it is one: 0 to MAX_WITHIN_DAYS."""
    if not 0 <= within <= MAX_WITHIN_DAYS:
        raise InputError(
            _("invalid --within {within}: give 0 to {most} days").format(
                within=within, most=MAX_WITHIN_DAYS
            )
        )
    return within


def _status(due: date, today: date) -> str:
    if due < today:
        return "myöhässä"
    return "tänään" if due == today else "tulossa"


def due_follow_ups(
    work: Work, *, coach: int | None, within: int = 7, today: date | None = None
) -> list[dict[str, Any]]:
    """Open follow-ups due by `today + within` days (overdue ones included), and placements
    running today whose employer has not been contacted about the client for 14 days
    ("pidä yhteyttä": due 14 days after the last such contact, or at the start when there was
    none); oldest first. `coach` (an id) None means every coach's."""
    check_within(within)
    today = today or date.today()
    horizon = today + timedelta(days=within)
    follow_ups, running = _OPEN_FOLLOW_UPS, _RUNNING_PLACEMENTS
    params: dict[str, Any] = {"horizon": horizon, "today": today}
    if coach is not None:
        follow_ups += " AND COALESCE(contact.coach_id, client.coach_id) = :coach"
        running += " AND client.coach_id = :coach"
        params["coach"] = coach
    rows = [
        {
            "due": as_date(r.due),
            "kind": "follow-up",
            "employer": r.employer,
            "stage": r.stage,
            "client": r.client,
            "coach": r.coach,
            "contact": r.contact,
            "placement": None,
            "note": r.note,
        }
        for r in work.rows(follow_ups, params)
    ]
    for r in work.rows(running, params):
        last, start = as_date(r.last_contact), as_date(r.start_on)
        assert start is not None
        due = last + timedelta(days=KEEP_IN_TOUCH_DAYS) if last else start
        if due > horizon:
            continue
        since = f"viimeksi {finnish(last)}" if last else "ei yhteydenottoa"
        rows.append(
            {
                "due": due,
                "kind": "keep-in-touch",
                "employer": r.employer,
                "stage": None,
                "client": r.client,
                "coach": r.coach,
                "contact": None,
                "placement": r.id,
                "note": f"pidä yhteyttä: {vocabulary.label('placement kind', r.kind)} "
                f"{finnish(start)} alkaen, {since}",
            }
        )
    rows.sort(key=lambda row: (row["due"], row["kind"], row["employer"], row["contact"] or 0))
    for row in rows:
        status = "pidä yhteyttä" if row["kind"] == "keep-in-touch" else _status(row["due"], today)
        row["in_days"] = (row["due"] - today).days
        row["status"] = status
    log_access_direct(work, action="contact.due", record=f"follow-ups:{len(rows)}")
    return [{k: row[k] for k in DUE_COLUMNS} for row in rows]

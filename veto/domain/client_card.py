"""One client at a glance (`veto client show`) and the client's notes, as SQL over a `Work`
(`veto.store.direct`), so that showing a client needs no SQLAlchemy on a SQLite store."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from veto.domain.audit import log_access_direct
from veto.domain.hours import as_hours, placement_hours
from veto.store.direct import as_date, as_datetime

if TYPE_CHECKING:
    from veto.store.direct import Work

_CLIENT = (
    "SELECT client.id, client.code, client.name, client.gender, client.background,"
    " client.birth_year, client.birth_date, coach.name AS coach, client.municipality,"
    " client.phone, client.email, client.ended_on, client.outcome, client.outcome_field"
    " FROM client LEFT JOIN coach ON coach.id = client.coach_id WHERE client.id = :client"
)
_PHASES = (
    "SELECT id, kind, start_on, end_on FROM phase WHERE client_id = :client ORDER BY start_on, id"
)
_PLACEMENTS = (
    "SELECT placement.id, employer.name AS employer, placement.kind, placement.start_on,"
    " placement.end_on, placement.title"
    " FROM placement JOIN employer ON employer.id = placement.employer_id"
    " WHERE placement.client_id = :client ORDER BY placement.start_on, placement.id"
)


def client_notes(work: Work, client_id: int) -> list[dict[str, Any]]:
    """The client's notes, oldest first (the caller logs the read)."""
    rows = work.rows(
        "SELECT id, on_date, text, author FROM client_note WHERE client_id = :client"
        " ORDER BY on_date, id",
        {"client": client_id},
    )
    return [
        {"id": r.id, "on": as_date(r.on_date), "author": r.author, "text": r.text} for r in rows
    ]


def _drafts(work: Work, client_id: int) -> list[dict[str, Any]]:
    """Which forms the client has an unfinished draft of (`veto.domain.drafts`), when kept;
    no answer (a draft is no survey or plan, and its answers may be sensitive)."""
    rows = work.rows(
        "SELECT form, saved_at FROM capture_draft WHERE client_id = :client ORDER BY form",
        {"client": client_id},
    )
    return [{"form": r.form, "saved_at": as_datetime(r.saved_at).astimezone()} for r in rows]


def show_client(work: Work, *, client_id: int, sensitive: bool = False) -> dict[str, Any]:
    """Everything a coach needs at a glance about one client. Sensitive answers (health,
    substance use, criminal record, what employers must not be told) only with `sensitive`,
    under the key "sensitive", and that read is logged as sensitive; it needs `work` to be a
    session's (`sql_store(orm=True)`)."""
    key = {"client": client_id}
    (client,) = work.rows(_CLIENT, key)
    phases = work.rows(_PHASES, key)
    placements = work.rows(_PLACEMENTS, key)
    hours = work.rows("SELECT SUM(hours) AS total FROM activity WHERE client_id = :client", key)
    used = placement_hours(work, client_id)
    log_access_direct(
        work,
        action="client.show",
        client_id=client_id,
        record=f"client:{client_id}",
        sensitive=sensitive,
    )
    shown = {
        **client._asdict(),
        "birth_date": as_date(client.birth_date),
        "ended_on": as_date(client.ended_on),
        "phases": [
            {"id": p.id, "kind": p.kind, "start": as_date(p.start_on), "end": as_date(p.end_on)}
            for p in phases
        ],
        "placements": [
            {
                "id": p.id,
                "employer": p.employer,
                "kind": p.kind,
                "start": as_date(p.start_on),
                "end": as_date(p.end_on),
                "title": p.title,
            }
            for p in placements
        ],
        "notes": client_notes(work, client_id),
        "drafts": _drafts(work, client_id),
        "hours": as_hours(hours[0].total) if hours[0].total is not None else 0,
        # The budget counts only the hours from the first placement start on.
        "placement_since": used.since,
        "placement_hours": used.hours,
        "placement_budget": used.budget,
    }
    if sensitive:
        from veto.privacy.export import sensitive_items
        from veto.store.direct import session_of

        shown["sensitive"] = sensitive_items(session_of(work), client_id)
    return shown

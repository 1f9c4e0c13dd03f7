"""When a client takes part, for ESF+: the entry and exit dates of every client, the windows of
the immediate and the six-month results, and the EURA 2021 checklist built on them.

The timeline is SQL text that runs on SQLite and PostgreSQL alike, through a `Work`
(`veto.store.direct`), so that `veto report esf` and `veto esf pending` need no SQLAlchemy on a
SQLite store. This module imports none.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from veto.domain.audit import log_access_direct
from veto.domain.dates import finnish
from veto.store.direct import as_date

if TYPE_CHECKING:
    from veto.store.direct import Work

IMMEDIATE_WINDOW_DAYS = 28  # "upon leaving" = within 4 weeks after exit
FOLLOWUP_MONTHS = 6

# Entry questions: option name -> column. Disability and minority are special-category data
# (GDPR art. 9): out of default views, shown only on an explicit, logged sensitive read.
ENTRY_QUESTIONS = {
    "disability": "disability",
    "third-country": "third_country",
    "foreign-background": "foreign_background",
    "minority": "minority",
    "homeless": "homeless",
    "rural": "rural",
}
SENSITIVE = ("disability", "minority")
EXIT_QUESTIONS = {
    "job-searching": "job_searching",
    "education": "in_education",
    "qualification": "qualification",
    "employed": "employed_at_exit",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day where it is shorter (31.8. -> 28.2.)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def followup_due(exit_on: date | None) -> date | None:
    """When the 6-month follow-up is due: six months after exit."""
    return None if exit_on is None else add_months(exit_on, FOLLOWUP_MONTHS)


def latest_exit_due_by(day: date) -> date:
    """The last exit date whose 6-month follow-up is due on or before `day`, so that "due" can
    be a plain date comparison in SQL on every backend."""
    cutoff = add_months(day, -FOLLOWUP_MONTHS)
    # Month-end clamping maps several exit days onto one due day (29–31.8. -> 28.2.).
    while add_months(cutoff + timedelta(days=1), FOLLOWUP_MONTHS) <= day:
        cutoff += timedelta(days=1)
    return cutoff


# Every client with the effective ESF+ entry and exit dates and the participant data: entry =
# the recorded entry date, else the first phase start; exit = the recorded exit date, else the
# end of the client relationship. A sub-select: `FROM {TIMELINE} AS t`.
TIMELINE = f"""(
  SELECT c.id AS client_id, c.gender, c.birth_date, c.birth_year, c.coach_id,
         COALESCE(p.entry_on, f.first_start) AS entry_on,
         COALESCE(p.exit_on, c.ended_on) AS exit_on,
         p.id AS participant_id, p.status, p.isced,
         {", ".join(f"p.{column}" for column in ENTRY_QUESTIONS.values())},
         p.exit_answered_on,
         {", ".join(f"p.{column}" for column in EXIT_QUESTIONS.values())},
         p.followup_on, p.employed_6m, p.improved_6m, p.start_done, p.end_done, p.followup_done
  FROM client c
  LEFT JOIN (SELECT client_id, MIN(start_on) AS first_start FROM phase GROUP BY client_id) f
    ON f.client_id = c.id
  LEFT JOIN participant p ON p.client_id = c.id
)"""

PENDING_COLUMNS = ["client", "name", "coach", "item", "date", "detail"]

_PENDING = f"""
SELECT cl.code, cl.name, co.name AS coach, t.entry_on, t.exit_on, t.participant_id, t.followup_on,
       CASE WHEN {{start_open}} THEN 1 ELSE 0 END AS start_open,
       CASE WHEN {{end_open}} THEN 1 ELSE 0 END AS end_open,
       CASE WHEN {{data_missing}} THEN 1 ELSE 0 END AS data_missing,
       CASE WHEN {{followup_open}} THEN 1 ELSE 0 END AS followup_open
FROM {TIMELINE} AS t JOIN client cl ON cl.id = t.client_id LEFT JOIN coach co ON co.id = t.coach_id
WHERE t.entry_on IS NOT NULL AND t.entry_on <= :as_of
  AND ({{start_open}} OR {{end_open}} OR {{data_missing}} OR {{followup_open}})
ORDER BY cl.code
"""


def pending(work: Work, *, as_of: date) -> list[dict[str, Any]]:
    """The EURA 2021 checklist on `as_of`: one row per missing item, by client code.

    Items: `start` (entered, start form not marked done), `end` (left, end form not marked
    done), `exit-data` (left more than 4 weeks ago, no exit situation recorded), `followup`
    (6-month follow-up due, not marked done).
    """
    left = "t.exit_on IS NOT NULL AND t.exit_on <= :as_of"
    sql = _PENDING.format(
        start_open="t.start_done IS NULL",
        end_open=f"({left} AND t.end_done IS NULL)",
        data_missing=f"({left} AND t.exit_on < :stale AND t.exit_answered_on IS NULL)",
        followup_open=f"({left} AND t.exit_on <= :due AND t.followup_done IS NULL)",
    )
    params = {
        "as_of": as_of,
        "stale": as_of - timedelta(days=IMMEDIATE_WINDOW_DAYS),
        "due": latest_exit_due_by(as_of),
    }
    rows: list[dict[str, Any]] = []
    for r in work.rows(sql, params):
        base = {"client": r.code, "name": r.name, "coach": r.coach}
        entry_on, exit_on = as_date(r.entry_on), as_date(r.exit_on)
        no_entry = "; aloitustiedot puuttuvat myös veto:sta" if r.participant_id is None else ""
        if r.start_open:
            rows.append(
                {
                    **base,
                    "item": "start",
                    "date": entry_on,
                    "detail": "EURA-aloitustiedot merkitsemättä" + no_entry,
                }
            )
        if r.end_open:
            detail = "EURA-lopetustiedot merkitsemättä"
            rows.append({**base, "item": "end", "date": exit_on, "detail": detail})
        if r.data_missing:
            rows.append(
                {
                    **base,
                    "item": "exit-data",
                    "date": exit_on + timedelta(days=IMMEDIATE_WINDOW_DAYS),
                    "detail": "tilanne päättyessä kirjaamatta yli 4 viikkoa lopettamisesta",
                }
            )
        if r.followup_open:
            answered = as_date(r.followup_on)
            answer = f"vastaus kirjattu {finnish(answered)}" if answered else "vastaus puuttuu"
            rows.append(
                {
                    **base,
                    "item": "followup",
                    "date": followup_due(exit_on),
                    "detail": f"6 kk seuranta erääntynyt; {answer}",
                }
            )
    log_access_direct(work, action="esf.pending", record=f"pending:{len(rows)}")
    return rows

"""A new client's rules, as plain Python and SQL over a `Work` (`veto.store.direct`): the checks
of every input, the next free code, a code already in use. `veto client add` runs them on the
stdlib driver on SQLite; the ORM code (`veto.domain.clients`, the imports) runs the same
functions through `SessionWork`. No SQLAlchemy here."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from veto import vocabulary
from veto.errors import DuplicateRecord, InputError
from veto.i18n import _

if TYPE_CHECKING:
    from veto.store.direct import SqliteWork, Work

_CODE = re.compile(r"^[A-Za-z0-9ÅÄÖåäö_.-]{1,32}$")


def check_code(code: str) -> str:
    """The code without surrounding spaces, if it is a valid client code."""
    code = code.strip()
    if not _CODE.match(code):
        raise InputError(
            _(
                "invalid client code '{code}': 1–32 letters, digits, '-', '_' or '.', no spaces"
            ).format(code=code)
        )
    if code.isdigit():
        raise InputError(
            _(
                "invalid client code '{code}': all digits would be read as an id; add a letter"
            ).format(code=code)
        )
    return code


def free_code(work: Work, code: str, *, exclude_id: int | None = None) -> str:
    """`check_code`, and not the code of another client."""
    code = check_code(code)
    clash = work.rows("SELECT id FROM client WHERE code = :code", {"code": code})
    if clash and clash[0].id != exclude_id:
        raise DuplicateRecord(
            _("client code '{code}' is already in use; choose another").format(code=code)
        )
    return code


def check_name(name: str) -> str:
    if not name or not name.strip():
        raise InputError(_("a client needs a name: give --name 'First Last'"))
    return name.strip()


def check_birth_year(year: int | None) -> int | None:
    """The year, if it is a plausible year of birth (1900 to this year)."""
    if year is not None and not (1900 <= year <= date.today().year):
        raise InputError(
            _("invalid birth year {year}: give a year from 1900 to {last}").format(
                year=year, last=date.today().year
            )
        )
    return year


def take_turns(work: Work, name: str) -> None:
    """`veto.store.database.take_turns` over a `Work`: PostgreSQL commands reaching this point
    with the same `name` wait for one another; SQLite holds the write lock from BEGIN."""
    if work.dialect == "postgresql":
        work.rows("SELECT pg_advisory_xact_lock(hashtext(:name))", {"name": name})


def next_codes(work: Work, count: int, *, taken: set[str] | frozenset = frozenset()) -> list[str]:
    """`count` fresh codes in a row (A0001, A0002, … from the highest client id), none of them
    stored nor in `taken` (codes an import is about to store)."""
    take_turns(work, "veto.client.code")
    n = (work.rows("SELECT max(id) AS top FROM client")[0].top or 0) + 1
    stored = {r.code for r in work.rows("SELECT code FROM client WHERE code LIKE 'A%'")}
    codes: list[str] = []
    while len(codes) < count:
        code = f"A{n:04d}"
        if code not in stored and code not in taken:
            codes.append(code)
        n += 1
    return codes


def new_client_values(
    work: Work,
    *,
    name: str,
    gender: str,
    background: str,
    code: str | None = None,
    birth_year: int | None = None,
    coach: str | None = None,
    municipality: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    birth_date: date | None = None,
) -> dict[str, Any]:
    """A new client's checked values (every input, in the order the checks have always run),
    its code generated unless given."""
    from veto.domain.direct import coach_id

    return {
        "code": free_code(work, code) if code else next_codes(work, 1)[0],
        "name": check_name(name),
        "gender": vocabulary.parse("gender", gender),
        "background": vocabulary.parse("background", background),
        "birth_year": check_birth_year(
            birth_year if birth_year else (birth_date.year if birth_date else None)
        ),
        "birth_date": birth_date,
        "coach_id": coach_id(work, coach) if coach else None,
        "municipality": municipality.strip() if municipality else None,
        "phone": phone,
        "email": email,
    }


# The client table's columns, in its order (tests/test_writes.py checks them against
# `veto.models.Client`, which defines them with the Alembic revisions).
CLIENT_COLUMNS = (
    "code",
    "name",
    "gender",
    "background",
    "birth_year",
    "birth_date",
    "municipality",
    "phone",
    "email",
    "id",
    "coach_id",
    "ended_on",
    "outcome",
    "outcome_field",
    "created_at",
)


def add_client_direct(work: SqliteWork, **given: Any) -> str:
    """`veto.domain.clients.add_client` on the stdlib driver: the same checks, the same row
    (the model's defaults: no end, created now), its change history and access-log row. Returns
    the code."""
    from datetime import UTC, datetime

    from veto.domain.audit import log_access_direct
    from veto.store.direct import insert_kept

    values = new_client_values(work, **given)
    defaults = {"id": None, "ended_on": None, "outcome": None, "outcome_field": None}
    row = {**defaults, **values, "created_at": datetime.now(UTC)}
    written = insert_kept(work, "client", {c: row[c] for c in CLIENT_COLUMNS})
    client = written["id"]
    log_access_direct(work, action="client.add", client_id=client, record=f"client:{client}")
    return written["code"]

"""The reports' figures for a role that may not read the records (PostgreSQL's `veto_reporter`).

Each of a report's aggregate queries is also a SECURITY DEFINER function owned by `veto_admin`,
created from the very SQL the report runs (`install`, by `veto db role add|refresh`): the
reporter may EXECUTE those functions and read no table that holds a person's rows, so all the
server ever gives it is a report's counts, sums, means and extremes. `rows()` is the one switch:
a role that may read the report's tables (SQLite, a coach, the admin) runs the SQL itself, any
other role on PostgreSQL calls the function, with the same parameters, for the same rows.

A function is named after its report query and a hash of its SQL, so a store whose functions
were made by another version of veto is told apart from one whose figures would differ.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from veto.errors import InputError
from veto.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from veto.store.direct import Work

PREFIX = "veto_report_"
# Every table a report reads: a role missing SELECT on any of them gets its figures from the
# functions.
REPORT_TABLES = (
    "client",
    "phase",
    "activity",
    "placement",
    "contact",
    "coach",
    "employer",
    "participant",
)
# An open period end, for a function whose SQL always compares with both ends: no stored date
# lies outside these (dates are kept within 1900–2100), so the figures are those of the open end.
FIRST_DAY, LAST_DAY = date(1, 1, 1), date(9999, 12, 31)

_PARAMETER = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


@dataclass(frozen=True)
class ReportQuery:
    """One aggregate query of a report, in PostgreSQL's SQL, its parameters all dates."""

    name: str
    sql: str

    @property
    def parameters(self) -> list[str]:
        return list(dict.fromkeys(_PARAMETER.findall(self.sql)))

    @property
    def function(self) -> str:
        digest = hashlib.sha256(self.sql.encode()).hexdigest()[:12]
        return f"{PREFIX}{self.name}_{digest}"

    def body(self, value: str = "p_{}") -> str:
        """The SQL with each `:parameter` replaced by `value` (formatted with its name)."""
        return _PARAMETER.sub(lambda m: value.format(m.group(1)), self.sql)


def through_functions(work: Work) -> bool:
    """Whether this role gets the reports' figures from the functions: on PostgreSQL, when it
    may not read every table the reports read. Asked once per command."""
    if work.dialect != "postgresql":
        return False
    if "report_functions" not in work.info:
        readable = " AND ".join(f"has_table_privilege('{t}', 'SELECT')" for t in REPORT_TABLES)
        (row,) = work.rows(f"SELECT {readable} AS readable")
        work.info["report_functions"] = not row.readable
    return bool(work.info["report_functions"])


def rows(
    work: Work,
    query: ReportQuery,
    params: Mapping[str, Any],
    *,
    sql: str | None = None,
    direct_params: Mapping[str, Any] | None = None,
) -> Sequence[Any]:
    """The rows of `query`: its SQL run directly (or `sql` with `direct_params`, the report's
    own spelling for this store and period), or, for a role that may not read the tables, its
    function called with `params`."""
    if not through_functions(work):
        return work.rows(sql or query.sql, params if direct_params is None else direct_params)
    (found,) = work.rows(
        "SELECT to_regproc(:name) IS NOT NULL AS present", {"name": query.function}
    )
    if not found.present:
        raise InputError(
            _(
                "this store's report functions are not those of this version of veto: an admin"
                " runs `veto db role refresh`"
            )
        )
    arguments = ", ".join(f":{p}" for p in query.parameters)
    return work.rows(
        f"SELECT * FROM {query.function}({arguments})",
        {p: params[p] for p in query.parameters},
    )


def _result_columns(conn: Connection, query: ReportQuery) -> list[tuple[str, str]]:
    """(name, type) of the query's result columns, as PostgreSQL resolves them."""
    from sqlalchemy import text

    conn.exec_driver_sql(
        "CREATE TEMPORARY VIEW veto_report_probe AS " + query.body("CAST(NULL AS date)")
    )
    columns = conn.execute(
        text(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = 'veto_report_probe'::regclass AND attnum > 0 ORDER BY attnum"
        )
    ).all()
    conn.exec_driver_sql("DROP VIEW veto_report_probe")
    return [(name, kind) for name, kind in columns]


def install(conn: Connection, queries: Iterable[ReportQuery]) -> None:
    """Create the functions of `queries` (owned by veto_admin, EXECUTE for veto_reporter alone)
    and drop every other report function, so the store holds exactly this version's."""
    from sqlalchemy import text

    wanted = {query.function: query for query in queries}
    present = set(
        conn.execute(
            text(
                "SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                " AND starts_with(proname, :prefix)"
            ),
            {"prefix": PREFIX},
        ).scalars()
    )
    for stale in sorted(present - set(wanted)):
        conn.exec_driver_sql(f"DROP FUNCTION {stale}")
    for function, query in wanted.items():
        signature = f"{function}({', '.join('date' for _parameter in query.parameters)})"
        if function not in present:
            columns = ", ".join(f'"{name}" {kind}' for name, kind in _result_columns(conn, query))
            arguments = ", ".join(f"p_{p} date" for p in query.parameters)
            # search_path fixed (pg_temp last): the caller's own objects cannot stand in.
            conn.exec_driver_sql(
                f"CREATE FUNCTION {function}({arguments}) RETURNS TABLE ({columns})"
                " LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"
                f" AS $veto$ {query.body()} $veto$"
            )
        conn.exec_driver_sql(f"ALTER FUNCTION {signature} OWNER TO veto_admin")
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {signature} TO veto_reporter")

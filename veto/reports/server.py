"""The report queries a PostgreSQL store keeps as functions for the reporter role
(`veto.store.report_functions`), one list for `veto db role add|refresh` to install."""

from __future__ import annotations

from veto.store.report_functions import ReportQuery


def report_queries() -> list[ReportQuery]:
    """Every aggregate query of `report pilot|esf|fidelity`, in PostgreSQL's SQL."""
    from veto.reports import esf, fidelity, pilot

    return [pilot.server_query(), *esf.server_queries(), *fidelity.server_queries()]

"""`veto import xlsx`: a tracking workbook back into the store, all rows or none.

Three steps: the workbook is read cell by cell (`veto.workbook.reading`), its rows are paired
with stored records (`veto.workbook.matching`: by the hidden Tunniste id, else by natural keys)
and checked into a plan (`veto.workbook.plan`: references, the one timeline rule, what is new,
changed, unchanged or not in the workbook), and only a plan without problems is stored
(`veto.workbook.write`). Any problem: every problem is reported and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from veto.i18n import _
from veto.workbook.matching import store_mark
from veto.workbook.plan import Count, Plan, counted
from veto.workbook.reading import Problem, Progress, SheetData, WorkbookInvalid, read_workbook
from veto.workbook.write import write_plan

# At most this many records not in the workbook are named one by one on a dry run.
LISTED_MISSING = 20


@dataclass
class Summary:
    """What an import stored (or, on a dry run, would store), per sheet title."""

    path: Path
    counts: dict[str, Count] = field(default_factory=dict)
    delete_missing: bool = False
    missing: list[str] = field(default_factory=list)  # one line per record not in the workbook

    def describe(self, *, dry_run: bool) -> str:
        parts = []
        for title, c in self.counts.items():
            part = counted(title, c)
            if c.missing:
                if self.delete_missing:
                    missing = _(", {count} not in the workbook: removed")
                else:
                    missing = _(", {count} not in the workbook: kept")
                part += missing.format(count=c.missing)
            parts.append(part)
        if dry_run:
            text = _("would import {file}: {counts}; nothing was written (--dry-run)")
        else:
            text = _("imported {file}: {counts}")
        text = text.format(file=self.path.name, counts="; ".join(parts))
        if dry_run and self.missing:
            shown = self.missing[:LISTED_MISSING]
            more = len(self.missing) - len(shown)
            text += (
                "\n"
                + "\n".join(shown)
                + ("\n" + _("… and {count} more").format(count=more) if more else "")
            )
        return text

    @property
    def changes(self) -> int:
        removed = sum(c.missing for c in self.counts.values()) if self.delete_missing else 0
        return sum(c.new + c.changed for c in self.counts.values()) + removed


def import_workbook(
    session: Session,
    *,
    path: Path,
    dry_run: bool = False,
    delete_missing: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Check the whole workbook at `path`, then store all of it (nothing on `dry_run`); with
    `delete_missing`, stored records its sheets do not list are removed in the same go.

    Raises `WorkbookInvalid` listing every problem (sheet, row, column), or InputError for a
    file that is not a readable workbook; in both cases nothing is stored."""
    path = Path(path)
    sheets, problems, mark = read_workbook(path, progress=progress)
    own = mark is not None and mark == store_mark(session)
    plan = Plan(session, sheets, problems, own_ids=own, delete_missing=delete_missing)
    plan.run()
    if plan.problems:
        raise WorkbookInvalid(path, sorted(set(plan.problems), key=_problem_order(sheets)))
    summary = Summary(path, dict(plan.counts), delete_missing, plan.missing_lines())
    if not dry_run and summary.changes:
        write_plan(session, plan, progress)
    return summary


def _problem_order(sheets: list[SheetData]):
    """Problems in reading order: sheet by sheet, row by row, left to right in the layout
    (a column of the coach's own, named by its letter, after the layout's)."""
    order = {s.title: i for i, s in enumerate(sheets)}
    columns = {s.title: {c.header: i for i, c in enumerate(s.sheet.columns)} for s in sheets}

    def key(p: Problem) -> tuple:
        position = columns.get(p.sheet, {}).get(p.column, len(columns.get(p.sheet, {})))
        # A sheet the workbook lists but veto could not read (row 0) comes first.
        where = order.get(p.sheet, -1 if p.row == 0 else len(order))
        return (where, p.row, position, p.column, p.message)

    return key

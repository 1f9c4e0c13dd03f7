"""What a human table calls its columns and its enumeration values, in the current language.

Rows keep their English keys and stored values (JSON and CSV print them as they are); only the
table shows a header through the catalogue (context "column") and an enumeration value by its
Finnish name (`veto.vocabulary`) when the language is Finnish. In English both stay as stored.
"""

from __future__ import annotations

from typing import Any

from veto.i18n import NC_, language, pgettext

# Every key a table or a show prints, marked for the catalogue; a key not listed prints as is.
COLUMNS = (
    NC_("column", "id"),
    NC_("column", "code"),
    NC_("column", "name"),
    NC_("column", "gender"),
    NC_("column", "background"),
    NC_("column", "coach"),
    NC_("column", "municipality"),
    NC_("column", "phase"),
    NC_("column", "phase_since"),
    NC_("column", "ended_on"),
    NC_("column", "outcome"),
    NC_("column", "outcome_field"),
    NC_("column", "birth_year"),
    NC_("column", "birth_date"),
    NC_("column", "address"),
    NC_("column", "phone"),
    NC_("column", "email"),
    NC_("column", "area"),
    NC_("column", "active"),
    NC_("column", "clients"),
    NC_("column", "client"),
    NC_("column", "client_id"),
    NC_("column", "kind"),
    NC_("column", "start"),
    NC_("column", "end"),
    NC_("column", "on"),
    NC_("column", "date"),
    NC_("column", "since"),
    NC_("column", "hours"),
    NC_("column", "budget"),
    NC_("column", "left"),
    NC_("column", "note"),
    NC_("column", "notes"),
    NC_("column", "drafts"),
    NC_("column", "form"),
    NC_("column", "saved_at"),
    NC_("column", "text"),
    NC_("column", "employer"),
    NC_("column", "title"),
    NC_("column", "tasks"),
    NC_("column", "purpose"),
    NC_("column", "supervisor_name"),
    NC_("column", "supervisor_contact"),
    NC_("column", "employment_form"),
    NC_("column", "employment_other"),
    NC_("column", "full_time"),
    NC_("column", "hours_per_month"),
    NC_("column", "pay_per_hour"),
    NC_("column", "pay_per_month"),
    NC_("column", "wage_subsidy"),
    NC_("column", "arrangement_support"),
    NC_("column", "business_id"),
    NC_("column", "sector"),
    NC_("column", "persons"),
    NC_("column", "role"),
    NC_("column", "contacts"),
    NC_("column", "last_contact"),
    NC_("column", "proposals"),
    NC_("column", "placements"),
    NC_("column", "work_trials"),
    NC_("column", "jobs"),
    NC_("column", "apprenticeships"),
    NC_("column", "channel"),
    NC_("column", "stage"),
    NC_("column", "next"),
    NC_("column", "next_on"),
    NC_("column", "due"),
    NC_("column", "late"),
    NC_("column", "days"),
    NC_("column", "contact_history"),
    NC_("column", "placement_history"),
    NC_("column", "placement_since"),
    NC_("column", "placement_hours"),
    NC_("column", "placement_budget"),
    NC_("column", "phases"),
    NC_("column", "activities"),
    NC_("column", "surveys"),
    NC_("column", "plans"),
    NC_("column", "taken_on"),
    NC_("column", "drawn_up_on"),
    NC_("column", "signed_on"),
    NC_("column", "last_entry"),
    NC_("column", "last_activity"),
    NC_("column", "follow_ups"),
    NC_("column", "keep_in_touch"),
    NC_("column", "esf_pending"),
    NC_("column", "quiet"),
    NC_("column", "item"),
    NC_("column", "detail"),
    NC_("column", "field"),
    NC_("column", "value"),
    NC_("column", "question"),
    NC_("column", "answer"),
    NC_("column", "at"),
    NC_("column", "user"),
    NC_("column", "action"),
    NC_("column", "record"),
    NC_("column", "sensitive"),
    NC_("column", "change"),
    NC_("column", "command"),
    NC_("column", "operation"),
    NC_("column", "old"),
    NC_("column", "new"),
    NC_("column", "check"),
    NC_("column", "result"),
    NC_("column", "ok"),
    # The stored fields a change (veto history) names.
    NC_("column", "actor"),
    NC_("column", "answers"),
    NC_("column", "author"),
    NC_("column", "coach_id"),
    NC_("column", "coaching_wishes"),
    NC_("column", "command_id"),
    NC_("column", "contact_by"),
    NC_("column", "created_at"),
    NC_("column", "disability"),
    NC_("column", "employed_6m"),
    NC_("column", "employed_at_exit"),
    NC_("column", "employer_id"),
    NC_("column", "end_done"),
    NC_("column", "end_on"),
    NC_("column", "entry_on"),
    NC_("column", "exit_answered_on"),
    NC_("column", "exit_on"),
    NC_("column", "followup_done"),
    NC_("column", "followup_on"),
    NC_("column", "foreign_background"),
    NC_("column", "homeless"),
    NC_("column", "identity"),
    NC_("column", "improved_6m"),
    NC_("column", "in_education"),
    NC_("column", "isced"),
    NC_("column", "job_searching"),
    NC_("column", "minority"),
    NC_("column", "must_not_tell"),
    NC_("column", "on_date"),
    NC_("column", "person_id"),
    NC_("column", "place"),
    NC_("column", "qualification"),
    NC_("column", "row_id"),
    NC_("column", "rural"),
    NC_("column", "sensitive_answers"),
    NC_("column", "skills"),
    NC_("column", "start_done"),
    NC_("column", "start_on"),
    NC_("column", "status"),
    NC_("column", "strengths"),
    NC_("column", "table_name"),
    NC_("column", "third_country"),
    NC_("column", "undoes"),
    NC_("column", "wishes"),
    NC_("column", "workplaces"),
    # The derived fields of `esf show`.
    NC_("column", "entry_from"),
    NC_("column", "age_at_entry"),
    NC_("column", "within_4_weeks"),
    NC_("column", "followup_due"),
)

# The enumeration(s) whose values a column holds; for several, the first that knows the value.
_ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "gender": ("gender",),
    "background": ("background",),
    "outcome": ("outcome",),
    "phase": ("phase kind",),
    "kind": ("phase kind", "placement kind", "activity kind", "survey kind"),
    "channel": ("channel",),
    "stage": ("stage",),
    "employment_form": ("employment form",),
    "item": ("EURA form",),
    "form": (),  # a draft's form: survey or plan (VALUES)
    "status": ("labour-market status",),
    "isced": ("education level",),
    "contact_by": ("contact by",),
    "disability": ("entry answer",),
    "third_country": ("entry answer",),
    "foreign_background": ("entry answer",),
    "minority": ("entry answer",),
    "homeless": ("entry answer",),
    "rural": ("entry answer",),
    "job_searching": ("result answer",),
    "in_education": ("result answer",),
    "qualification": ("result answer",),
    "employed_at_exit": ("result answer",),
    "employed_6m": ("result answer",),
    "improved_6m": ("result answer",),
    "entry_from": (),  # where `esf show` takes the entry date from (VALUES)
}
# Values of those columns that are no enumeration of the domain (an ESF+ checklist item).
VALUES = (
    NC_("value", "exit-data"),
    NC_("value", "survey"),
    NC_("value", "plan"),
    NC_("value", "recorded"),  # where `esf show` takes the entry date from
    NC_("value", "first phase"),
)


def header(column: str) -> str:
    """The header of a table column (or the title of a nested table)."""
    return pgettext("column", column)


def cell(column: str, value: Any) -> Any:
    """`value` as the table shows it: an enumeration value by its Finnish name in Finnish."""
    if value.__class__ is not str or column not in _ENUMERATIONS or language() != "fi":
        return value
    from veto.vocabulary import labels

    for enumeration in _ENUMERATIONS[column]:
        names = labels(enumeration)
        if value in names:
            return names[value]
    return pgettext("value", value)

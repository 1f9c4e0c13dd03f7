"""The store's tables (SQLModel). Schema changes go through Alembic revisions in
`veto/store/migrations/versions`; a test checks that the revisions build exactly these tables.

Enumerations are stored as their English values and checked by the database itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Column, Index, Numeric
from sqlmodel import Field, SQLModel

from veto import vocabulary as v


def _one_of(
    table: str, column: str, values: dict[str, str], *, nullable: bool = False
) -> CheckConstraint:
    allowed = ", ".join(f"'{x}'" for x in values)
    rule = f"{column} IN ({allowed})"
    if nullable:
        rule = f"{column} IS NULL OR {rule}"
    return CheckConstraint(rule, name=f"{table}_{column}_allowed")


def _now() -> datetime:
    return datetime.now(UTC)


def _decimal(precision: int = 8, scale: int = 2, *, nullable: bool = True) -> Column:
    return Column(Numeric(precision, scale, asdecimal=True), nullable=nullable)


# --- core: coaches, clients, phases (issue 2) -------------------------------------------------


class CoachBase(SQLModel):
    name: str = Field(unique=True, min_length=1)
    email: str | None = None
    phone: str | None = None
    area: str | None = None


class Coach(CoachBase, table=True):
    """A job coach (työvalmentaja)."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=_now)


class ClientBase(SQLModel):
    code: str = Field(unique=True, min_length=1)
    name: str = Field(min_length=1)
    gender: str
    background: str
    birth_year: int | None = None
    birth_date: date | None = None
    municipality: str | None = None
    phone: str | None = None
    email: str | None = None


class Client(ClientBase, table=True):
    """A client (asiakas). The relationship ends with `ended_on` and an `outcome`."""

    __table_args__ = (
        _one_of("client", "gender", v.GENDER),
        _one_of("client", "background", v.BACKGROUND),
        _one_of("client", "outcome", v.OUTCOME, nullable=True),
        CheckConstraint("(ended_on IS NULL) = (outcome IS NULL)", name="ended_with_outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    coach_id: int | None = Field(default=None, foreign_key="coach.id", index=True)
    ended_on: date | None = None
    outcome: str | None = None
    outcome_field: str | None = None
    created_at: datetime = Field(default_factory=_now)


class Phase(SQLModel, table=True):
    """A phase of a client's path: `coaching` (työvalmennus) or `placement` (työhönvalmennus)."""

    __table_args__ = (
        _one_of("phase", "kind", v.PHASE_KIND),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="phase_ends_after_start"),
        # Covering: the reports read a client's phases from the index alone.
        Index("ix_phase_client_start", "client_id", "start_on", "kind", "end_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    kind: str
    start_on: date
    end_on: date | None = None


# --- employers, placements, coaching hours (issue 2) ------------------------------------------


class EmployerBase(SQLModel):
    name: str = Field(unique=True, min_length=1)
    business_id: str | None = None
    sector: str | None = None
    municipality: str | None = None
    address: str | None = None


class Employer(EmployerBase, table=True):
    """An employer (työnantaja) the coaches work with."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=_now)


class Placement(SQLModel, table=True):
    """A work trial (työkokeilu), job or apprenticeship of a client at an employer, with the
    fields of the agreement on supported employment (appendix 4)."""

    __table_args__ = (
        _one_of("placement", "kind", v.PLACEMENT_KIND),
        _one_of("placement", "employment_form", v.EMPLOYMENT_FORM, nullable=True),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="placement_ends_after_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", index=True, ondelete="CASCADE")
    employer_id: int = Field(foreign_key="employer.id", index=True)
    kind: str
    start_on: date
    end_on: date | None = None
    title: str | None = None
    tasks: str | None = None
    supervisor_name: str | None = None
    supervisor_contact: str | None = None
    employment_form: str | None = None
    employment_other: str | None = None
    hours_per_month: Decimal | None = Field(default=None, sa_column=_decimal(6, 1))
    full_time: bool | None = None
    pay_per_hour: Decimal | None = Field(default=None, sa_column=_decimal(8, 2))
    pay_per_month: Decimal | None = Field(default=None, sa_column=_decimal(10, 2))
    wage_subsidy: bool | None = None
    arrangement_support: bool | None = None
    created_at: datetime = Field(default_factory=_now)


class Activity(SQLModel, table=True):
    """Coaching hours given to a client on a day."""

    __table_args__ = (
        _one_of("activity", "kind", v.ACTIVITY_KIND),
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_in_a_day"),
        # Covering: summing a client's hours since a date never reads the table itself.
        Index("ix_activity_client_on", "client_id", "on_date", "hours"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    on_date: date
    hours: Decimal = Field(sa_column=_decimal(5, 2, nullable=False))
    kind: str = "meeting"
    note: str | None = None
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    created_at: datetime = Field(default_factory=_now)


class ClientNote(SQLModel, table=True):
    """A coach's free-text note on a client (issue 14): part of the person's record (shown,
    exported, erased, its reads logged), never on an employer's document."""

    __tablename__ = "client_note"
    __table_args__ = (Index("ix_client_note_client_on", "client_id", "on_date"),)

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    coach_id: int | None = Field(default=None, foreign_key="coach.id", ondelete="SET NULL")
    on_date: date
    text: str = Field(min_length=1)
    author: str | None = None
    created_at: datetime = Field(default_factory=_now)


class CaptureDraft(SQLModel, table=True):
    """The answers given so far to a survey or plan at the terminal when it was interrupted
    (Ctrl-C, a closed terminal); the next `veto survey CLIENT` (`plan`) continues from them.
    Holds sensitive answers too: it is part of the person's record and goes with an erasure."""

    __tablename__ = "capture_draft"
    __table_args__ = (
        CheckConstraint("form IN ('survey', 'plan')", name="capture_draft_form_allowed"),
        Index("ix_capture_draft_client_form", "client_id", "form", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    form: str
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_at: datetime = Field(default_factory=_now)


# --- access log (issue 2 writes it; issue 7 makes it append-only) -----------------------------


class AuditEntry(SQLModel, table=True):
    """One read or change of the store, by whom. No foreign key: the row outlives an erasure."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_client", "client_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_now, index=True)
    actor: str
    action: str
    client_id: int | None = None
    record: str | None = None
    purpose: str | None = None
    sensitive: bool = False


class ChangeEntry(SQLModel, table=True):
    """A row a coach entered as a command inserted it, or its previous version when a command
    updated or deleted it (issue 12); `veto undo` reads it. Append-only as the access log is
    (revision 0009_change_history); no foreign key so that it outlives the row, but an erasure
    removes the person's rows (the database lets a row go only once its client row is gone)."""

    __tablename__ = "change_history"
    __table_args__ = (
        Index("ix_change_history_client", "client_id", "id"),
        Index("ix_change_history_command", "command_id"),
        Index("ix_change_history_actor", "actor", "id"),
        Index("ix_change_history_row", "table_name", "row_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=_now)
    actor: str
    command: str | None = None
    operation: str  # insert | update | delete | erase (a client erased: nothing to restore)
    table_name: str
    row_id: int | None = None
    client_id: int | None = None
    old: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    new: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # One per veto command (transaction, `veto batch` line); None on rows kept before 0010.
    command_id: int | None = None
    undoes: int | None = None  # on the rows of a `veto undo`: the command it took back


# --- documents: surveys and job-search plans (issue 4) ----------------------------------------


class Survey(SQLModel, table=True):
    """A Työhönvalmennuksen kartoitus (appendix 2) taken from a client on a day, at the start or
    the end of the coaching, so that change can be seen. Answers are keyed by the questions of
    `veto.domain.questions`; the sensitive ones live in their own column so that a default
    view never even loads them."""

    __table_args__ = (
        _one_of("survey", "kind", v.SURVEY_KIND),
        Index("ix_survey_client_taken", "client_id", "taken_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    kind: str = "start"
    taken_on: date
    answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sensitive_answers: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=_now)


class Plan(SQLModel, table=True):
    """A Työnhakusuunnitelma ja -sopimus (appendix 3): the client's job-search plan and the
    agreement signed with the coach. `identity` and `must_not_tell` are sensitive."""

    __tablename__ = "job_search_plan"
    __table_args__ = (
        _one_of("job_search_plan", "contact_by", v.CONTACT_BY, nullable=True),
        Index("ix_job_search_plan_client_drawn", "client_id", "drawn_up_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    coach_id: int | None = Field(default=None, foreign_key="coach.id")
    drawn_up_on: date
    wishes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    contact_by: str | None = None
    workplaces: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    strengths: str | None = None
    skills: str | None = None
    coaching_wishes: str | None = None
    identity: str | None = None
    must_not_tell: str | None = None
    supervisor_contact: bool | None = None
    signed_on: date | None = None
    place: str | None = None
    created_at: datetime = Field(default_factory=_now)


# --- employer co-operation: contacts and contact persons (issue 6) ----------------------------


class ContactPerson(SQLModel, table=True):
    """A person at an employer the coaches talk to (supervisor, owner, HR...)."""

    __tablename__ = "contact_person"

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True, ondelete="CASCADE")
    name: str = Field(min_length=1)
    role: str | None = None
    phone: str | None = None
    email: str | None = None
    created_at: datetime = Field(default_factory=_now)


class Contact(SQLModel, table=True):
    """One contact with an employer (yhteydenotto) at a stage of the relationship; with a
    client it is a proposal about that client (CV sent, work trial or interview proposed).
    `next_on` is the agreed follow-up; a later contact with the employer closes it.

    `client_id` is SET NULL, not CASCADE: the contact is also an event in the employer's history
    and in the coach's work (the fidelity report counts it), which must not change when a
    client's data is erased; the erasure blanks the free text of these rows (see
    `veto.privacy.registry.cleared_columns`)."""

    __table_args__ = (
        _one_of("contact", "channel", v.CONTACT_CHANNEL),
        _one_of("contact", "stage", v.CONTACT_STAGE),
        CheckConstraint("next_on IS NULL OR next_on >= on_date", name="contact_next_after_on"),
        Index("ix_contact_employer_on", "employer_id", "on_date"),
        Index("ix_contact_client_on", "client_id", "on_date"),
        Index("ix_contact_coach_on", "coach_id", "on_date"),
        Index("ix_contact_next_on", "next_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", ondelete="CASCADE")
    client_id: int | None = Field(default=None, foreign_key="client.id", ondelete="SET NULL")
    coach_id: int | None = Field(default=None, foreign_key="coach.id", ondelete="SET NULL")
    person_id: int | None = Field(
        default=None, foreign_key="contact_person.id", ondelete="SET NULL"
    )
    on_date: date
    channel: str
    stage: str
    next_on: date | None = None
    note: str | None = None
    created_at: datetime = Field(default_factory=_now)


# --- privacy: erasure stubs and retention (issue 7) -------------------------------------------


class AnonymousStub(SQLModel, table=True):
    """Marks a client row that `client erase --keep-statistics` left behind for reports: gender,
    background, phase dates and outcome only, under a new id and a random code, no name, birth
    date or free text. Retention and the subject commands treat it as nobody."""

    __tablename__ = "anonymous_stub"

    client_id: int = Field(primary_key=True, foreign_key="client.id", ondelete="CASCADE")


# --- ESF+ participant data (issue 8) ----------------------------------------------------------


class Participant(SQLModel, table=True):
    """A client's ESF+ participant data (Regulation (EU) 2021/1057, Annex I): the situation at
    entry, at exit and six months after exit, and which EURA 2021 participant forms are done.

    One row per client, however often the client re-enters: entry data stay those of the first
    participation. `entry_on` NULL means the client's first phase start; `exit_on` NULL means the
    end of the client relationship. An answer left NULL was not asked (entry) or not recorded
    (exit, follow-up); the age at entry comes from the client's birth date or year.
    """

    __table_args__ = (
        _one_of("participant", "status", v.LABOUR_STATUS),
        _one_of("participant", "isced", v.ISCED),
        *(
            _one_of("participant", name, v.ENTRY_ANSWER, nullable=True)
            for name in (
                "disability",
                "third_country",
                "foreign_background",
                "minority",
                "homeless",
                "rural",
            )
        ),
        *(
            _one_of("participant", name, v.RESULT_ANSWER, nullable=True)
            for name in (
                "job_searching",
                "in_education",
                "qualification",
                "employed_at_exit",
                "employed_6m",
                "improved_6m",
            )
        ),
        CheckConstraint(
            "improved_6m IS NULL OR status = 'employed'", name="improved_only_if_employed_at_entry"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", unique=True, ondelete="CASCADE")
    entry_on: date | None = None
    status: str
    isced: str
    disability: str | None = None
    third_country: str | None = None
    foreign_background: str | None = None
    minority: str | None = None
    homeless: str | None = None
    rural: str | None = None
    exit_on: date | None = None
    exit_answered_on: date | None = None
    job_searching: str | None = None
    in_education: str | None = None
    qualification: str | None = None
    employed_at_exit: str | None = None
    followup_on: date | None = None
    employed_6m: str | None = None
    improved_6m: str | None = None
    start_done: date | None = None
    end_done: date | None = None
    followup_done: date | None = None
    created_at: datetime = Field(default_factory=_now)

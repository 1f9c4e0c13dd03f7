"""Synthetic stores for benchmarks: invented people in realistic proportions, bulk-inserted.

`build_store("out/10k.db", clients=10_000)` creates (or replaces) a SQLite file, or fills an
empty PostgreSQL database given its URL, migrated to the current schema. Proportions follow the
pilot report: most clients start with job coaching, about three in four go on to supported
employment, most of those have work trials, about 70 % have ended with an outcome, and the hours
after placement centre on the 18-hour budget with a few over it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

FIRST_NAMES = (
    "Aino Eino Helmi Väinö Siiri Onni Kerttu Toivo Lempi Urho Sanni Arvo Iida Lauri Venla "
    "Oiva Elli Veikko Nelli Tapio Ronja Eelis Hilla Kalle Alma Joonas Ilona Mikko Saga Ahmed "
    "Fatima Omar Leyla Dmitri Olena Nguyen Thi Amina Yusuf Marta"
).split()
LAST_NAMES = (
    "Kangasniemi Rantala Mäkipää Hietanen Koivisto Lahtela Peltoniemi Saarikoski Vainikka "
    "Kuusisto Harjula Ojanperä Niemelä Tuominen Yli-Kauppi Haavisto Leppälä Rinne Kallio "
    "Aho Hassan Petrenko Tran Ali Kovalenko"
).split()
MUNICIPALITIES = (
    "Seinäjoki",
    "Ilmajoki",
    "Evijärvi",
    "Kauhava",
    "Kuortane",
    "Lappajärvi",
    "Soini",
    "Ähtäri",
)
SECTORS = ("IT", "kahvila", "hoiva", "keittiö", "maanrakennus", "kiinteistöhuolto", "maatalous")
EDUCATIONS = ("nuoriso- ja yhteisöohjaaja", "hoiva-ala", "myyjä", "laitoshuoltaja")
OUTCOMES = (("employed", 25), ("education", 25), ("work-trial", 15), ("returned", 25))
OUTCOMES += (("other", 10),)
FIRST_DAY = date(2024, 2, 1)
LAST_DAY = date(2026, 11, 30)  # in the past: the timeline rule refuses what is after today
CHUNK = 20_000


def _url(url_or_path: str | Path) -> tuple[str, Path | None]:
    text = str(url_or_path)
    if "://" in text:
        return text, None
    path = Path(text).expanduser().absolute()
    return f"sqlite:///{path}", path


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _days(rng: random.Random, low_months: float, high_months: float) -> int:
    return max(1, int(rng.uniform(low_months, high_months) * 30.4375))


def generate(clients: int, seed: int = 2024) -> dict[str, list[dict]]:
    """The rows of a synthetic store, table by table (ids given, ready for bulk insert)."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    n_coaches = max(3, clients // 30)
    coaches = [
        {
            "id": i + 1,
            "name": f"Valmentaja {i + 1:05d}",
            "area": MUNICIPALITIES[i % len(MUNICIPALITIES)],
            "created_at": now,
        }
        for i in range(n_coaches)
    ]
    employers = [
        {
            "id": i + 1,
            "name": f"{rng.choice(LAST_NAMES)} {rng.choice(SECTORS)} Oy {i + 1}",
            "sector": rng.choice(SECTORS),
            "municipality": rng.choice(MUNICIPALITIES),
            "created_at": now,
        }
        for i in range(max(5, clients // 20))
    ]
    rows: dict[str, list[dict]] = {"client": [], "phase": [], "placement": [], "activity": []}
    span = (LAST_DAY - FIRST_DAY).days
    for cid in range(1, clients + 1):
        start = FIRST_DAY + timedelta(days=rng.randrange(span - 400))
        placed = rng.random() < 0.75
        coached = not placed or rng.random() < 0.85  # everyone starts with some phase
        phases = []
        if coached:
            end = min(start + timedelta(days=_days(rng, 0.25, 10)), LAST_DAY) if placed else None
            phases.append(("coaching", start, end))
        placed_on = (phases[0][2] if coached else start) if placed else None
        if placed:
            phases.append(("placement", placed_on, None))
        last_start = phases[-1][1]
        ended_on = None
        outcome = field = None
        if rng.random() < 0.7:
            ended_on = min(last_start + timedelta(days=_days(rng, 0.5, 12)), LAST_DAY)
            outcome = _pick(rng, OUTCOMES)
            if outcome == "employed":
                field = rng.choice(SECTORS)
            elif outcome == "education":
                field = rng.choice(EDUCATIONS)
        for kind, p_start, p_end in phases:
            rows["phase"].append(
                {
                    "client_id": cid,
                    "kind": kind,
                    "start_on": p_start,
                    "end_on": p_end if p_end is not None else ended_on,
                }
            )
        rows["client"].append(
            {
                "id": cid,
                "code": f"S{cid:07d}",
                "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "gender": _pick(rng, (("female", 55), ("male", 43), ("other", 2))),
                "background": _pick(rng, (("native", 55), ("immigrant", 45))),
                "birth_year": rng.randrange(1965, 2006),
                "municipality": rng.choice(MUNICIPALITIES),
                "coach_id": rng.randrange(1, n_coaches + 1),
                "ended_on": ended_on,
                "outcome": outcome,
                "outcome_field": field,
                "created_at": now,
            }
        )
        last_day = ended_on or LAST_DAY
        for _ in range(rng.randrange(2, 7)):
            day = start + timedelta(days=rng.randrange(max(1, (last_day - start).days)))
            rows["activity"].append(_activity(rng, cid, day, now))
        if placed:
            for _ in range(rng.choices((0, 1, 2, 3, 4), (25, 35, 25, 10, 5))[0]):
                rows["placement"].append(
                    _placement(rng, cid, "work-trial", placed_on, last_day, len(employers), now)
                )
            if rng.random() < 0.25:
                rows["placement"].append(
                    _placement(rng, cid, "job", placed_on, last_day, len(employers), now)
                )
            for _ in range(rng.randrange(3, 11)):
                day = placed_on + timedelta(days=rng.randrange(max(1, (last_day - placed_on).days)))
                rows["activity"].append(_activity(rng, cid, day, now))
    # One work trial per client, employer, kind and start: the import refuses two rows for one record.
    seen: set[tuple] = set()
    placements = []
    for p in rows["placement"]:
        key = (p["client_id"], p["employer_id"], p["kind"], p["start_on"])
        if key not in seen:
            seen.add(key)
            placements.append(p)
    rows["placement"] = placements
    return {"coach": coaches, "employer": employers, **rows}


def _activity(rng: random.Random, cid: int, day: date, now: datetime) -> dict:
    hours = Decimal(rng.choice((5, 10, 15, 20, 25, 30, 40))) / 10
    kind = rng.choice(("meeting", "workplace", "phone", "feedback"))
    return {"client_id": cid, "on_date": day, "hours": hours, "kind": kind, "created_at": now}


def _placement(
    rng, cid: int, kind: str, placed_on: date, latest: date, n_employers: int, now
) -> dict:
    start = min(placed_on + timedelta(days=rng.randrange(0, 120)), latest)
    return {
        "client_id": cid,
        "employer_id": rng.randrange(1, n_employers + 1),
        "kind": kind,
        "start_on": start,
        "end_on": start + timedelta(days=rng.randrange(14, 120)),
        "created_at": now,
    }


def build_store(url_or_path: str | Path, clients: int, seed: int = 2024) -> str:
    """Create a store of `clients` synthetic clients in one transaction; returns its URL.

    A SQLite path is replaced if it exists; a PostgreSQL database must be empty or hold only
    veto's schema with no rows.
    """
    from sqlalchemy import create_engine

    from veto.models import Activity, Client, Coach, Employer, Phase, Placement
    from veto.store.migrations import migrate

    url, path = _url(url_or_path)
    if path is not None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    migrate(engine)
    data = generate(clients, seed)
    tables = {
        "coach": Coach.__table__,
        "employer": Employer.__table__,
        "client": Client.__table__,
        "phase": Phase.__table__,
        "placement": Placement.__table__,
        "activity": Activity.__table__,
    }
    with engine.begin() as conn:
        for name, table in tables.items():
            rows = data[name]
            for i in range(0, len(rows), CHUNK):
                conn.execute(table.insert(), rows[i : i + CHUNK])
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for name in ("coach", "employer", "client"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                )
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


def export_workbook(store: str | Path, out: str | Path) -> None:
    """Write the tracking workbook of the SQLite store `store` to `out`, in this process through
    veto's library, as `veto export xlsx --out OUT` does (for a benchmark whose input is the
    workbook: a process of its own would only add its start-up, ~0,8 s CPU)."""
    from veto.store.database import dispose_all, transaction
    from veto.store.location import sqlite_location
    from veto.workbook.export import export_workbook as write

    with transaction(sqlite_location(store, "VETO_DB"), actor="bench") as session:
        write(session, out=Path(out))
    dispose_all()


if __name__ == "__main__":
    import sys

    print(build_store(sys.argv[1], int(sys.argv[2])))

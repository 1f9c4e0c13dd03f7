"""Time the library calls behind `veto contact due --all`, `veto employer list` and
`veto report fidelity` on synthetic SQLite stores: the project's size (300 clients) and ten
times that. Invented records only.

    python benchmarks/employer_contacts.py [CLIENTS ...]   # default: 300 3000

Prints a markdown table of CPU seconds of this process (SQLite runs in it), the median of 5
calls, so that a busy machine does not blur the figures; the command's start-up comes on top.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CALLS = ("contact due --all", "employer list", "report fidelity 2024-2025")


def build(path: Path, clients: int) -> dict[str, int]:
    """A store with `clients` clients, 3 coaches, clients/3 employers, 10 contacts and 10 hours
    rows per client, and a placement for every other client."""
    from sqlmodel import Session

    from veto.models import Activity, Client, Coach, Contact, Employer, Phase, Placement
    from veto.store.database import engine_for
    from veto.store.location import resolve

    rng = random.Random(6)
    engine = engine_for(resolve(str(path)))
    start = date(2024, 2, 1)
    channels = ["phone", "email", "visit", "event"]
    stages = ["mapping", "contact", "negotiation", "decision", "aftercare"]
    with Session(engine) as session:
        coaches = [Coach(name=f"Valmentaja {i}") for i in range(1, 4)]
        employers = [
            Employer(name=f"Yritys {i} Oy", sector=f"ala {i % 12}")
            for i in range(max(clients // 3, 1))
        ]
        session.add_all(coaches + employers)
        session.flush()
        rows = []
        for i in range(clients):
            client = Client(
                code=f"S{i:05d}",
                name=f"Asiakas {i}",
                gender=rng.choice(["female", "male"]),
                background=rng.choice(["native", "immigrant"]),
                coach_id=coaches[i % 3].id,
            )
            session.add(client)
            session.flush()
            placed = start + timedelta(days=rng.randrange(600))
            rows.append(Phase(client_id=client.id, kind="placement", start_on=placed))
            for _ in range(10):
                on = placed + timedelta(days=rng.randrange(200))
                rows.append(
                    Contact(
                        employer_id=rng.choice(employers).id,
                        client_id=client.id if rng.random() < 0.5 else None,
                        coach_id=client.coach_id,
                        on_date=on,
                        channel=rng.choice(channels),
                        stage=rng.choice(stages),
                        next_on=on + timedelta(days=rng.randrange(30)),
                    )
                )
                rows.append(
                    Activity(
                        client_id=client.id,
                        on_date=placed + timedelta(days=rng.randrange(120)),
                        hours=Decimal("1.5"),
                    )
                )
            if i % 2 == 0:
                rows.append(
                    Placement(
                        client_id=client.id,
                        employer_id=rng.choice(employers).id,
                        kind=rng.choice(["work-trial", "job"]),
                        start_on=placed + timedelta(days=30),
                        title="Työntekijä" if rng.random() < 0.7 else None,
                        supervisor_name="Esihenkilö",
                        employment_form="other",
                        full_time=True,
                    )
                )
        session.add_all(rows)
        session.commit()
    return {"clients": clients, "contacts": clients * 10, "employers": len(employers)}


def calls():
    from veto.domain.dates import parse_period
    from veto.domain.employers import list_employers
    from veto.domain.followups import due_follow_ups
    from veto.reports.fidelity import fidelity_report
    from veto.store.direct import SessionWork

    today = date(2025, 6, 30)
    return (
        lambda s: due_follow_ups(SessionWork(s), coach=None, within=7, today=today),
        lambda s: list_employers(s),
        lambda s: fidelity_report(SessionWork(s), period=parse_period("2024-2025"), today=today),
    )


def timed(call, db: Path) -> float:
    from veto.store.database import transaction
    from veto.store.location import resolve

    runs = []
    for _ in range(5):
        with transaction(resolve(str(db)), actor="benchmark") as session:
            began = time.process_time()
            call(session)
            runs.append(time.process_time() - began)
            session.rollback()
    return statistics.median(runs)


def main(sizes: list[int]) -> None:
    print("| clients | contacts | employers | " + " | ".join(CALLS) + " |")
    print("|---:|---:|---:|" + "---:|" * len(CALLS))
    for clients in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            sizes = build(db, clients)
            figures = [f"{timed(call, db):.3f} s" for call in calls()]
            print(
                f"| {sizes['clients']} | {sizes['contacts']} | {sizes['employers']} | "
                + " | ".join(figures)
                + " |"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [300, 3000])
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

"""A fictional example store for trying veto: three coaches, 25 clients, 2024–2025.

Every person, employer and phone number here is invented. The store is built through the same
library functions the commands use (so it obeys the workflow rules and the access log records
it), from a fixed seed, as of 30.11.2025: the same store every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from veto.domain.activities import log_activity
from veto.domain.clients import add_client
from veto.domain.coaches import add_coach
from veto.domain.employers import add_employer
from veto.domain.placements import add_placement
from veto.domain.workflow import end_client, start_phase
from veto.errors import InputError
from veto.i18n import _

AS_OF = date(2025, 11, 30)
SEED = 2025
CODE_PREFIX = "DEMO"

COACHES = (
    ("Sanna Lehtimäki", "Seinäjoki, Ilmajoki", "040 000 1101", "sanna.lehtimaki@example.fi"),
    (
        "Elina Koskela",
        "Seinäjoki, Ilmajoki / maahanmuuttajat",
        "040 000 1102",
        "elina.k@example.fi",
    ),
    (
        "Petri Ylinen",
        "Evijärvi, Kauhava, Kuortane, Lappajärvi, Soini, Ähtäri",
        "040 000 1103",
        "petri.ylinen@example.fi",
    ),
)
EMPLOYERS = (
    ("Kahvila Kanerva Oy", "kahvila", "Seinäjoki"),
    ("Lakeuden Datapalvelu Oy", "IT", "Seinäjoki"),
    ("Hoivakoti Pihlajarinne", "hoiva", "Ilmajoki"),
    ("Ravintola Kuurna", "keittiö", "Kauhava"),
    ("Maansiirto Rinta-Koski Oy", "maanrakennus", "Kuortane"),
    ("Kiinteistöhuolto Tähkä Oy", "kiinteistöhuolto", "Ähtäri"),
    ("Vasikkamäen tila", "maatalous", "Lappajärvi"),
    ("Kirpputori Kierrätyskeskus", "kauppa", "Evijärvi"),
)
NATIVE_NAMES = (
    "Aino Rantanen,Veikko Hautala,Kerttu Ojala,Lauri Peltola,Iida Saarela,Onni Kivelä,"
    "Helmi Mattila,Eino Haapala,Venla Nurmi,Toivo Laakso,Siiri Lahti,Arvo Kangas,Elli Harju,"
    "Urho Viljamaa"
).split(",")
IMMIGRANT_NAMES = (
    "Amina Hassan,Yusuf Abdi,Olena Petrenko,Dmitri Volkov,Leyla Karimi,Nguyen Van Minh,"
    "Fatima Al-Sayed,Omar Haddad,Marta Kowalska,Samir Nasser,Aisha Mohamed"
).split(",")
JOB_FIELDS = ("IT", "kahvila", "hoiva", "keittiö", "maanrakennus", "kiinteistöhuolto", "maatalous")
EDUCATION_FIELDS = ("nuoriso- ja yhteisöohjaaja", "hoiva-ala", "myyjä", "laitoshuoltaja")
TITLES = ("avustavat tehtävät", "keittiöapulainen", "kiinteistötyöntekijä", "hoiva-avustaja")


@dataclass
class DemoSummary:
    """What was built."""

    path: Path
    coaches: int
    clients: int
    employers: int


def default_path() -> Path:
    """demo.db beside the default store in the user data directory."""
    from veto.store.location import default_path as store_default

    return store_default().with_name("demo.db")


def _check_replaceable(path: Path) -> None:
    """Only an earlier demo store may be replaced: never a store with real clients."""
    from veto.store.location import resolve, sqlite_uri

    real = resolve(None)
    if real.path is not None and real.path == path.absolute():
        raise InputError(
            _("{path} is your store: give the demo its own file with --out").format(path=path)
        )
    if not path.exists():
        return
    import sqlite3

    try:
        with sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True) as conn:
            others = conn.execute(
                "SELECT COUNT(*) FROM client WHERE code NOT LIKE ?", (f"{CODE_PREFIX}%",)
            ).fetchone()[0]
    except sqlite3.DatabaseError:
        others = None
    if others != 0:
        raise InputError(
            _("{path} exists and is not a veto demo store: give another file with --out").format(
                path=path
            )
        )


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(path: Path, *, seed: int = SEED) -> DemoSummary:
    """Create (or re-create) the demo store at `path`; refuses any file that is not a demo."""
    from veto.store.database import dispose_all, transaction
    from veto.store.location import sqlite_location

    path = path.expanduser().absolute()
    _check_replaceable(path)
    dispose_all()
    _remove(path)
    with transaction(sqlite_location(path, "demo"), actor="demo") as session:
        clients = _fill(session, random.Random(seed))
    dispose_all()
    return DemoSummary(path, len(COACHES), clients, len(EMPLOYERS))


def _fill(session, rng: random.Random) -> int:
    coaches = [add_coach(session, name=n, area=a, phone=p, email=e) for n, a, p, e in COACHES]
    employers = [add_employer(session, name=n, sector=s, municipality=m) for n, s, m in EMPLOYERS]
    people = [(name, "native") for name in NATIVE_NAMES] + [
        (name, "immigrant") for name in IMMIGRANT_NAMES
    ]
    rng.shuffle(people)
    female_first = {"Aino", "Kerttu", "Iida", "Helmi", "Venla", "Siiri", "Elli", "Amina"}
    female_first |= {"Olena", "Leyla", "Fatima", "Marta", "Aisha"}
    for number, (name, background) in enumerate(people, start=1):
        gender = "female" if name.split()[0] in female_first else "male"
        if background == "immigrant":
            coach = coaches[1] if rng.random() < 0.7 else coaches[rng.choice((0, 2))]
        else:
            coach = coaches[rng.choice((0, 2))]
        client = add_client(
            session,
            name=name,
            gender=gender,
            background=background,
            code=f"{CODE_PREFIX}{number:02d}",
            birth_year=rng.randrange(1968, 2004),
            coach=str(coach.id),
            municipality=rng.choice(EMPLOYERS)[2],
        )
        _path_of(session, rng, client, employers, number)
    return len(people)


def _days(rng: random.Random, low_months: float, high_months: float) -> timedelta:
    return timedelta(days=round(rng.uniform(low_months, high_months) * 30.4375))


def _path_of(session, rng: random.Random, client, employers, number: int) -> None:
    """One client's path: coaching, perhaps supported employment with work trials, hours and
    an outcome, all dated before AS_OF."""
    start = date(2024, 3, 1) + timedelta(days=rng.randrange(0, 420))
    direct = number % 12 == 5  # a few start supported employment straight away
    placed = direct or number % 9 != 0  # most go on to supported employment
    if not direct:
        start_phase(session, client=client, kind="coaching", on=start)
        weeks = rng.randrange(1, 6)
        for i in range(weeks):
            day = start + timedelta(days=7 * i + rng.randrange(0, 5))
            if day <= AS_OF:
                log_activity(session, client=client, hours="1,5", on=day, kind="meeting")
    if not placed:
        return
    if direct:
        placed_on = start
    else:
        slow = 0.25 if client.background == "immigrant" else 1.5
        placed_on = start + _days(rng, slow, 6 if client.background == "immigrant" else 10)
    placed_on = min(placed_on, AS_OF - timedelta(days=20))
    start_phase(session, client=client, kind="placement", on=max(placed_on, start))
    placed_on = max(placed_on, start)
    day = placed_on
    trials = rng.choice((0, 1, 1, 2, 2, 3))
    last_begin = placed_on
    for _trial in range(trials):
        begin = day + timedelta(days=rng.randrange(7, 40))
        if begin > AS_OF:
            break
        employer = rng.choice(employers)
        end = begin + timedelta(days=rng.choice((30, 45, 60, 90)))
        add_placement(
            session,
            client=client,
            employer=employer,
            kind="work-trial",
            start=begin,
            end=min(end, AS_OF),
            title=rng.choice(TITLES),
        )
        day, last_begin = end, begin
    visits = rng.randrange(4, 9)
    for i in range(visits):
        on = placed_on + timedelta(days=10 * i + rng.randrange(0, 7))
        if on <= AS_OF:
            hours = rng.choice(("1", "1,5", "2", "2,5", "3", "4"))
            kind = rng.choice(("workplace", "meeting", "phone", "feedback"))
            log_activity(session, client=client, hours=hours, on=on, kind=kind)
    ends = placed_on + _days(rng, 2, 9)
    if ends > AS_OF or rng.random() < 0.2:
        return
    last_activity = placed_on + timedelta(days=10 * visits + 7)
    # A relationship cannot end before one of its work trials starts.
    ends = max(ends, min(last_activity, AS_OF), day if day <= AS_OF else last_begin)
    outcome = rng.choice(("employed", "employed", "education", "education", "work-trial"))
    if rng.random() < 0.25:
        outcome = "returned"
    field = None
    if outcome == "employed":
        field = rng.choice(JOB_FIELDS)
        add_placement(
            session,
            client=client,
            employer=rng.choice(employers),
            kind="job",
            start=ends,
            title=rng.choice(TITLES),
        )
    elif outcome == "education":
        field = rng.choice(EDUCATION_FIELDS)
    end_client(session, client=client, outcome=outcome, on=ends, field=field)

"""The pilot's 22-client journey as veto commands (invented people), for benchmarks and demos."""

from __future__ import annotations

import random
from datetime import date, timedelta

FIRST = [
    "Aino",
    "Eero",
    "Helmi",
    "Juho",
    "Kaisa",
    "Lauri",
    "Minna",
    "Niko",
    "Oona",
    "Pasi",
    "Riikka",
]
LAST = ["Esimerkki", "Kuvitteellinen", "Keksitty", "Mallinen", "Testinen", "Luonnos", "Harjoitus"]
EMPLOYERS = [
    ("Kahvila Aamukaste Oy", "kahvila-ala"),
    ("Hoivakoti Kuvitelma", "hoiva-ala"),
    ("Maanrakennus Esimerkki Oy", "maanrakennusala"),
    ("IT-palvelu Mallinen", "IT-ala"),
    ("Tila Keksitty", "maanviljely"),
]


def journey_commands(clients: int = 22, seed: int = 7) -> list[str]:
    """Coaches, employers, then per client: add, coaching, placement, trials, hours, end."""
    rng = random.Random(seed)
    lines = [
        'coach add "Coach Yksi" --area "Seinäjoki, Ilmajoki"',
        'coach add "Coach Kaksi" --area "maahanmuuttajat"',
        'coach add "Coach Kolme" --area "Evijärvi, Kauhava"',
    ]
    lines += [f'employer add "{name}" --sector {sector}' for name, sector in EMPLOYERS]
    for n in range(1, clients + 1):
        code = f"P{n:03d}"
        gender = "female" if n <= 13 else "male"
        background = "native" if n % 2 else "immigrant"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        start = date(2024, 9, 1) + timedelta(days=rng.randint(0, 300))
        placement = start + timedelta(days=rng.randint(7, 200))
        lines.append(
            f'client add --code {code} --name "{name}" --gender {gender} --background {background} '
            f'--coach "Coach {["Yksi", "Kaksi", "Kolme"][n % 3]}"'
        )
        lines.append(f"phase start coaching {code} --on {start.isoformat()}")
        lines.append(f"phase start placement {code} --on {placement.isoformat()}")
        employer = EMPLOYERS[n % len(EMPLOYERS)][0]
        trial = placement + timedelta(days=5)
        lines.append(
            f'placement add {code} --employer "{employer}" --kind work-trial '
            f"--start {trial.isoformat()} --end {(trial + timedelta(days=60)).isoformat()}"
        )
        if n <= 8:  # some clients have a second work trial, as in the pilot
            second = trial + timedelta(days=61)
            lines.append(
                f'placement add {code} --employer "{EMPLOYERS[(n + 1) % len(EMPLOYERS)][0]}" '
                f"--kind work-trial --start {second.isoformat()} --end {(second + timedelta(days=30)).isoformat()}"
            )
        lines.append(f"activity log {code} --hours 2 --on {trial.isoformat()} --kind workplace")
        lines.append(
            f"activity log {code} --hours 1,5 --on {(trial + timedelta(days=30)).isoformat()}"
        )
        if n <= 17:
            outcome = ["employed", "education", "work-trial", "returned"][n % 4]
            end = trial + timedelta(days=rng.randint(95, 150))
            lines.append(f"client end {code} --outcome {outcome} --on {end.isoformat()}")
    return lines


if __name__ == "__main__":
    print("\n".join(journey_commands()))

"""Generate a synthetic register as CSV files (one per table) for the benchmark.

    python benchmarks/generate.py OUT_DIR [--schemes 20000] [--adults 1000000]
                                          [--activities 200000] [--seed 1]

Values look like real exports: mixed date formats, Y/yes/TRUE, schemes of every type.
Most rows pass, but every register check that reads the schemes, adults and activities
tables has rows that fail it, and the columns those checks read (and filter on) carry a
few placeholders (blank, TBC, pending), unreadable values (31/02/2025, "two", "maybe")
and values outside their vocabulary ("Force open day"), so a run times the gap,
no-record and data-quality paths as well as the passing ones. A few rows name a
scheme the schemes table does not list. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

# days after 2010-01-01; the benchmark scores as of 2026-11-22
AS_OF = 6169
YEAR = 365

P_PLACEHOLDER = 0.005  # a cell left blank or saying TBC / pending
# a cell that cannot be read or is outside the column's vocabulary, by table: rarer where a
# scheme has many rows, so each table's checks come out in a similar mix of met, gap and
# unverified, and even the 400-scheme register of tests/test_benchmark.py shows every path
P_ODD = {"schemes": 0.03, "adults": 0.0015, "activities": 0.01}
PLACEHOLDERS = ("", "TBC", "pending")
BAD_DATES = ("31/02/2025", "29/02/2023", "2024-13-01", "next week", "15/15/2024")
BAD_FLAGS = ("maybe", "partly")
BAD_COUNTS = ("two", "3.5", "lots", "2 (one pending)")

OFFICIAL_TYPES = ["VPC unit", "Mini Police", "official"]
LOCAL_TYPES = ["Locally run", "unofficial"]
ODD_TYPES = ("Youth engagement project",)
OFFICIAL_NAMES = ["Volunteer Police Cadets", "Police Cadets", "Mini Police", "Junior Cadets"]
LOCAL_NAMES = ["Junior Police Club", "Youth Club", "Police Explorers", "Community Rangers"]
HOSTS = ["School", "Community centre", "Police station", "Primary school", "Youth club"]
ODD_HOSTS = ("Mobile unit",)
LEVELS = ["Enhanced + barred", "Enhanced with barred list", "Enhanced", "Basic", "Standard"]
LEVEL_WEIGHTS = [72, 22, 4, 1, 1]
ODD_LEVELS = ("Level 2", "Disclosure Scotland")
YES = ["Y", "yes", "TRUE", "Yes", "1", "x"]
NO = ["N", "no", "FALSE", "0"]
ROLES = ["Leader", "Volunteer", "PCSO", "PC", "Special", "Police staff", "Teacher",
         "Parent helper", "Young leader"]
ROLE_WEIGHTS = [30, 20, 12, 10, 6, 4, 10, 5, 3]
ODD_ROLES = ("Caretaker", "Driver")
POLICE = frozenset({"PCSO", "PC", "Special", "Police staff"})
POLICE_VETTING = ["RV", "MV", "RV", "MV", "NPPV3"]  # NPPV is below what police roles need
OTHER_VETTING = ["NPPV2", "NPPV3", "", ""]
ODD_VETTING = ("Cleared", "Level 2")
KINDS = ["session", "Session", "trip", "offsite", "residential", "deployment"]
KIND_WEIGHTS = [70, 10, 8, 6, 3, 3]
ODD_KINDS = ("Force open day", "Parade")
ARRANGED = ["School", "Scheme", "Parents", "Force", "PCSO"]
ARRANGED_WEIGHTS = [40, 40, 10, 7, 3]
ODD_ARRANGED = ("Council",)


class Cells:
    """The cells of one table: good values mostly, now and then a placeholder (blank, TBC,
    pending, with probability ``P_PLACEHOLDER``) or a value that cannot be read or is
    outside the column's vocabulary (probability ``p_odd``)."""

    def __init__(self, rng: random.Random, p_odd: float) -> None:
        self.rng = rng
        self.p_odd = p_odd

    def messy(self, good: str, odd: Sequence[str]) -> str:
        """``good`` mostly; now and then a placeholder, or a value from ``odd``."""
        r = self.rng.random()
        if r < P_PLACEHOLDER:
            return PLACEHOLDERS[int(r / P_PLACEHOLDER * len(PLACEHOLDERS))]
        if r < P_PLACEHOLDER + self.p_odd:
            return odd[int((r - P_PLACEHOLDER) / self.p_odd * len(odd))]
        return good

    def text(self, good: str) -> str:
        """A text cell: ``good``, or now and then a placeholder (text is never unreadable)."""
        return self.messy(good, PLACEHOLDERS)

    def date(self, offset: int) -> str:
        """A date cell for day ``offset`` after 2010-01-01, in a format exports mix."""
        return self.messy(fmt_day(self.rng, offset), BAD_DATES)

    def recent(self, days: int, p_lapsed: float, lapsed_days: int = 2000) -> str:
        """A date within ``days`` before the as-of date, or (``p_lapsed``) older."""
        if self.rng.random() < p_lapsed:
            return self.date(AS_OF - days - 1 - self.rng.randrange(lapsed_days))
        return self.date(AS_OF - self.rng.randrange(days))

    def flag(self, p_yes: float) -> str:
        """A yes/no cell, yes with probability ``p_yes``."""
        rng = self.rng
        return self.messy(rng.choice(YES) if rng.random() < p_yes else rng.choice(NO),
                          BAD_FLAGS)

    def count(self, n: int) -> str:
        return self.messy(str(n), BAD_COUNTS)


@cache
def day_formats(offset: int) -> tuple[str, ...]:
    """Day ``offset`` after 2010-01-01 written as exports mix them, ten slots weighted:
    ISO five times, UK day-first three, dd-Mon-yyyy and an Excel serial once each."""
    day = dt.date(2010, 1, 1) + dt.timedelta(days=offset)
    iso, uk, mon = day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d-%b-%Y")
    return (iso,) * 5 + (uk,) * 3 + (mon, str((day - dt.date(1899, 12, 30)).days))


def fmt_day(rng: random.Random, offset: int) -> str:
    """Day ``offset`` after 2010-01-01 in one of the formats exports mix."""
    return day_formats(offset)[int(rng.random() * 10)]


def scheme_ref(rng: random.Random, n_schemes: int) -> str:
    """A scheme id from the schemes table; one in 2,000 names a scheme it does not list."""
    if rng.random() < 0.0005:
        return f"X{rng.randrange(50):03d}"
    return f"S{rng.randrange(n_schemes):05d}"


def write(path: Path, header: list[str], rows: Iterator[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)


SCHEME_HEADER = [
    "Scheme ID", "Scheme name", "Scheme type", "Host setting", "Host name", "Force",
    "Scheme lead", "Safeguarding lead", "Approved by", "Approval date", "Approval conditions",
    "Conditions last checked", "Conditions checked by", "Central registration",
    "Risk assessment date", "Min age", "Max age", "Off-site activities",
    "Social media accounts",
]


def schemes(rng: random.Random, n: int) -> Iterator[list[str]]:
    cell = Cells(rng, P_ODD["schemes"])
    for i in range(n):
        kind = cell.messy(rng.choice(OFFICIAL_TYPES + LOCAL_TYPES), ODD_TYPES)
        # an unofficial scheme calling itself cadets fails NAM-01; one of no known type
        # (a placeholder or an odd one) is a local project nobody approved
        names = OFFICIAL_NAMES if kind in OFFICIAL_TYPES or rng.random() < 0.1 else LOCAL_NAMES
        approved = kind in OFFICIAL_TYPES or (kind in LOCAL_TYPES and rng.random() < 0.92)
        age_min = rng.choice([8, 9, 10, 13, 14])
        yield [
            f"S{i:05d}", f"Scheme {i} {rng.choice(names)}", kind,
            cell.messy(rng.choice(HOSTS), ODD_HOSTS), f"Host {i}", "Northshire",
            cell.text(f"Lead {i}"), cell.text("" if rng.random() < 0.03 else f"DSL {i}"),
            cell.text(f"Supt {i}") if approved else "",
            cell.date(3000 + rng.randrange(2000)) if approved else "",
            cell.text("no force trips; teacher present" if rng.random() < 0.95 else ""),
            cell.recent(90, 0.1, 400) if approved else "",
            cell.text(f"Insp {i}") if approved else "",
            cell.flag(0.95 if approved else 0.2), cell.recent(330, 0.05),
            cell.messy(str(age_min), ("8-10", "eleven")),
            cell.messy(str(age_min + rng.choice([2, 3, 4])), ("18+",)),
            cell.flag(0.6), cell.flag(0.5),
        ]


ADULT_HEADER = [
    "Scheme ID", "Person ID", "Name", "Role", "DOB", "Start date", "DBS level",
    "Barred list check", "DBS issue date", "First DBS issue date", "Update Service",
    "Status check date", "Vetting level", "Vetting expiry", "Safeguarding training date",
    "First safeguarding training date", "Social media briefing date", "Code of conduct signed",
    "Regulated activity", "Supervised by", "References received", "Last supervision",
]


def adults(rng: random.Random, n: int, n_schemes: int) -> Iterator[list[str]]:
    # most adults are in order, as in a real register; each check has a few lapses
    cell = Cells(rng, P_ODD["adults"])
    for i in range(n):
        role = rng.choices(ROLES, ROLE_WEIGHTS)[0]
        police = role in POLICE
        born = (AS_OF - 18 * YEAR - rng.randrange(-340, -30) if rng.random() < 0.005
                else -18000 + rng.randrange(12000))  # a few are not yet 18
        dbs = (AS_OF - 1060 + rng.randrange(1060) if rng.random() < 0.97
               else 2000 + rng.randrange(3000))
        start = min(dbs + rng.randrange(90) if rng.random() < 0.98 else dbs - 30, AS_OF - 9)
        # the first certificate: the latest one, or an earlier one the latest renewed
        first_dbs = dbs if start >= dbs or rng.random() < 0.5 else start - rng.randrange(400)
        first_training = (start - 5 - rng.randrange(60) if rng.random() < 0.98
                          else start + 31 + rng.randrange(90))
        level = cell.messy(rng.choices(LEVELS, LEVEL_WEIGHTS)[0], ODD_LEVELS)
        # a bare "Enhanced" often leaves the barred-list check unclear too
        barred = (rng.choice(("TBC", "maybe", "N")) if level == "Enhanced" and rng.random() < 0.1
                  else cell.flag(0.98))
        regulated = cell.flag(0.85)
        # nor is a supervisor named while it is unclear whether the adult needs one
        unclear = regulated in PLACEHOLDERS or regulated in BAD_FLAGS
        named = rng.random() < (0.5 if unclear else 0.98)
        supervisor = f"Leader {i % 97}" if named else ""
        yield [
            scheme_ref(rng, n_schemes), f"P{i:07d}", f"Adult {i}", cell.messy(role, ODD_ROLES),
            cell.date(born), cell.date(start),
            level, barred,
            cell.date(dbs), cell.date(first_dbs) if rng.random() < 0.97 else "",
            cell.flag(0.4), cell.recent(1000, 0.03) if rng.random() < 0.98 else "",
            cell.messy(rng.choice(POLICE_VETTING if police else OTHER_VETTING), ODD_VETTING),
            cell.date(AS_OF + 30 + rng.randrange(2500) if rng.random() < 0.98
                      else AS_OF - 1 - rng.randrange(600)),
            cell.date(training(rng, start)),
            cell.date(first_training) if rng.random() < 0.97 else "",
            cell.recent(360, 0.02) if rng.random() < 0.99 else "",
            cell.flag(0.99), regulated, cell.text(supervisor),
            cell.count(2 if rng.random() < 0.98 else rng.choice([0, 1])),
            cell.recent(28, 0.05, 300) if police else "",
        ]


def training(rng: random.Random, start: int) -> int:
    """Safeguarding training: before starting for recent starters, else a refresher."""
    if rng.random() < 0.02:
        return 3000 + rng.randrange(2000)  # lapsed
    if start > AS_OF - 3 * YEAR:  # started within 3 years of the as-of date
        return start - 5 - rng.randrange(60)
    return AS_OF - 1060 + rng.randrange(1060)


ACTIVITY_HEADER = [
    "Scheme ID", "Activity ID", "Date", "Type", "Arranged by", "Teacher present",
    "Teacher present throughout", "Adults present", "Young people present",
    "Risk assessment date", "Consent forms", "First aider present",
]


def activities(rng: random.Random, n: int, n_schemes: int) -> Iterator[list[str]]:
    cell = Cells(rng, P_ODD["activities"])
    for i in range(n):
        day = AS_OF - 360 + rng.randrange(355)
        adults_present = rng.choice([2, 2, 2, 3, 3, 4]) if rng.random() < 0.98 else 1
        # within the strictest ratio (1:6) mostly; now and then over the most lenient
        young = (rng.randrange(4, adults_present * 6 + 1) if rng.random() < 0.97
                 else adults_present * 10 + rng.randrange(1, 6))
        assessed = day - rng.randrange(1, 60) if rng.random() < 0.97 else day + rng.randrange(1, 9)
        consents = young if rng.random() < 0.97 else young - rng.choice([1, 2])
        yield [
            scheme_ref(rng, n_schemes), f"A{i:07d}", cell.date(day),
            cell.messy(rng.choices(KINDS, KIND_WEIGHTS)[0], ODD_KINDS),
            cell.messy(rng.choices(ARRANGED, ARRANGED_WEIGHTS)[0], ODD_ARRANGED),
            cell.flag(0.97), cell.flag(0.97), cell.count(adults_present), cell.count(young),
            cell.date(assessed), cell.count(consents), cell.flag(0.98),
        ]


def generate(out: Path, n_schemes: int, n_adults: int, n_activities: int, seed: int) -> None:
    """Write schemes.csv, adults.csv and activities.csv into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    write(out / "schemes.csv", SCHEME_HEADER, schemes(rng, n_schemes))
    write(out / "adults.csv", ADULT_HEADER, adults(rng, n_adults, n_schemes))
    write(out / "activities.csv", ACTIVITY_HEADER, activities(rng, n_activities, n_schemes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--schemes", type=int, default=20_000)
    parser.add_argument("--adults", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.schemes, args.adults, args.activities, args.seed)


if __name__ == "__main__":
    main()

"""Generate a synthetic register as CSV files (one per table) for the benchmark.

    python benchmarks/generate.py OUT_DIR [--schemes 20000] [--adults 1000000]
                                          [--activities 200000] [--seed 1]

Values look like real exports: mixed date formats, Y/yes/TRUE, TBC and blanks, a few
unreadable values, and schemes of every type, so every check kind does real work.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

TYPES = ["VPC unit", "Mini Police", "Locally run", "official", "unofficial"]
HOSTS = ["School", "Community centre", "Police station", "Primary school", "Youth club"]
LEVELS = ["Enhanced + barred", "Enhanced with barred list", "Enhanced", "Basic", "TBC", ""]
LEVEL_WEIGHTS = [70, 20, 4, 1, 3, 2]
YES = ["Y", "yes", "TRUE", "Yes", "1", "x"]
NO = ["N", "no", "FALSE", "0"]
KINDS = ["session", "Session", "trip", "offsite", "residential", "deployment"]
KIND_WEIGHTS = [70, 10, 8, 6, 3, 3]
ARRANGED = ["School", "Force", "PCSO", "Scheme", "Parents", ""]


def day_text(rng: random.Random, start: int, span: int) -> str:
    """A date ``start`` to ``start + span`` days after 2010-01-01, in a format exports mix."""
    return fmt_day(rng, start + rng.randrange(span))


def fmt_day(rng: random.Random, offset: int) -> str:
    """Day ``offset`` after 2010-01-01 as ISO, UK day-first, dd-Mon-yyyy or an Excel serial."""
    day = dt.date(2010, 1, 1) + dt.timedelta(days=offset)
    style = rng.randrange(10)
    if style < 5:
        return day.isoformat()
    if style < 8:
        return day.strftime("%d/%m/%Y")
    if style < 9:
        return day.strftime("%d-%b-%Y")
    return str((day - dt.date(1899, 12, 30)).days)


def flag(rng: random.Random, p_yes: float) -> str:
    r = rng.random()
    if r < 0.02:
        return rng.choice(["", "TBC", "pending"])
    return rng.choice(YES) if r < p_yes else rng.choice(NO)


def write(path: Path, header: list[str], rows: object) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)  # type: ignore[arg-type]


def schemes(rng: random.Random, n: int) -> object:
    for i in range(n):
        kind = rng.choice(TYPES)
        name = f"Scheme {i} " + rng.choice(["Volunteer Police Cadets", "Junior Police Club",
                                             "Police Cadets", "Mini Police", "Youth Club"])
        approved = rng.random() < 0.9
        age_min = rng.choice([8, 9, 10, 13, 14])
        yield [f"S{i:05d}", name, kind, rng.choice(HOSTS), f"Host {i}", "Northshire",
               f"Lead {i}", "" if rng.random() < 0.1 else f"DSL {i}",
               f"Supt {i}" if approved else "", day_text(rng, 3000, 2000) if approved else "",
               "no force trips; teacher present" if rng.random() < 0.5 else "",
               flag(rng, 0.85),
               day_text(rng, 5850, 310) if rng.random() < 0.9 else day_text(rng, 4000, 1500),
               str(age_min),
               str(age_min + rng.choice([2, 3, 4])), flag(rng, 0.6), flag(rng, 0.5)]


def adults(rng: random.Random, n: int, n_schemes: int) -> object:
    # most adults are in order, as in a real register; about one in ten has a lapse
    for i in range(n):
        # 2010-01-01 + 6169 days is the benchmark's as-of date, 2026-11-22
        dbs = 5100 + rng.randrange(1060) if rng.random() < 0.9 else 2000 + rng.randrange(3000)
        start = dbs + rng.randrange(90) if rng.random() < 0.95 else dbs - 30
        yield [f"S{rng.randrange(n_schemes):05d}", f"P{i:07d}", f"Adult {i}",
               rng.choice(["Leader", "PCSO", "PC", "Special", "Volunteer", "Teacher"]),
               day_text(rng, -18000, 12000), fmt_day(rng, min(start, 6160)),
               rng.choices(LEVELS, LEVEL_WEIGHTS)[0], flag(rng, 0.95), fmt_day(rng, dbs),
               flag(rng, 0.4), day_text(rng, 5100, 1060),
               rng.choice(["NPPV2", "NPPV3", "RV", ""]), day_text(rng, 6200, 2500),
               fmt_day(rng, training(rng, min(start, 6160))),
               day_text(rng, 5810, 355) if rng.random() < 0.85 else "",
               flag(rng, 0.95)]


def training(rng: random.Random, start: int) -> int:
    """Safeguarding training: before starting for recent starters, else a refresher."""
    if rng.random() < 0.08:
        return 3000 + rng.randrange(2000)  # lapsed
    if start > 5074:  # started within 3 years of the as-of date
        return start - 5 - rng.randrange(60)
    return 5100 + rng.randrange(1060)


def activities(rng: random.Random, n: int, n_schemes: int) -> object:
    for i in range(n):
        young = rng.randrange(4, 30)
        yield [f"S{rng.randrange(n_schemes):05d}", f"A{i:07d}", day_text(rng, 5800, 360),
               rng.choices(KINDS, KIND_WEIGHTS)[0], rng.choice(ARRANGED), flag(rng, 0.8),
               str(rng.choice([2, 2, 2, 2, 3, 3, 4, 4, 1])), str(young), day_text(rng, 5700, 100),
               str(young - rng.choice([0, 0, 0, 1, 2])), flag(rng, 0.8)]


def generate(out: Path, n_schemes: int, n_adults: int, n_activities: int, seed: int) -> None:
    """Write schemes.csv, adults.csv and activities.csv into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    write(out / "schemes.csv",
          ["Scheme ID", "Scheme name", "Scheme type", "Host setting", "Host name", "Force",
           "Scheme lead", "Safeguarding lead", "Approved by", "Approval date",
           "Approval conditions", "Central registration", "Risk assessment date", "Min age",
           "Max age", "Off-site activities", "Social media accounts"],
          schemes(rng, n_schemes))
    write(out / "adults.csv",
          ["Scheme ID", "Person ID", "Name", "Role", "DOB", "Start date", "DBS level",
           "Barred list check", "DBS issue date", "Update Service", "Status check date",
           "Vetting level", "Vetting expiry", "Safeguarding training date",
           "Social media briefing date", "Code of conduct signed"],
          adults(rng, n_adults, n_schemes))
    write(out / "activities.csv",
          ["Scheme ID", "Activity ID", "Date", "Type", "Arranged by", "Teacher present",
           "Adults present", "Young people present", "Risk assessment date", "Consent forms",
           "First aider present"],
          activities(rng, n_activities, n_schemes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--schemes", type=int, default=20_000)
    parser.add_argument("--adults", type=int, default=1_000_000)
    parser.add_argument("--activities", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.schemes, args.adults, args.activities, args.seed)


if __name__ == "__main__":
    main()

"""Write examples/register.xlsx: a small, realistic and deliberately messy scheme register.

    python examples/make_register.py [OUT.xlsx] [--csv DIR]

Five schemes with the typical gaps, laid out the way real exports are (S-001 is the
unofficial school scheme of the IOPC learning case "Unofficial cadet scheme": a teacher who
leaves after registration, a force-arranged trip, "cadets" in the name, and nobody checking
its conditions or supervising its PCSOs): title rows above
the headers, header names that differ from the canonical columns, dates as ISO text, UK
day-first text, dd-Mon-yyyy, real date cells and bare Excel serial numbers, flags as
Y/yes/TRUE/1/x, placeholders (TBC, pending), an impossible date, a person in a scheme
the schemes sheet does not list. ``--csv DIR`` also writes the same rows as CSV files
(schemes.csv in UTF-8 with a byte-order mark, adults.csv in Windows-1252), as Excel
would save them. Needs openpyxl (a test dependency).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path
from typing import Any

D = dt.date
TITLE = ["Northshire Police: youth schemes register", None, None]
EXPORTED = ["Exported 20/11/2026 by the central VPC team", None, None]

SCHEMES: list[list[Any]] = [
    ["Scheme ID", "Scheme Name", "Type", "Host setting", "School / venue", "Force",
     "Scheme lead", "DSL", "Approved by", "Date approved", "Conditions",
     "Registered centrally", "Venue risk assessment", "Min age", "Max age", "Trips",
     "Social media", "Conditions last checked", "Conditions checked by"],
    ["S-001", "Oakfield Primary Police Cadets", "Locally run", "Primary school",
     "Oakfield Primary School", "Northshire", "PCSO B. Hughes", "Mrs K. Ahmed (DSL)",
     "Ch Insp M. Reid", "03/09/2024", "No force trips; teacher always present; no 'cadet'",
     "Y", D(2026, 9, 1), 9, 11, "yes", "no", "", ""],
    ["S-002", "Eastfield Volunteer Police Cadets", "VPC unit", "Police station",
     "Eastfield Police Station", "Northshire", "Sgt R. Patel", "PS J. Moore", "Supt A. Khan",
     "2019-04-01", "", "TRUE", "14-Feb-2026", 13, 17, "Y", "Y", "", ""],
    ["S-003", "Riverside Junior Police Club", "unofficial", "Community centre",
     "Riverside Community Centre", "Northshire", "PC L. Grant", "", "TBC", "", "",
     "N", "pending", 10, 14, "N", "yes", "", ""],
    ["S-004", "Northgate Mini Police", "Mini Police", "School", "Northgate Academy",
     "Northshire", "PCSO D. Evans", "Mr T. Shah", "Insp P. Cole", 45200, "", 1,
     45900, 8, 10, "no", "no", "", ""],
    ["S-005", "Hillcrest VPC", "official", "Police premises", "Hillcrest Police Office",
     "Northshire", "PS H. Wood", "PC S. Fox", "Supt A. Khan", "01/06/2021", "", "x",
     "2026-03-30", 13, 18, "yes", "yes", "", ""],
]

ADULTS: list[list[Any]] = [
    ["Scheme", "Staff ID", "Full name", "Role", "DOB", "Start date", "DBS Level",
     "Barred list check", "DBS Issue Date", "Update Service", "Status check date",
     "Vetting", "Vetting expiry", "Safeguarding training", "Social media briefing",
     "Code of conduct signed", "In regulated activity", "Supervised by", "References received",
     "Last supervisor one-to-one"],
    ["S-001", "P-101", "Ben Hughes", "PCSO", "12/05/1984", "01/06/2018", "Enhanced + barred",
     "Y", "02/03/2018", "N", "", "RV", "2028-01-31", "2025-09-01", "15-Jan-2026", "Y",
     "Y", "", "", ""],
    ["S-001", "P-102", "Cara Lewis", "PCSO", "1990-07-19", "2019-09-01",
     "Enhanced with barred list", "yes", "2024-08-20", "no", "", "RV", "2029-05-31",
     D(2024, 9, 3), "2026-01-15", "yes", "yes", "", "", ""],
    ["S-002", "P-201", "Ravi Patel", "Sergeant", "1979-02-11", "2019-04-01",
     "Enhanced + barred, update service", "Y", "2019-03-01", "Y", "2026-10-01", "MV",
     "2030-12-31", "2025-05-10", "2026-09-12", "Y", "Y", "", "", "2026-11-05"],
    ["S-002", "P-202", "Jo Moore", "Police staff", "1985-10-30", "2021-01-10",
     "Enhanced + barred", "Y", "2020-12-01", "Y", "2026-09-15", "RV", "2029-06-30",
     "2025-11-20", "2026-09-12", "Y", "Y", "", "", "2026-10-30"],
    ["S-002", "P-203", "Amy Ward", "Volunteer leader", "1998-04-04", "2024-02-01",
     "Enhanced + barred", "TRUE", "2024-01-15", "N", "", "NPPV2", "2030-01-31",
     "2024-01-20", "2026-09-12", "1", "Y", "", 2, ""],
    ["S-003", "P-301", "Lee Grant", "PC", "1988-08-08", "2022-03-01", "Enhanced",
     "TBC", "2022-02-01", "N", "", "RV", "2031-03-01", "31/02/2025", "", "N", "Y", "", "",
     "2026-06-01"],
    ["S-003", "P-302", "Seán Núñez", "Volunteer", "2009-02-01", "2025-05-01", "Basic",
     "N", "2025-04-10", "N", "", "", "", "2025-04-20", "", "Y", "Y", "", 0, ""],
    ["S-004", "P-401", "Dai Evans", "PCSO", "1992-11-02", "2023-09-01",
     "Enhanced + barred", "Y", 45100, "Y", 45850, "NPPV2", 47000, 45150, 45900, "Y", "Y", "",
     "", "2026-11-01"],
    ["S-004", "P-402", "Tariq Shah", "Teacher", "1987-03-15", "2023-09-01",
     "Enhanced + barred", "Y", 45000, "N", "", "", "", 45160, 45900, "Y", "Y", "", "", ""],
    ["S-005", "P-501", "Hana Wood", "Sergeant", "1983-01-20", "2021-06-01", "Enhanced",
     "Y", "2021-05-01", "Y", "2026-05-01", "MV", "2029-01-01", "2024-03-01",
     "2026-02-01", "Y", "Y", "", "", "2026-11-10"],
    ["S-005", "P-502", "Simon Fox", "PC", "1991-12-12", "2021-06-01", "Enhanced + barred",
     "Y", "2021-05-20", "N", "", "RV", "2026-10-01", "2023-01-15", "2025-06-01", "Y", "Y",
     "", "", "2026-10-28"],
    ["S-009", "P-901", "Pat Doe", "Volunteer", "1970-01-01", "2020-01-01",
     "Enhanced + barred", "Y", "2019-12-01", "N", "", "", "", "2025-01-01", "", "Y", "Y", "",
     1, ""],
    # a supervised parent helper, recorded last as a late addition: not in regulated activity
    ["S-002", "P-204", "Tom Nash", "Parent helper", "1980-06-30", "2026-05-03",
     "Enhanced", "N", "2026-04-20", "N", "", "", "", "2026-05-20", "2026-09-12", "Y",
     "N", "P-201", 2, ""],
]

ACTIVITIES: list[list[Any]] = [
    ["Scheme", "Activity ID", "Date", "Type", "Organised by", "Teacher present",
     "Teacher present throughout", "Adults present", "Young people present", "Risk assessment",
     "Consent forms", "First aider present"],
    ["S-001", "A-1001", "2026-09-10", "Session", "Scheme", "Y", "N", 2, 14, "", "", "Y"],
    ["S-001", "A-1002", "17/09/2026", "Session", "Scheme", "N", "N", 2, 15, "", "", "Y"],
    ["S-001", "A-1003", "24/09/2026", "Session", "Scheme", "yes", "yes", 3, 15, "", "", "Y"],
    ["S-001", "A-1004", "03-Oct-2026", "Field trip", "PCSO B. Hughes", "Y", "Y", 3, 15,
     "2026-09-28", 15, "Y"],
    ["S-002", "A-2001", "2026-10-01", "Unit meeting", "Unit", "", "", 3, 22, "", "", "Y"],
    ["S-002", "A-2002", "2026-10-08", "Unit meeting", "Unit", "", "", 3, 24, "", "", "Y"],
    ["S-002", "A-2003", "2026-10-18", "Deployment", "Force", "", "", 4, 12, "2026-10-10",
     12, "Y"],
    ["S-003", "A-3001", "2026-10-05", "Session", "Scheme", "", "", 1, 9, "", "", "N"],
    ["S-003", "A-3002", "2026-10-12", "Session", "Scheme", "", "", "TBC", 11, "", "", "N"],
    ["S-004", "A-4001", 46280, "Session", "School", "Y", "Y", 2, 12, "", "", "Y"],
    ["S-004", "A-4002", 46287, "Session", "School", "Y", "Y", 2, 13, "", "", "Y"],
    ["S-005", "A-5001", "2026-10-03", "Residential", "Unit", "", "", 3, 20, "2026-10-05",
     17, "Y"],
]

CHANNELS: list[list[Any]] = [
    ["Scheme", "Platform", "Handle", "Account type", "Approved centrally", "Access list held",
     "DMs used"],
    ["S-002", "Instagram", "@eastfieldvpc", "Official", "Y", "Y", "N"],
    ["S-003", "WhatsApp", "PC Grant (personal phone)", "Personal", "N", "N", "Y"],
    ["S-005", "Facebook", "Hillcrest VPC", "Official", "Y", "", "N"],
]

CONTACT_LOG: list[list[Any]] = [
    ["Scheme", "Entry ID", "Date", "Adult", "Channel", "Direction", "Reported to supervisor",
     "Reported to central team", "Logged on risk register"],
    ["S-002", "C-01", "2026-08-14", "P-203", "Instagram", "Young person to adult",
     "2026-08-14", "2026-08-15", "2026-08-15"],
    ["S-005", "C-02", "2026-09-02", "P-502", "Snapchat", "From young person", "2026-09-03",
     "", ""],
]

SHEETS = {
    "Schemes": SCHEMES, "Leaders": ADULTS, "Activity log": ACTIVITIES,
    "Social media": CHANNELS, "Contact log": CONTACT_LOG,
}
CSV_NAMES = {"Schemes": "schemes", "Leaders": "adults", "Activity log": "activities",
             "Social media": "channels", "Contact log": "contact_log"}


def write_xlsx(path: Path) -> None:
    """The register as one workbook, a sheet per table, with title rows above two of them."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in SHEETS.items():
        sheet = book.create_sheet(name)
        if name in ("Schemes", "Leaders"):
            sheet.append(TITLE)
            sheet.append(EXPORTED)
            sheet.append([])
        for row in rows:
            sheet.append(row)
    book.save(path)


def cell_text(value: Any) -> str:
    """A cell as Excel writes it to CSV (dates day-first, as a UK Excel does)."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def write_csv(directory: Path) -> None:
    """The same register as CSV files: a BOM on one, Windows-1252 on another."""
    directory.mkdir(parents=True, exist_ok=True)
    for sheet, rows in SHEETS.items():
        name = CSV_NAMES[sheet]
        encoding = {"schemes": "utf-8-sig", "adults": "cp1252"}.get(name, "utf-8")
        with (directory / f"{name}.csv").open("w", newline="", encoding=encoding) as handle:
            out = csv.writer(handle)
            if sheet in ("Schemes", "Leaders"):  # the same title rows as the workbook
                out.writerows([[TITLE[0]], [EXPORTED[0]], []])
            out.writerows([cell_text(v) for v in row] for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path,
                        default=Path(__file__).with_name("register.xlsx"))
    parser.add_argument("--csv", type=Path, default=None, help="also write CSV files here")
    args = parser.parse_args()
    write_xlsx(args.out)
    if args.csv is not None:
        write_csv(args.csv)


if __name__ == "__main__":
    main()

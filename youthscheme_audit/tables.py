"""The register contract: tables, canonical columns, their value types and header synonyms.

A register export has one sheet (or CSV file) per table. Headers are matched after
``normalise_header`` (case, spaces and punctuation ignored) against each column's
name and synonyms. Value types name a parser in ``values.py``; vocabularies are the
closed sets some columns (and profile fields) take, with the spellings real exports use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# value -> spellings seen in exports (matched after normalise_header)
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "scheme_type": {
        "official": (
            "official", "vpc", "vpc unit", "volunteer police cadets", "police cadets",
            "mini police", "junior cadets", "junior police cadets", "official vpc",
        ),
        "unofficial": (
            "unofficial", "locally run", "local", "local scheme", "cadet like",
            "community scheme", "school scheme", "informal",
        ),
        "force": ("force", "force wide", "whole force"),
    },
    "host_type": {
        "school": ("school", "primary school", "secondary school", "academy", "college"),
        "community": (
            "community", "community venue", "community centre", "village hall",
            "youth club", "church hall", "leisure centre",
        ),
        "police": ("police", "police premises", "police station", "station", "force premises"),
        "other": ("other",),
    },
    "activity_kind": {
        "session": ("session", "meeting", "weekly session", "unit meeting", "club"),
        "offsite": ("offsite", "off site", "trip", "field trip", "visit", "day trip", "outing"),
        "residential": ("residential", "camp", "overnight", "weekend away"),
        "deployment": ("deployment", "event deployment", "patrol", "work experience patrol"),
    },
    "arranged_by": {
        "force": ("force", "police", "pcso", "officer", "gmp", "constabulary", "police force"),
        "school": ("school", "teacher", "host school"),
        "scheme": ("scheme", "unit", "leaders", "scheme lead"),
        "other": ("other", "parents", "provider", "third party"),
    },
    "account_type": {
        "official": ("official", "corporate", "force", "official group", "official other"),
        "personal": ("personal", "individual", "personal professional", "private"),
    },
    "direction": {
        "to_adult": (
            "to adult", "young person to adult", "yp to adult", "from young person",
            "from cadet", "inbound", "incoming", "cadet to adult",
        ),
        "to_young_person": (
            "to young person", "adult to young person", "adult to yp", "from adult",
            "outbound", "outgoing", "adult to cadet",
        ),
    },
    # who an adult is decides which checks apply (a teacher checked by the host school holds
    # no force vetting; a PCSO holds recruitment vetting, not non-police personnel vetting)
    "role": {
        "officer": (
            "officer", "police officer", "pc", "police constable", "constable", "dc",
            "detective constable", "sergeant", "sgt", "ps", "police sergeant", "inspector",
            "insp", "chief inspector", "ch insp", "superintendent", "supt",
            "neighbourhood officer", "schools officer", "school liaison officer",
            "school based officer", "safer schools officer", "beat officer",
        ),
        "special": ("special", "special constable", "specials", "special sergeant",
                    "special inspector"),
        "pcso": ("pcso", "police community support officer", "community support officer"),
        "police_staff": (
            "police staff", "member of police staff", "civilian staff", "police employee",
            "vpc coordinator", "cadet coordinator", "police staff coordinator",
        ),
        "volunteer": (
            "volunteer", "volunteer leader", "leader", "cadet leader", "vpc leader",
            "unit leader", "police support volunteer", "psv", "adult volunteer",
            "community volunteer", "assistant leader", "volunteer cadet leader", "helper",
        ),
        "school_staff": (
            "teacher", "school staff", "teaching assistant", "ta", "head teacher",
            "headteacher", "deputy head", "class teacher", "host school staff",
            "learning support assistant", "school staff member",
        ),
        "parent": ("parent", "parent helper", "parent volunteer", "carer", "guardian"),
        "young_leader": ("young leader", "junior leader", "young volunteer", "student helper",
                         "peer leader"),
        "guest": ("guest", "visitor", "guest speaker", "visiting speaker", "speaker"),
        "other": ("other",),
    },
    # force vetting levels (College of Policing APP): RV and MV for police personnel, NPPV
    # for everyone else; SC and DV are national security vetting on top of them
    "vetting_level": {
        "rv": ("rv", "recruitment vetting", "rv sc", "rv and sc"),
        "mv": ("mv", "management vetting", "mv sc", "mv and sc", "mv dv"),
        "nppv1": ("nppv1", "nppv 1", "nppv level 1", "nppv l1"),
        "nppv2": ("nppv2", "nppv 2", "nppv level 2", "nppv l2", "nppv2 full",
                  "nppv 2 full", "nppv2 abbreviated", "nppv 2 abbreviated"),
        "nppv3": ("nppv3", "nppv 3", "nppv level 3", "nppv l3"),
        "sc": ("sc", "security check", "nsv sc"),
        "dv": ("dv", "developed vetting"),
        "ctc": ("ctc", "counter terrorist check", "counter terrorism check"),
        "none": ("none", "not vetted", "no vetting"),
    },
    "dbs_level": {
        "basic": ("basic",),
        "standard": ("standard",),
        "enhanced": ("enhanced", "enhanced adult", "enhanced no barred list"),
        "enhanced_barred": (
            "enhanced barred", "enhanced with barred list", "enhanced barred list",
            "enhanced children barred list", "enhanced child barred", "enhanced with barring",
        ),
    },
}

# value types with a parser in values.py; every vocabulary name is also a type
BASE_TYPES = frozenset({"text", "bool", "date", "int"})


@dataclass(frozen=True)
class Column:
    """One canonical column of a register table."""

    name: str
    type: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One table of a register export."""

    name: str
    key: str | None  # the column that names a record in findings (person_id, activity_id ...)
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()  # other sheet / file names for the table
    required: bool = False

    def column(self, name: str) -> Column | None:
        """The column called ``name``, if the table has one."""
        return next((c for c in self.columns if c.name == name), None)


def _c(name: str, type_: str, label: str, *synonyms: str) -> Column:
    return Column(name, type_, label, synonyms)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            "schemes",
            "scheme_id",
            (
                _c("scheme_id", "text", "scheme ID", "scheme", "scheme ref", "scheme code",
                   "unit id", "id", "scheme number", "unit code"),
                _c("scheme_name", "text", "scheme name", "name", "unit name", "unit", "title"),
                _c("scheme_type", "scheme_type", "scheme type", "type", "unit type",
                   "scheme category", "category"),
                _c("host_type", "host_type", "host setting", "host", "venue type", "setting",
                   "host setting", "host venue type"),
                _c("host_name", "text", "host name", "venue", "school", "host venue",
                   "venue name", "school name", "school venue", "school or venue"),
                _c("force", "text", "force", "police force"),
                _c("lead_name", "text", "scheme lead", "lead", "scheme lead name", "coordinator",
                   "unit lead", "leader"),
                _c("safeguarding_lead", "text", "safeguarding lead", "dsl",
                   "designated safeguarding lead", "safeguarding officer"),
                _c("approved_by", "text", "approved by", "approving officer", "approver",
                   "authorised by", "sponsor"),
                _c("approval_date", "date", "approval date", "date approved", "approved on",
                   "authorised date"),
                _c("approval_conditions", "text", "approval conditions", "conditions",
                   "conditions of approval"),
                _c("conditions_checked_date", "date", "conditions last checked",
                   "conditions checked", "conditions check date", "date conditions checked",
                   "last conditions check"),
                _c("conditions_checked_by", "text", "conditions checked by",
                   "conditions checker", "checked by"),
                _c("central_registration", "bool", "central registration",
                   "registered centrally", "central vpc registration", "on force register",
                   "registered", "central register"),
                _c("risk_assessment_date", "date", "venue risk assessment date",
                   "risk assessment", "venue risk assessment", "ra date", "risk assessment date"),
                _c("age_min", "int", "youngest age", "min age", "minimum age", "age from",
                   "lowest age"),
                _c("age_max", "int", "oldest age", "max age", "maximum age", "age to",
                   "highest age"),
                _c("offsite_activities", "bool", "off-site activities", "offsite",
                   "trips", "runs trips", "off site activities", "offsite activity"),
                _c("social_media_accounts", "bool", "social media accounts", "social media",
                   "has social media", "social media account"),
            ),
            ("scheme", "scheme register", "units", "unit register", "register"),
            required=True,
        ),
        TableSpec(
            "adults",
            "person_id",
            (
                _c("scheme_id", "text", "scheme ID", "scheme", "scheme ref", "unit id"),
                _c("person_id", "text", "person ID", "person", "staff id", "volunteer id",
                   "adult id", "id", "collar number", "payroll number", "ref"),
                _c("name", "text", "name", "full name", "adult name", "volunteer name"),
                _c("role", "role", "role", "position", "job title", "role in scheme"),
                _c("date_of_birth", "date", "date of birth", "dob", "birth date"),
                _c("start_date", "date", "start date", "started", "date started", "joined",
                   "join date", "date joined"),
                _c("dbs_level", "dbs_level", "DBS level", "dbs", "dbs type", "level of dbs",
                   "dbs check level", "disclosure level", "dbs check"),
                _c("dbs_barred_list", "bool", "children's barred list check", "barred list",
                   "barred list check", "children's barred list", "child barred list",
                   "barring check", "dbs barred"),
                _c("dbs_issue_date", "date", "DBS issue date", "dbs date", "dbs issued",
                   "date of dbs", "dbs certificate date", "certificate date",
                   "dbs issue", "date dbs issued", "latest dbs issue date"),
                _c("dbs_first_issue_date", "date", "first DBS issue date", "first dbs date",
                   "original dbs date", "first dbs issued", "first dbs certificate date",
                   "date of first dbs"),
                _c("dbs_update_service", "bool", "DBS Update Service", "update service",
                   "on update service", "dbs update", "update service subscriber"),
                _c("dbs_status_check_date", "date", "Update Service status check date",
                   "status check date", "update service check date", "last status check",
                   "dbs status check"),
                _c("vetting_level", "vetting_level", "vetting level", "vetting",
                   "police vetting", "force vetting", "vetting clearance"),
                _c("vetting_expiry", "date", "vetting expiry", "vetting expires",
                   "vetting expiry date", "vetting renewal date", "vetting review date"),
                _c("safeguarding_training_date", "date", "safeguarding training date",
                   "safeguarding training", "child protection training",
                   "safeguarding course date", "training date", "safeguarding completed",
                   "latest safeguarding training date"),
                _c("first_safeguarding_training_date", "date", "first safeguarding training date",
                   "first training date", "induction safeguarding training",
                   "first safeguarding training", "initial safeguarding training"),
                _c("social_media_briefing_date", "date", "social media briefing date",
                   "social media briefing", "social media input", "social media policy briefing",
                   "social media acknowledged"),
                _c("code_of_conduct_signed", "bool", "code of conduct signed",
                   "code of conduct", "code signed", "conduct code signed"),
                _c("regulated_activity", "bool", "in regulated activity", "regulated activity",
                   "regulated", "unsupervised regular contact"),
                _c("supervised_by", "text", "supervised by",
                   "named supervisor", "supervising leader"),
                _c("references_received", "int", "references received", "references",
                   "no of references", "number of references"),
                _c("supervisor_review_date", "date", "last supervisor one-to-one",
                   "supervisor one to one", "last one to one", "one to one date",
                   "supervision meeting date", "last supervision"),
            ),
            ("adult", "leaders", "volunteers", "staff", "people", "adult register",
             "dbs log", "leader register"),
        ),
        TableSpec(
            "activities",
            "activity_id",
            (
                _c("scheme_id", "text", "scheme ID", "scheme", "scheme ref", "unit id"),
                _c("activity_id", "text", "activity ID", "activity", "session id", "event id",
                   "ref", "id"),
                _c("date", "date", "date", "activity date", "session date", "event date"),
                _c("kind", "activity_kind", "kind", "type", "activity type", "session type",
                   "event type"),
                _c("arranged_by", "arranged_by", "arranged by", "organised by", "organized by",
                   "organiser", "arranged"),
                _c("teacher_present", "bool", "teacher present", "teacher", "school staff present",
                   "teacher in attendance"),
                _c("teacher_throughout", "bool", "teacher present throughout",
                   "teacher present whole session", "teacher stayed throughout",
                   "teacher throughout", "teacher present for whole session"),
                _c("adults_present", "int", "adults present", "adults", "number of adults",
                   "leaders present", "no of adults", "staff present"),
                _c("young_people_present", "int", "young people present", "young people",
                   "cadets present", "children present", "attendees", "number of young people",
                   "no of young people", "participants"),
                _c("risk_assessment_date", "date", "risk assessment date", "risk assessment",
                   "ra date", "ra completed"),
                _c("consent_forms", "int", "consent forms", "consent forms received",
                   "consents", "permission forms", "health and permission forms"),
                _c("first_aider_present", "bool", "first aider present", "first aider",
                   "first aid cover"),
            ),
            ("activity", "sessions", "events", "trips", "activity log", "session log"),
        ),
        TableSpec(
            "channels",
            "account",
            (
                _c("scheme_id", "text", "scheme ID", "scheme", "scheme ref", "unit id"),
                _c("platform", "text", "platform", "channel", "network", "app"),
                _c("account", "text", "account", "handle", "account name", "username"),
                _c("account_type", "account_type", "account type", "type", "ownership"),
                _c("central_approval", "bool", "central approval", "approved centrally",
                   "approved", "approved by central team", "central vpc approval"),
                _c("access_list_held", "bool", "access list held", "access list",
                   "access list held centrally", "who has access recorded"),
                _c("direct_messages_used", "bool", "direct messages used", "direct messages",
                   "dms used", "private messaging used", "dm"),
            ),
            ("channel", "social media", "accounts", "social media accounts", "comms channels"),
        ),
        TableSpec(
            "contact_log",
            "entry_id",
            (
                _c("scheme_id", "text", "scheme ID", "scheme", "scheme ref", "unit id"),
                _c("entry_id", "text", "entry ID", "entry", "ref", "id", "log id"),
                _c("date", "date", "date", "contact date", "date of contact"),
                _c("adult_id", "text", "adult ID", "adult", "person id", "staff id"),
                _c("channel", "text", "channel", "platform"),
                _c("direction", "direction", "direction", "initiated by", "from"),
                _c("reported_supervisor_date", "date", "reported to supervisor",
                   "supervisor informed", "date reported to supervisor", "supervisor date"),
                _c("reported_central_date", "date", "reported to central team",
                   "central team informed", "date reported to central team",
                   "central vpc informed"),
                _c("logged_date", "date", "logged on risk register", "logged", "date logged",
                   "risk register date"),
            ),
            ("contact log", "contacts", "risk register", "contact register", "online contact"),
        ),
    )
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise_header(text: str) -> str:
    """Fold a header or value for matching: case, spaces and punctuation ignored."""
    return _NON_ALNUM.sub("", str(text).replace("\u00a0", " ").casefold())


def literal_problem(type_name: str, value: Any, allowed: Iterable[str] = ()) -> str | None:
    """What is wrong with a literal written in YAML for a field of this type, or None.

    ``type_name`` is a value type (a vocabulary name, bool, int, text, date) or ``choice``
    with its ``allowed`` values.
    """
    choices = list(allowed) or list(VOCABULARIES.get(type_name, ()))
    if choices and value not in choices:
        return f"'{value}' is not one of {', '.join(choices)}"
    if type_name == "bool" and not isinstance(value, bool):
        return f"'{value}' must be true or false"
    if type_name == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"'{value}' must be a whole number"
    return None

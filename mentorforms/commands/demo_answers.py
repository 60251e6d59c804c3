"""The demo's people and their answers: a roster of several departments with divisions, chairs,
mentors and an analyst, and plausible answers for each form, all from one seeded random source."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from mentorforms.forms import agreement, conference_part1, conference_part2
from mentorforms.records.roster import Person
from mentorforms.vocabulary.academic_year import AcademicYear
from mentorforms.vocabulary.record import CheckNote, Signature

DEPARTMENTS = {
    "Pediatrics": ("Cardiology", "Neonatology", "Emergency Medicine", "General Pediatrics"),
    "Surgery": ("General Surgery", "Orthopaedics", "Urology"),
    "Medicine": ("Hospital Medicine", "Infectious Diseases", "Endocrinology"),
    "Psychiatry": ("Child Psychiatry", "Adult Psychiatry"),
    "Radiology": ("Neuroradiology", "Interventional Radiology"),
}
RANKS = ("Instructor", "Assistant Professor", "Associate Professor", "Professor")
FIRST = ("Ana", "Ben", "Chen", "Dana", "Eli", "Fatima", "Grace", "Hiro", "Ines", "Jamal", "Kofi", "Lena", "Maya",
         "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Víctor", "Wen", "Zoë", "José", "Siobhán",
         "محمد", "Noa", "Łukasz", "Amara")
LAST = ("Abbott", "Barros", "Chen", "Diallo", "Evans", "Fischer", "García", "Huang", "Iyer", "Jensen", "Kim",
        "López", "Mensah", "Nakamura", "O'Brien", "Patel", "Quispe", "Rossi", "Singh", "Tanaka", "Ulloa", "Varga",
        "Williams", "Xu", "Yilmaz", "Zhang", "Núñez", "Müller", "כהן", "Okafor")
GOALS = (
    "Submit a K23 career development award", "Publish two first-author papers", "Lead the fellows' curriculum redesign",
    "Present at the national society meeting", "Build a quality-improvement project on sepsis",
    "Complete the teaching academy's course", "Prepare the promotion dossier", "Mentor two residents on research",
    "Protect one research day a week", "Join a journal's editorial board", "Start an outreach clinic",
    "Finish the MPH", "Secure pilot funding for the registry", "Write a review chapter",
)
SENTENCES = (
    "We will meet at a regular time and keep a shared agenda.",
    "Progress will be reviewed at every meeting against the timeline.",
    "Either of us can ask to revisit the plan at any time.",
    "Clinical duties often crowd out writing time; we will block protected time in advance.",
    "Conversations stay between us unless we agree otherwise.",
    "Feedback will be specific, timely and candid.",
    "The division's grant-writing group and the research coordinators were a great help.",
    "Balancing service weeks with deadlines was the hardest part of the year.",
)



def _name(rng: random.Random, used: set[str]) -> str:
    for _ in range(1000):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {len(used)}"
    used.add(name)
    return name


def make_roster(faculty: int, rng: random.Random) -> list[Person]:
    """``faculty`` faculty across the departments (one chair each, a designee in departments of ten
    or more, senior faculty as mentors, about one in six with no mentor assigned) plus two analysts."""
    used: set[str] = set()
    people: list[Person] = []
    departments = list(DEPARTMENTS)
    by_department: dict[str, list[Person]] = {department: [] for department in departments}
    for number in range(1, faculty + 1):
        department = departments[(number - 1) % len(departments)]
        rank_index = min(3, int(rng.random() ** 1.6 * 4))
        person = Person(
            person_id=f"F{number:05d}",
            name=_name(rng, used),
            department=department,
            email=f"f{number:05d}@example.org",
            division=rng.choice(DEPARTMENTS[department]),
            rank=RANKS[rank_index],
            roles=frozenset({"faculty", "mentor"} if rank_index >= 2 else {"faculty"}),
        )
        by_department[department].append(person)
    for members in by_department.values():
        if not members:
            continue
        chair = max(members, key=lambda person: (RANKS.index(person.rank), person.person_id))
        members[members.index(chair)] = Person(**{**chair.__dict__, "roles": chair.roles | {"chair", "mentor"}})
        # Larger departments name a designee, who holds conferences for the chair.
        seniors = sorted((person for person in members if person.has_role("mentor") and not person.has_role("chair")),
                         key=lambda person: (-RANKS.index(person.rank), person.person_id))
        if len(members) >= 10 and seniors:
            designee = seniors[0]
            members[members.index(designee)] = Person(**{**designee.__dict__, "roles": designee.roles | {"designee"}})
    for members in by_department.values():
        mentors = [person for person in members if person.has_role("mentor")]
        for index, person in enumerate(members):
            assigned: tuple[str, ...] = ()
            if mentors and rng.random() > 0.16:
                choices = [mentor.person_id for mentor in mentors if mentor.person_id != person.person_id]
                if choices:
                    assigned = tuple(rng.sample(choices, k=min(len(choices), 1 if rng.random() < 0.8 else 2)))
            members[index] = Person(**{**person.__dict__, "mentors": assigned})
        people.extend(members)
    analyst = frozenset({"analyst"})
    people.append(Person("A00001", "Alex Analyst", "Faculty Affairs", "analyst@example.org", "", "", analyst))
    people.append(Person("A00002", "Robin Reports", "Faculty Affairs", "reports@example.org", "", "", analyst))
    return people


def moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)),
                               tzinfo=dt.UTC)


def day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    span = max(0, (last - first).days)
    return first + dt.timedelta(days=rng.randint(0, span))


def text(rng: random.Random, sentences: int = 2) -> str:
    return " ".join(rng.sample(SENTENCES, k=sentences))


def _mentor_names(person: Person, people: dict[str, Person]) -> list[str]:
    """The names of the person's assigned mentors, as a faculty member would write them."""
    return [people[mentor_id].name if mentor_id in people else mentor_id for mentor_id in person.mentors]


def part1_values(person: Person, people: dict[str, Person], year: AcademicYear, rng: random.Random,
                  signed_on: dt.date | None) -> dict[str, Any]:
    activities = list(conference_part1.WORK_ACTIVITIES)
    rng.shuffle(activities)
    values: dict[str, Any] = {
        "faculty_name": person.name,
        "department": f"{person.division} / {person.department}",
        "accomplishments": tuple(rng.sample([c.id for c in conference_part1.ACCOMPLISHMENTS], k=rng.randint(2, 7))),
        "work_time": {choice.id: rank for rank, choice in enumerate(activities, start=1)},
        "area_of_excellence": rng.choice(conference_part1.AREAS_OF_EXCELLENCE).id,
        "promotion_criteria": rng.choices(["yes", "somewhat", "no"], weights=[6, 3, 1])[0],
        "past_goals": tuple({"goal": goal, "met": rng.random() < 0.6 or None}
                            for goal in rng.sample(GOALS, k=rng.randint(1, 3))),
        "mentors": tuple({"institution": rng.choice(["BCH", "HMS", "MGH", "Stanford"]), "name": mentor,
                          "role": rng.choice(["Research mentor", "Career mentor", "Sponsor"])}
                         for mentor in _mentor_names(person, people)),
        "goal_teaching": rng.choice(GOALS),
        "goal_grants": rng.choice(GOALS) if rng.random() < 0.5 else None,
        "goal_work_life": rng.choice(GOALS) if rng.random() < 0.4 else None,
        "resources_helped": text(rng, 1),
        "challenges": text(rng, 1),
        "resources_needed": text(rng, 1),
    }
    if "other" in values["work_time"]:
        values["work_time_other"] = rng.choice(["Quality improvement", "Global health", "Editorial work"])
    for field_id, _, bound in conference_part1.TEACHING_CATEGORIES:
        values[field_id] = float(round(rng.uniform(0, bound / 8) * 2) / 2) if rng.random() < 0.8 else 0.0
    if signed_on:
        values["faculty_signature"] = Signature(person.name, signed_on)
    return values


def part2_values(person: Person, people: dict[str, Person], chair: Person, year: AcademicYear, rng: random.Random,
                  held_on: dt.date, signed: bool) -> dict[str, Any]:
    outlook = rng.choices(["unable_to_assess", "anticipated", "not_anticipated"], weights=[3, 5, 2])[0]
    values: dict[str, Any] = {
        "faculty_name": person.name,
        "conference_holder": chair.name,
        "conference_date": held_on,
        "next_clinical": rng.choice(GOALS),
        "next_scholarship": rng.choice(GOALS) if rng.random() < 0.6 else None,
        "community_of_mentors": ", ".join(_mentor_names(person, people)) or "None assigned yet",
        "promotion_outlook": outlook,
        "no_promotion_reason": ("Needs a stronger record of independent funding."
                                if outlook == "not_anticipated" else None),
        "advancement_requires": text(rng, 1),
        "discussion_summary": text(rng, 2),
    }
    for field_id, _ in conference_part2.SUPPORT_AREAS:
        if rng.random() < 0.35:
            values[field_id] = CheckNote(True, text(rng, 1))
    if signed:
        values["faculty_signature"] = Signature(person.name, held_on)
        values["chair_signature"] = Signature(chair.name, held_on)
    return values


def agreement_values(person: Person, mentor: Person, year: AcademicYear, rng: random.Random, start: dt.date,
                      signed: bool, today: dt.date) -> dict[str, Any]:
    goals = []
    for goal in rng.sample(GOALS, k=rng.randint(1, 3)):
        target = start + dt.timedelta(days=rng.randint(90, 400))
        status = rng.choice([choice.id for choice in agreement.GOAL_STATUS])
        goals.append({"goal": goal, "actions": text(rng, 1), "deliverables": "A written draft shared for review",
                      "timeline": target, "status": status, "status_date": min(today, start + dt.timedelta(days=60))})
    values = {
        "mentee": person.name, "mentor": mentor.name, "mentor_id": mentor.person_id, "department": person.department,
        "start_date": start, "revisit_date": start + dt.timedelta(days=rng.choice([180, 365])),
        "outcomes": text(rng, 2), "success": text(rng, 1), "goals": tuple(goals),
        "time_allocation": text(rng, 1), "meeting_frequency": rng.choice(agreement.MEETING_FREQUENCY).id,
        "commitment_months": rng.choice([12, 12, 18, 24]), "norms": text(rng, 1), "confidentiality": text(rng, 1),
        "communication_forms": tuple(rng.sample([c.id for c in agreement.COMMUNICATION_FORMS], k=2)),
    }
    if signed:
        values["mentor_signature"] = Signature(mentor.name, start)
        values["mentee_signature"] = Signature(person.name, start)
    return values


def network_values(person: Person, roster: dict[str, Person], rng: random.Random) -> dict[str, Any]:
    """A map naming the person's assigned mentors (so mentor load means something), now and then
    their department's chair as a sponsor, and a few others by initials."""
    rows = []
    for mentor_id in person.mentors:
        mentor = roster[mentor_id]
        rows.append({"name": mentor.name, "description": "assigned mentor", "job_done": None,
                     "career": "close", "personal": rng.choice(["moderate", None]), "level": "superior",
                     "organisation": "inside", "sponsor": True if rng.random() < 0.4 else None,
                     "well_connected": True if rng.random() < 0.5 else None, "relationship": "mentor"})
    chair = next((other for other in roster.values() if other.has_role("chair")
                  and other.department == person.department and other.person_id != person.person_id), None)
    if chair is not None and chair.person_id not in person.mentors and rng.random() < 0.3:
        rows.append({"name": chair.name, "description": "department chair", "job_done": None, "career": "distant",
                     "personal": None, "level": "superior", "organisation": "inside", "sponsor": True,
                     "well_connected": True, "relationship": None})
    for _ in range(rng.randint(1, 7)):
        helps = rng.sample(["job_done", "career", "personal"], k=rng.randint(1, 3))
        rows.append({
            "name": f"{rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice('ABCDEFGHJKLMNPRSTW')}",
            "description": rng.choice(["PI of grant", "division chief", "friend at work", "spouse", "co-fellow",
                                       "research assistant", "faculty at another institution"]),
            **{kind: (rng.choice(["close", "moderate", "distant"]) if kind in helps else None)
               for kind in ("job_done", "career", "personal")},
            "level": rng.choice(["superior", "peer", "junior"]),
            "organisation": rng.choice(["inside", "inside", "outside"]),
            "sponsor": True if rng.random() < 0.15 else None,
            "well_connected": True if rng.random() < 0.3 else None,
            "relationship": rng.choice(["mentee", None, None]),
        })
    return {"career_goals": rng.choice(["Academic advancement", "Become a clinical leader", "PI of a lab"]),
            "people": tuple(rows), "theme_size": "About right for now.", "theme_redundancy": text(rng, 1)}

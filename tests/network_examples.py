"""Hand-built developmental networks with known answers, shared by the network tests."""

from __future__ import annotations

import random

COLUMNS = ("name", "description", "job_done", "career", "personal", "level", "organisation", "sponsor",
           "well_connected", "relationship")


def person(name: str, *, job_done=None, career=None, personal=None, level=None, organisation=None, sponsor=None,
           well_connected=None, relationship=None, description=None) -> dict:
    """One row of the people table, every column present, as a canonical record holds it."""
    return {"name": name, "description": description, "job_done": job_done, "career": career,
            "personal": personal, "level": level, "organisation": organisation, "sponsor": sponsor,
            "well_connected": well_connected, "relationship": relationship}


#: The booklet's own example map (Appendix A), with levels and places filled in.
BOOKLET_EXAMPLE = (
    person("NS", description="research assistant", job_done="close", level="junior", organisation="inside",
           relationship="mentee"),
    person("JD", description="PI of grant", job_done="moderate", career="moderate", level="superior",
           organisation="inside"),
    person("CJ", description="administrative assistant", job_done="distant", level="peer", organisation="inside"),
    person("DR", description="senior faculty member in your division", career="close", personal="close",
           level="superior", organisation="inside", relationship="mentor", sponsor=True),
    person("SW", description="Department Chair", career="distant", level="superior", organisation="inside",
           well_connected=True),
    person("AB", description="faculty at another institution", career="distant", level="peer",
           organisation="outside"),
    person("LG", description="spouse", personal="close", level="peer", organisation="outside"),
    person("FW", description="friend at work", personal="moderate", level="peer", organisation="inside"),
)


def random_people(count: int, seed: int = 3) -> list[dict]:
    """``count`` plausible people with every kind of answer, some with long names."""
    rng = random.Random(seed)
    rows = []
    for index in range(count):
        kinds = rng.sample(["job_done", "career", "personal"], k=rng.randint(1, 3))
        name = (f"{rng.choice('ABCDEFGHJKLMNPRSTW')}{rng.choice('ABCDEFGHJKLMNPRSTW')} {index}" if index % 5
                else f"Dr. Rather Long Name Number {index}")
        rows.append(person(
            name,
            **{kind: rng.choice(["close", "moderate", "distant"]) for kind in kinds},
            level=rng.choice(["superior", "peer", "junior"]),
            organisation=rng.choice(["inside", "outside", None]),
            sponsor=True if rng.random() < 0.2 else None,
            well_connected=True if rng.random() < 0.3 else None,
            relationship=rng.choice(["mentor", "mentee", None, None]),
        ))
    return rows

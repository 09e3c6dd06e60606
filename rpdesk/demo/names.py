"""Word lists and codes that make demo wards look real: places, streets, people, partner work."""

from __future__ import annotations

import random

from rpdesk.domain.vocabulary import AbstractionReason, Epic

PLACES = (
    "Ashfield",
    "Brookside",
    "Castle Vale",
    "Denby Park",
    "Eastgate",
    "Fairholme",
    "Glebe Farm",
    "Hollins",
    "Ivy Bank",
    "Kingsmead",
    "Larkrise",
    "Millbrook",
    "Northwood",
    "Oakenshaw",
    "Parkside",
    "Queensbury",
    "Riverside",
    "St Anne's",
    "Thornbury",
    "Upton",
    "Valley Road",
    "Westfield",
    "Yewtree",
    "Abbey Hey",
    "Beechwood",
    "Cliftonville",
    "Dale End",
    "Elm Grove",
    "Fenham",
    "Greenbank",
    "Harewood",
    "Ingleby",
    "Jubilee",
    "Kirkstall",
    "Longford",
    "Moorside",
    "Newlands",
    "Old Town",
    "Priory",
    "Redhill",
    "Southmead",
    "Tanyard",
    "Underhill",
    "Victoria",
    "Wharfedale",
    "Whitchurch",
    "Woodhouse",
    "Ynysybwl",
    "Aberaman",
    "Trefechan",
)
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Victoria Road",
    "Park Avenue",
    "Harlech Close",
    "Queens Road",
    "Chapel Street",
    "New Road",
    "Green Lane",
    "Albert Terrace",
    "The Crescent",
    "Orchard Way",
    "Brook Street",
    "School Lane",
    "Market Square",
    "Canal Walk",
    "Heol y Parc",
    "Maes y Coed",
)
FIRST = (
    "Sam",
    "Alex",
    "Jo",
    "Chris",
    "Priya",
    "Tom",
    "Aisha",
    "Rhys",
    "Megan",
    "Daniel",
    "Hannah",
    "Imran",
    "Gareth",
    "Lucy",
    "Owen",
    "Sian",
    "Kate",
    "Ravi",
    "Ffion",
    "Liam",
)
LAST = (
    "Morgan",
    "Patel",
    "Jones",
    "Hughes",
    "Khan",
    "Evans",
    "Smith",
    "Clarke",
    "Davies",
    "Ahmed",
    "Walsh",
    "Price",
    "Turner",
    "Lewis",
    "Roberts",
    "Bennett",
    "Shah",
    "Wright",
    "Powell",
    "Griffiths",
)
ABSTRACTION_WEIGHTS = {
    AbstractionReason.RESPONSE_COVER: 30,
    AbstractionReason.CUSTODY_CONSTANT: 6,
    AbstractionReason.SCENE_GUARD: 8,
    AbstractionReason.ESCORT_HOSPITAL: 6,
    AbstractionReason.AID_LOCAL: 8,
    AbstractionReason.AID_CENTRAL: 5,
    AbstractionReason.EVENTS: 7,
    AbstractionReason.MAJOR_INCIDENT: 2,
    AbstractionReason.TRAINING: 12,
    AbstractionReason.COURT: 8,
    AbstractionReason.CONTROL_ROOM: 4,
    AbstractionReason.OTHER: 4,
}
#: Partner actions per issue: (partner, title, what residents should see, EPIC tag). The EPIC tag
#: fits the action (Met Safer Neighbourhoods' taxonomy): enforcement acts against offenders,
#: prevention removes the opportunity, intelligence finds out more, communication tells residents.
ACTION_IDEAS: dict[str, tuple[tuple[str, str, str, Epic], ...]] = {
    "litter": (
        (
            "Council street scene",
            "Deep clean of the precinct and extra bins",
            "Clean precinct, new bins",
            Epic.PREVENTION,
        ),
        ("Council street scene", "Fixed penalty patrols for dropped litter", "Litter fines issued", Epic.ENFORCEMENT),
        (
            "Council street scene",
            "Residents' litter pick and leaflet on collection days",
            "Litter pick held",
            Epic.COMMUNICATION,
        ),
    ),
    "fly_tipping": (
        ("Council street scene", "Clear dumped waste from the lane", "Lane cleared", Epic.PREVENTION),
        ("Council street scene", "Camera at the lane to identify tippers", "Camera signs up", Epic.INTELLIGENCE),
        ("Council street scene", "Prosecute the identified fly-tipper", "Fly-tipper fined", Epic.ENFORCEMENT),
    ),
    "vandalism_graffiti": (
        (
            "Council street scene",
            "Remove graffiti within 48 hours of report",
            "Graffiti-free shop shutters",
            Epic.PREVENTION,
        ),
        ("Council street scene", "Log tags and match them to known names", "Tags matched", Epic.INTELLIGENCE),
        ("Youth service", "Mural project with the youth club on the underpass", "Underpass mural", Epic.COMMUNICATION),
    ),
    "street_lighting": (
        ("Street lighting", "Repair and upgrade lamps on the footpath", "Lit footpath", Epic.PREVENTION),
        ("Street lighting", "Night walk to map the dark spots with residents", "Dark spots mapped", Epic.INTELLIGENCE),
    ),
    "youths_hanging_around": (
        (
            "Youth service",
            "Friday evening youth club at the community centre",
            "Youth club open Fridays",
            Epic.PREVENTION,
        ),
        (
            "Youth service",
            "Detached youth workers on the green on Friday nights",
            "Youth workers on the green",
            Epic.COMMUNICATION,
        ),
        ("Housing provider", "Acceptable behaviour contracts for the repeat group", "ABCs signed", Epic.ENFORCEMENT),
    ),
    "drunk_rowdy": (
        ("Licensing", "Licensing visits to late-opening premises", "Quieter evenings by the shops", Epic.ENFORCEMENT),
        ("Licensing", "Street drinking patrols and seizure of alcohol", "Alcohol seized", Epic.ENFORCEMENT),
        ("Licensing", "Meet the shop keepers about sales to drunk customers", "Shops briefed", Epic.COMMUNICATION),
    ),
    "drugs": (
        ("Housing provider", "Closure warning for the problem address", "Closure notice posted", Epic.ENFORCEMENT),
        ("Housing provider", "Gather residents' reports on the address", "Reports gathered", Epic.INTELLIGENCE),
        ("Council street scene", "Cut back the hedges hiding the alley", "Alley opened up", Epic.PREVENTION),
    ),
    "speeding": (
        ("Highways", "Speed survey on the main road", "Speed survey done", Epic.INTELLIGENCE),
        ("Highways", "Community speed watch sessions", "Speed watch sessions", Epic.ENFORCEMENT),
        ("Highways", "Vehicle-activated speed signs", "Speed signs up", Epic.PREVENTION),
    ),
    "parking": (
        ("Highways", "Parking enforcement near the school at drop-off", "Enforcement patrols", Epic.ENFORCEMENT),
        ("Highways", "Letters to parents about parking at the school", "Parents written to", Epic.COMMUNICATION),
    ),
    "noisy_neighbours": (
        (
            "Environmental health",
            "Noise abatement notices for repeat addresses",
            "Noise notices served",
            Epic.ENFORCEMENT,
        ),
        ("Environmental health", "Noise diaries for the affected neighbours", "Noise diaries kept", Epic.INTELLIGENCE),
    ),
    "abandoned_cars": (
        ("Council street scene", "Remove abandoned vehicles", "Vehicles removed", Epic.ENFORCEMENT),
        (
            "Council street scene",
            "Check the keepers of untaxed cars on the estate",
            "Keepers traced",
            Epic.INTELLIGENCE,
        ),
    ),
    "dog_fouling": (
        ("Council street scene", "New bins and signs on the park paths", "New signs and bins", Epic.PREVENTION),
        ("Council street scene", "Dog warden patrols at walking times", "Dog warden patrols", Epic.ENFORCEMENT),
    ),
    "asb_general": (
        ("Housing provider", "Acceptable behaviour contracts for repeat callers", "ABCs in place", Epic.ENFORCEMENT),
        ("Housing provider", "Mediation between the neighbours in the close", "Mediation held", Epic.PREVENTION),
        (
            "Housing provider",
            "Street briefing for the close about what was done",
            "Street briefing held",
            Epic.COMMUNICATION,
        ),
    ),
    "burglary": (
        (
            "Fire and rescue service",
            "Home security and safety visits on the estate",
            "Crime prevention visits",
            Epic.PREVENTION,
        ),
        (
            "Fire and rescue service",
            "House-to-house after the burglary series",
            "House-to-house done",
            Epic.INTELLIGENCE,
        ),
        (
            "Housing provider",
            "Burglary warning leaflets and a drop-in at the library",
            "Warning leaflets out",
            Epic.COMMUNICATION,
        ),
    ),
    "vehicle_crime": (
        ("Highways", "Lighting and signage in the car park", "Car park signs", Epic.PREVENTION),
        ("Highways", "Plain-clothes patrols of the car park at night", "Arrests in the car park", Epic.ENFORCEMENT),
    ),
    "violence": (
        ("Licensing", "Night-time economy patrol plan", "Visible patrols at closing time", Epic.ENFORCEMENT),
        ("Licensing", "Review door staff incident logs with the premises", "Incident logs reviewed", Epic.INTELLIGENCE),
    ),
    "robbery": (
        ("Youth service", "Route-to-school patrols", "Patrols on school routes", Epic.ENFORCEMENT),
        ("Youth service", "Mentoring for young people at risk", "Mentoring started", Epic.PREVENTION),
        ("Youth service", "Talks in the school about staying safe", "School talks given", Epic.COMMUNICATION),
    ),
}


def partner_for(code: str) -> str:
    """The partner agency usually asked to act on issue ``code``."""
    ideas = ACTION_IDEAS.get(code)
    return ideas[0][0] if ideas else "Council street scene"


def ward_code(index: int, seed: int) -> str:
    """An ONS-style ward code (E05 + 6 digits), stable for a seed."""
    return f"E05{(10_000 + seed * 7919 + index * 104_729) % 1_000_000:06d}"


def lsoa_codes(rng: random.Random, n: int) -> list[str]:
    return [f"E01{rng.randrange(0, 1_000_000):06d}" for _ in range(n)]

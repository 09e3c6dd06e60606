"""Default catalogues shipped with rpdesk: issues (signals), police.uk crime types, partner agencies.

The issue catalogue is the seven CSEW perceived-ASB strands plus common local signals. A force can
edit its copy in the database; these are the seeds.
"""

from __future__ import annotations

from dataclasses import dataclass

from rpdesk.domain.vocabulary import IssueKind


@dataclass(frozen=True)
class IssueSeed:
    """One catalogue entry: survey code, label as residents read it, kind and police.uk crime types."""

    code: str
    label: str
    kind: IssueKind
    crime_types: tuple[str, ...] = ()
    label_cy: str | None = None


DEFAULT_ISSUES: tuple[IssueSeed, ...] = (
    IssueSeed(
        "noisy_neighbours",
        "Noisy neighbours or loud parties",
        IssueKind.SOCIAL,
        label_cy="Cymdogion swnllyd neu bartïon uchel",
    ),
    IssueSeed(
        "youths_hanging_around",
        "Teenagers hanging around on the streets",
        IssueKind.SOCIAL,
        label_cy="Pobl ifanc yn ymgynnull ar y strydoedd",
    ),
    IssueSeed("litter", "Rubbish or litter lying around", IssueKind.PHYSICAL, label_cy="Sbwriel yn gorwedd o gwmpas"),
    IssueSeed(
        "vandalism_graffiti",
        "Vandalism, graffiti and deliberate damage to property",
        IssueKind.PHYSICAL,
        ("Criminal damage and arson",),
        label_cy="Fandaliaeth, graffiti a difrod bwriadol i eiddo",
    ),
    IssueSeed(
        "drugs",
        "People using or dealing drugs",
        IssueKind.SOCIAL,
        ("Drugs",),
        label_cy="Pobl yn defnyddio neu’n gwerthu cyffuriau",
    ),
    IssueSeed(
        "drunk_rowdy",
        "People being drunk or rowdy in public places",
        IssueKind.SOCIAL,
        ("Public order",),
        label_cy="Pobl yn feddw neu’n afreolus mewn mannau cyhoeddus",
    ),
    IssueSeed(
        "abandoned_cars", "Abandoned or burnt-out cars", IssueKind.PHYSICAL, label_cy="Ceir wedi’u gadael neu eu llosgi"
    ),
    IssueSeed("fly_tipping", "Fly-tipping", IssueKind.PHYSICAL, label_cy="Tipio anghyfreithlon"),
    IssueSeed("dog_fouling", "Dog fouling", IssueKind.PHYSICAL, label_cy="Baw cŵn"),
    IssueSeed("street_lighting", "Poor street lighting", IssueKind.PHYSICAL, label_cy="Goleuadau stryd gwael"),
    IssueSeed("speeding", "Speeding or dangerous driving", IssueKind.SOCIAL, label_cy="Goryrru neu yrru peryglus"),
    IssueSeed("parking", "Inconsiderate parking", IssueKind.SOCIAL, label_cy="Parcio anystyriol"),
    IssueSeed("burglary", "Burglary", IssueKind.CRIME, ("Burglary",), label_cy="Byrgleriaeth"),
    IssueSeed(
        "vehicle_crime",
        "Theft of or from vehicles",
        IssueKind.CRIME,
        ("Vehicle crime",),
        label_cy="Dwyn cerbydau neu o gerbydau",
    ),
    IssueSeed(
        "violence",
        "Violence and assaults",
        IssueKind.CRIME,
        ("Violence and sexual offences",),
        label_cy="Trais ac ymosodiadau",
    ),
    IssueSeed("robbery", "Street robbery", IssueKind.CRIME, ("Robbery",), label_cy="Lladrata ar y stryd"),
    IssueSeed(
        "asb_general",
        "General anti-social behaviour",
        IssueKind.SOCIAL,
        ("Anti-social behaviour",),
        label_cy="Ymddygiad gwrthgymdeithasol cyffredinol",
    ),
)

#: The 14 current police.uk "Crime type" values (data.police.uk).
POLICE_UK_CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
)

#: Names used in older police.uk files, mapped to the current type they became.
LEGACY_CRIME_TYPES: dict[str, str] = {
    "Violent crime": "Violence and sexual offences",
    "Public disorder and weapons": "Public order",
    "Violence and sexual offences": "Violence and sexual offences",
}

DEFAULT_PARTNERS: tuple[tuple[str, str], ...] = (
    ("Council street scene", "council"),
    ("Highways", "council"),
    ("Street lighting", "council"),
    ("Housing provider", "housing"),
    ("Youth service", "council"),
    ("Fire and rescue service", "fire"),
    ("Licensing", "council"),
    ("Environmental health", "council"),
)


def canonical_crime_type(value: str) -> str | None:
    """The current police.uk type for a value from any year's file, or None if it is not one."""
    text = value.strip()
    if text in POLICE_UK_CRIME_TYPES:
        return text
    folded = {t.casefold(): t for t in POLICE_UK_CRIME_TYPES}
    folded.update({k.casefold(): v for k, v in LEGACY_CRIME_TYPES.items()})
    return folded.get(text.casefold())

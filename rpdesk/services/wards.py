"""Wards: list, add and find them by ONS code.

``list_wards`` and ``add_ward`` return :class:`WardInfo` values; ``get_ward`` returns the ORM row, for
other services to use inside the same session (never to be kept after it closes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rpdesk.db.models import Ward, WardLsoa
from rpdesk.domain.vocabulary import Language
from rpdesk.errors import UserError

WARD_CODE = re.compile(r"^[EW]05\d{6}$")
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


@dataclass(frozen=True)
class WardInfo:
    id: int
    code: str
    name: str
    neighbourhood: str | None
    language: str
    lsoas: tuple[str, ...]
    version: int


def _info(ward: Ward) -> WardInfo:
    return WardInfo(
        ward.id,
        ward.code,
        ward.name,
        ward.neighbourhood,
        ward.language.value,
        tuple(x.lsoa_code for x in ward.lsoas),
        ward.version,
    )


def list_wards(session: Session) -> list[WardInfo]:
    wards = session.scalars(select(Ward).options(selectinload(Ward.lsoas)).order_by(Ward.name))
    return [_info(w) for w in wards]


def get_ward(session: Session, code: str) -> Ward:
    """The ward with ONS code ``code`` (any case), or UserError listing how to find the codes."""
    ward = session.scalar(select(Ward).where(func.upper(Ward.code) == code.strip().upper()))
    if ward is None:
        raise UserError(
            f"There is no ward with code '{code}'. 'rpdesk-cli wards list' shows the codes; "
            "'rpdesk-cli wards add --code CODE --name NAME' adds one."
        )
    return ward


def add_ward(
    session: Session,
    code: str,
    name: str,
    *,
    neighbourhood: str | None = None,
    lsoas: list[str] | tuple[str, ...] = (),
    language: str = "en",
) -> WardInfo:
    """Add a ward after checking the ONS ward code (E05/W05 + 6 digits) and LSOA codes (E01/W01)."""
    code = code.strip().upper()
    if not WARD_CODE.match(code):
        raise UserError(f"Ward code '{code}' is not an ONS ward code: expected E05 or W05 followed by 6 digits.")
    if not name.strip():
        raise UserError("A ward needs a name.")
    bad = [x for x in lsoas if not LSOA_CODE.match(x.strip().upper())]
    if bad:
        raise UserError(f"LSOA code(s) {', '.join(bad)} are not LSOA codes: expected E01 or W01 followed by 6 digits.")
    try:
        lang = Language(language)
    except ValueError:
        raise UserError(f"Language '{language}' is not one of en, cy, both.") from None
    if session.scalar(select(Ward.id).where(Ward.code == code)) is not None:
        raise UserError(f"A ward with code {code} already exists.")
    ward = Ward(code=code, name=name.strip(), neighbourhood=(neighbourhood or None), language=lang)
    ward.lsoas = [WardLsoa(lsoa_code=x.strip().upper()) for x in dict.fromkeys(lsoas)]
    session.add(ward)
    session.flush()
    return _info(ward)

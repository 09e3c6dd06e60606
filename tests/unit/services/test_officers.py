"""Officers carry official contact details only: checked on entry and on change, and the only
officer contact a public document prints; an old free-text contact upgrades keeping only what is official."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select

from rpdesk.db import schema
from rpdesk.db.database import open_database
from rpdesk.db.models import Meeting, Officer
from rpdesk.domain.vocabulary import MeetingKind
from rpdesk.errors import UserError
from rpdesk.services import officers, report_data, wards
from rpdesk.settings import Settings

WARD = "E05000001"
PRIVATE = "PRIVATE-MOBILE 07700 900999 home 12 Acacia Ave"


@pytest.fixture
def settings() -> Settings:
    loaded = Settings.load()
    loaded.values["force_email_domain"] = "ashfield.police.uk"
    return loaded


def test_a_private_looking_contact_is_refused_and_nothing_is_written(db, settings):
    with db.session() as s:
        wards.add_ward(s, WARD, "Northgate")
    for field in ("email", "phone"):
        with pytest.raises(UserError, match="Only official contact details") as caught, db.session() as s:
            officers.add_officer(s, "PC101", "Alex Reed", "PC", ward=WARD, settings=settings, **{field: PRIVATE})
        assert PRIVATE.split()[1] in str(caught.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Officer)) == 0


def test_every_unofficial_detail_is_named_once_and_blank_or_official_details_pass():
    domain = "ashfield.police.uk"
    both = officers.contact_problems("alex.reed@gmail.com", "07700 900123", domain)
    assert [p.field for p in both] == ["email", "phone"] and "gmail.com" in both[0].text and "07700" in both[1].text
    assert officers.contact_problems("", None, domain) == []
    assert officers.contact_problems("alex.reed@ashfield.police.uk", "101", domain) == []


def test_official_contact_is_kept_and_changed_only_to_official_details(db, settings):
    with db.session() as s:
        wards.add_ward(s, WARD, "Northgate")
        info = officers.add_officer(
            s, "PC101", "Alex Reed", "PC", email="northgate.snt@ashfield.police.uk", phone="101", settings=settings
        )
    assert (info.email, info.phone) == ("northgate.snt@ashfield.police.uk", "101")
    with pytest.raises(UserError, match="mobile"), db.session() as s:
        officers.update_officer(s, "PC101", info.version, phone="07700 900999", settings=settings)
    with pytest.raises(UserError, match=r"@ashfield\.police\.uk"), db.session() as s:
        officers.update_officer(s, "PC101", info.version, email="alex.reed@gmail.com", settings=settings)
    with db.session() as s:
        changed = officers.update_officer(s, "pc101", info.version, phone="01632 960000", settings=settings)
    assert (changed.email, changed.phone) == ("northgate.snt@ashfield.police.uk", "01632 960000")
    with db.session() as s:
        cleared = officers.update_officer(s, "PC101", changed.version, email="", role="Sergeant", settings=settings)
    assert (cleared.email, cleared.phone, cleared.role) == (None, "01632 960000", "Sergeant")


def test_the_briefing_team_shows_name_role_and_official_contact_only(db, settings):
    with db.session() as s:
        wards.add_ward(s, WARD, "Northgate")
        officers.add_officer(
            s,
            "PC101",
            "Alex Reed",
            "PC",
            ward=WARD,
            start=dt.date(2026, 1, 1),
            email="a.reed@ashfield.police.uk",
            settings=settings,
        )
        officers.add_officer(s, "PCSO201", "Jo Evans", "PCSO", ward=WARD, start=dt.date(2026, 1, 1), settings=settings)
        ward_id = wards.get_ward(s, WARD).id
        s.add(Meeting(ward_id=ward_id, kind=MeetingKind.COMMUNITY, date=dt.date(2026, 11, 17)))
    with db.session() as s:
        data = report_data.briefing_data(
            s, WARD, dt.date(2026, 11, 17), settings=settings, now=dt.datetime(2026, 11, 10, 9, 0)
        )
    assert {(m.name, m.role, m.contact) for m in data.team} == {
        ("Alex Reed", "PC", "a.reed@ashfield.police.uk"),
        ("Jo Evans", "PCSO", None),
    }


def _upgrade_from(path: Path, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(schema.__file__).with_name("migrations")))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, revision)
    engine.dispose()


def test_an_old_free_text_contact_upgrades_keeping_only_what_is_official(tmp_path):
    path = tmp_path / "old.sqlite"
    _upgrade_from(path, "0004_no_duplicates")
    con = sqlite3.connect(path)
    old = [
        ("PC1", PRIVATE),
        ("PC2", "ashfield.snt@demo.police.uk"),
        ("PC3", "home 07700 900111, work pc3@demo.police.uk"),
        ("PC4", "01632 960000"),
        ("PC5", "jo@gmail.com"),
    ]
    with con:
        con.executemany(
            "INSERT INTO officer (collar, name, role, ring_fenced, contact, version) "
            "VALUES (?, 'Someone', 'PC', 1, ?, 1)",
            old,
        )
    con.close()
    database = open_database(f"sqlite:///{path}")
    with database.session() as s:
        kept = {o.collar: (o.email, o.phone) for o in s.scalars(select(Officer))}
    database.dispose()
    assert kept == {
        "PC1": (None, None),
        "PC2": ("ashfield.snt@demo.police.uk", None),
        "PC3": ("pc3@demo.police.uk", None),
        "PC4": (None, "01632 960000"),
        "PC5": (None, None),
    }
    con = sqlite3.connect(path)
    try:
        assert [line for line in con.iterdump() if "Acacia" in line or "07700" in line] == []
    finally:
        con.close()


def test_an_officer_without_collar_or_name_is_refused_naming_both():
    assert [(p.field, p.text) for p in officers.identity_problems(" ", "")] == [
        ("collar", "An officer needs a collar number."),
        ("name", "An officer needs a name."),
    ]
    assert officers.identity_problems("PC1", "Jo Turner") == []

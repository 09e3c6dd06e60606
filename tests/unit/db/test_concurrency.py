"""Two people editing the same row: the second save is refused with a clear message, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from rpdesk.db.editing import update_row
from rpdesk.db.models import ChangeLog, Ward
from rpdesk.errors import ConflictError
from rpdesk.services.wards import add_ward


def test_second_of_two_concurrent_updates_is_a_conflict(db):
    """Two open sessions read the same row; the first saves; the second is refused, the first kept."""
    with db.session() as s:
        ward_id = add_ward(s, "E05000002", "Brookside").id
    with pytest.raises(ConflictError, match="nothing was lost"), db.session() as s:
        ward = s.get(Ward, ward_id)
        with db.session() as other:
            other.get(Ward, ward_id).name = "Brookside East"
        ward.name = "Brookside West"
    with db.session() as s:
        ward = s.get(Ward, ward_id)
        assert (ward.name, ward.version) == ("Brookside East", 2)


def test_edit_from_a_stale_copy_is_refused(db):
    with db.session() as s:
        info = add_ward(s, "E05000003", "Castle Vale")
    with db.session() as s:
        update_row(s, Ward, info.id, info.version, {"neighbourhood": "Castle Team"})
    changed = r"Somebody else changed ward Castle Vale \(E05000003\) after you opened"
    with pytest.raises(ConflictError, match=changed), db.session() as s:
        update_row(s, Ward, info.id, info.version, {"neighbourhood": "Vale Team"})
    with db.session() as s:
        assert s.get(Ward, info.id).neighbourhood == "Castle Team"


def test_changes_are_logged_with_user_and_values(db):
    with db.session() as s:
        info = add_ward(s, "E05000004", "Denby Park")
    with db.session() as s:
        update_row(s, Ward, info.id, info.version, {"name": "Denby"})
    with db.session() as s:
        log = s.scalars(select(ChangeLog).where(ChangeLog.table_name == "ward").order_by(ChangeLog.id)).all()
    assert [e.operation for e in log] == ["insert", "update"]
    assert '"name": ["Denby Park", "Denby"]' in log[1].changes
    assert log[1].os_user and log[1].row_id == info.id


def test_a_change_racing_in_between_read_and_write_names_the_record(db):
    """A change committed after our read and before our write is refused, naming the record as it is now."""
    with db.session() as s:
        info = add_ward(s, "E05000005", "Elm Park")
    with pytest.raises(ConflictError) as caught, db.session() as s:
        s.get(Ward, info.id)  # our copy, read at version 1
        with db.session() as other:
            update_row(other, Ward, info.id, info.version, {"name": "Elm Park North"})
        update_row(s, Ward, info.id, info.version, {"name": "Elm Park South"})
    assert "Somebody else changed ward Elm Park North (E05000005)" in str(caught.value)  # as it is now
    assert "version" not in str(caught.value) and "id " not in str(caught.value)

"""What every form shares: a conflict on a new record offers no Reload that would do nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from rpdesk.errors import ConflictError

from rpdesk.gui.dialogs.form import FormDialog


def _saved_at_the_same_moment(_session: Any) -> None:
    raise ConflictError("Somebody else saved the same thing at the same moment, so this change was not saved.")


class NewRecordForm(FormDialog):
    """A form that adds a record (nothing to reload) and whose save meets a concurrent insert."""

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx, "Add a thing")
        self.name = self.add_field("&Name", QLineEdit())

    def save_call(self) -> Any:
        return _saved_at_the_same_moment, (), {}


def test_a_conflict_on_a_new_record_says_so_and_offers_only_ok(qtbot, ctx):
    dialog = NewRecordForm(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("typed")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "conflict") is not None, timeout=10_000)
    box = dialog.findChild(QMessageBox, "conflict")
    assert [b.text().replace("&", "") for b in box.buttons()] == ["OK"]
    assert "at the same moment" in box.text()
    assert dialog.name.text() == "typed" and dialog.isVisible()

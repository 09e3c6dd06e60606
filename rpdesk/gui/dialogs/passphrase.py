"""The passphrase dialog: the key of an encrypted database, asked for before it is opened (or made).

Asked only when neither the environment (``RPDESK_DB_KEY``) nor the keyring has the key. For a new
database the key is typed twice, since a mistyped key locks the data away for good. "Remember it
on this computer" keeps it in the operating system's keyring, and is off where there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from rpdesk.domain.keys import MIN_NEW_KEY, typed_key_problems

from rpdesk.gui.screen import FitsScreen


@dataclass(frozen=True)
class Passphrase:
    key: str
    remember: bool


class PassphraseDialog(FitsScreen, QDialog):
    def __init__(self, path: Path, *, new: bool, keyring: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new = new
        self.setWindowTitle("New encrypted database" if new else "Encrypted database")
        intro = (
            f"{path}\nwill be encrypted. Choose its passphrase (at least {MIN_NEW_KEY} characters). "
            "Without it the data cannot be recovered by anyone."
            if new
            else f"{path}\nis encrypted. Type its passphrase to open it."
        )
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Passphrase", self.key)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if new:
            form.addRow("&Again", self.again)
        layout.addLayout(form)
        self.remember = QCheckBox("&Remember it on this computer (in the system keyring)")
        self.remember.setEnabled(keyring)
        if not keyring:
            self.remember.setToolTip("This computer has no keyring: the passphrase is asked for at each start.")
        layout.addWidget(self.remember)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.key.setFocus()

    def problems(self) -> list[str]:
        """The typed-passphrase rule rpdesk-cli's prompt applies too."""
        return typed_key_problems(self.key.text(), new=self.new, again=self.again.text() if self.new else None)

    def accept(self) -> None:
        found = self.problems()
        if found:
            self.problem.setText("\n".join(found))
            self.problem.setVisible(True)
            self.key.setFocus()
            return
        super().accept()

    @property
    def answer(self) -> Passphrase:
        return Passphrase(self.key.text(), self.remember.isChecked() and self.remember.isEnabled())

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path, *, new: bool, keyring: bool) -> Passphrase | None:
        """The passphrase typed, or None when the user cancelled."""
        dialog = cls(path, new=new, keyring=keyring, parent=parent)
        return dialog.answer if dialog.exec() == QDialog.DialogCode.Accepted else None

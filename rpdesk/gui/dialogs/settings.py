"""The Settings dialog: every setting declared in :mod:`rpdesk.settings`, checked all at once before saving."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from rpdesk.domain.shares import shown_share
from rpdesk.errors import UserError
from rpdesk.settings import SETTINGS, Setting, Settings, coerce, logo_problem

from rpdesk.gui.keyboard import KeyboardDialog
from rpdesk.gui.screen import scrolling
from rpdesk.gui.theme import mark_problems

#: The width of the settings' label column, in average characters of the dialog's font.
LABEL_CHARS = 30
LANGUAGE_LABELS = {"en": "English", "cy": "Welsh (Cymraeg)", "both": "English and Welsh"}


def _text(setting: Setting[Any], value: Any) -> str:
    """A setting's value as the field shows it: a share as a percentage ("80%"), as it is typed."""
    if setting.percent:
        return shown_share(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


class SettingsDialog(KeyboardDialog):
    """One field per setting; settings locked by the machine file are shown read-only.

    Attributes:
        fields: the editor of each setting key (QLineEdit or QComboBox).
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None, user_path: Path | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.user_path = user_path
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setMinimumWidth(640)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for setting in SETTINGS:
            form.addRow(self._label(setting), self._editor(setting))
        body = QWidget()
        body.setLayout(form)
        scroll = scrolling(body)
        self.problem_label = QLabel()
        mark_problems(self.problem_label)
        self.problem_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        self.resize(720, 620)

    def _label(self, setting: Setting) -> QLabel:
        """A label wrapped to a column LABEL_CHARS wide, as tall as its lines need.

        A form layout gives a wrapped label the height of one guess at its width, which clipped the
        longer titles; a fixed width in characters (so it grows with the font) and the height that
        width needs never clip.
        """
        label = QLabel(setting.title + (" (set by IT)" if setting.key in self.settings.locked else ""))
        label.setWordWrap(True)
        label.setToolTip(setting.help)
        width = label.fontMetrics().averageCharWidth() * LABEL_CHARS
        label.setFixedWidth(width)
        label.setMinimumHeight(label.heightForWidth(width))
        return label

    def _editor(self, setting: Setting) -> QWidget:
        value = setting.of(self.settings)
        locked = setting.key in self.settings.locked
        editor: QLineEdit | QComboBox
        if setting.choices:
            editor = QComboBox()
            for choice in setting.choices:
                editor.addItem(LANGUAGE_LABELS.get(choice, choice), choice)
            editor.setCurrentIndex(max(0, editor.findData(value)))
            editor.setEnabled(not locked)
        else:
            editor = QLineEdit(_text(setting, value))
            editor.setReadOnly(locked)
        editor.setAccessibleName(setting.title)
        editor.setToolTip(setting.help or setting.title)
        self.fields[setting.key] = editor
        if setting.key != "logo_path" or locked:
            return editor
        browse = QPushButton("Browse…")
        browse.setAccessibleName("Choose the logo file")
        browse.clicked.connect(self._choose_logo)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(editor, 1)
        box.addWidget(browse)
        return row

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Force logo", "", "Images (*.png *.jpg *.jpeg)")
        if path:
            field = self.fields["logo_path"]
            assert isinstance(field, QLineEdit)
            field.setText(path)

    def _value(self, key: str) -> Any:
        field = self.fields[key]
        return field.currentData() if isinstance(field, QComboBox) else field.text().strip()

    def changes(self) -> tuple[dict[str, Any], list[str]]:
        """The values changed in the form, and every problem with any field (not only the first)."""
        changes: dict[str, Any] = {}
        problems: list[str] = []
        for setting in SETTINGS:
            if setting.key in self.settings.locked:
                continue
            raw = self._value(setting.key)
            missing = logo_problem(raw) if setting.key == "logo_path" else None
            if missing:
                problems.append(missing)
                continue
            try:
                value = coerce(setting, raw)
            except UserError as exc:
                problems.append(str(exc))
                continue
            if value != setting.of(self.settings):
                changes[setting.key] = value
        return changes, problems

    def accept(self) -> None:
        changes, problems = self.changes()
        if not problems and changes:
            try:
                self.settings.save(changes, self.user_path)
            except (UserError, OSError) as exc:
                problems = [str(exc)]
        self.problem_label.setText("\n".join(f"• {p}" for p in problems))
        self.problem_label.setVisible(bool(problems))
        if not problems:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, settings: Settings) -> bool:
        """Show the dialog; True when settings were saved."""
        return bool(cls(settings, parent).exec())

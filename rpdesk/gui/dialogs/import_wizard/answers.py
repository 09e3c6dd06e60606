"""Step 4 of the import wizard (surveys): what each answer worded the form's own way means on rpdesk's scale.

The answers listed, and what is proposed for them, are the core's
(:func:`rpdesk.services.import_mapping.answers_to_match`): answers the importer reads as written are
not listed, those close to the scale's wording are proposed, the rest the user picks from the
scale's own wording. The choices go into the column mapping's ``values``, saved with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QPushButton,
    QTableWidgetItem,
    QWizardPage,
)

from rpdesk.services.import_mapping import AnswerToMatch, answer_values, answers_to_match, save_mapping

from rpdesk.gui.dialogs.import_wizard.widgets import CHECK, matching_layout
from rpdesk.gui.theme import alert_style

if TYPE_CHECKING:
    from rpdesk.gui.dialogs.import_wizard.wizard import ImportWizard

HOW = {"close wording": "close wording", "saved": "saved mapping", "": "not matched"}


class AnswersPage(QWizardPage):
    """Step 4 (surveys): the file's own answer wordings matched to the scales' answers."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Match the answers")
        self.setSubTitle(
            "Answers the form words its own way, and what each means on rpdesk's scale. Close wordings are "
            "matched for you; choose the others. Cells with an answer left unmatched are refused by the check."
        )
        self.save_button = QPushButton("&Save the mapping as…")
        self.save_button.setToolTip("Write the column and answer matching to a file for rpdesk-cli --mapping")
        self.save_button.clicked.connect(self.choose_save_file)
        self.status, self.table = matching_layout(
            self, ["Answer in the file", "Found in", "Means", "Matched by"], "Answer matching", 1, self.save_button
        )
        self.matches: list[AnswerToMatch] = []
        self.combos: list[QComboBox] = []
        self.picked: set[int] = set()  # rows whose answer the user chose here

    def initializePage(self) -> None:
        preview = self.wiz.preview_page.preview
        assert preview is not None
        page = self.wiz.mapping_page
        earlier = self._choices()  # back to the columns and on again: what was picked here is kept
        self.matches = answers_to_match(page.columns(), preview.answers, page.values)
        self.combos = []
        self.picked = set()
        self.table.setRowCount(len(self.matches))
        for r, match in enumerate(self.matches):
            self.table.setItem(r, 0, _item(match.text))
            self.table.setItem(r, 1, _item(_found_in(match), "\n".join(match.headers)))
            combo = QComboBox()
            combo.setAccessibleName(f"What '{match.text}' means")
            combo.setToolTip(f"An answer on the {match.scale.name} scale")
            combo.addItem("— choose —", None)
            for wording, read_as in match.scale.choices:
                combo.addItem(wording, read_as)
            picked = earlier.get(_key(match))
            chosen = picked if picked is not None else match.chosen
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
            combo.currentIndexChanged.connect(lambda _i, row=r: self._chosen(row))
            self.table.setCellWidget(r, 2, combo)
            self.table.setItem(r, 3, _item("your choice" if picked is not None else HOW[match.how]))
            if picked is not None:
                self.picked.add(r)
            self.combos.append(combo)
        width = self.table.fontMetrics().averageCharWidth()
        self.table.horizontalHeader().resizeSection(0, width * 28)
        self.table.horizontalHeader().resizeSection(2, width * 34)
        self.table.horizontalHeader().resizeSection(3, width * 16)
        self._describe()
        self.wiz.answers_ready.emit()

    def _choices(self) -> dict[tuple[str, str], str]:
        """The answers the user picked on this page (not those proposed or saved), by scale and answer."""
        return {
            _key(m): c.currentData()
            for r, (m, c) in enumerate(zip(self.matches, self.combos, strict=True))
            if r in self.picked and c.currentData() is not None
        }

    def _chosen(self, row: int) -> None:
        self.picked.add(row)
        self.table.setItem(row, 3, _item("your choice" if self.combos[row].currentData() is not None else HOW[""]))
        self._describe()

    def _describe(self) -> None:
        if not self.matches:
            self.status.setStyleSheet("")
            self.status.setText("Every answer in the matched columns is in the scale's own wording.")
            return
        open_ = sum(1 for c in self.combos if c.currentData() is None)
        text = f"{len(self.matches)} answer(s) worded the form's own way."
        if open_:
            text += f" {open_} not matched yet: choose what they mean."
        self.status.setStyleSheet(alert_style() if open_ else "")
        self.status.setText(text)

    def values(self, base: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
        """``base`` (a loaded mapping's answer wordings) with this page's choices, once it was shown."""
        merged = {column: dict(answers) for column, answers in base.items()}
        chosen = answer_values([(m, c.currentData()) for m, c in zip(self.matches, self.combos, strict=True)])
        for column, answers in chosen.items():
            merged.setdefault(column, {}).update(answers)
        return merged

    def choose_save_file(self) -> None:
        preview = self.wiz.preview_page.preview
        start = Path(self.wiz.choose_page.path.text()).with_suffix(".mapping.json")
        path, _ = QFileDialog.getSaveFileName(self, "Save the mapping", str(start), "Column mappings (*.json)")
        if path and preview is not None:
            self.save_file(Path(path))

    def save_file(self, path: Path) -> None:
        try:
            save_mapping(self.wiz.mapping_page.mapping(), path)
        except OSError as exc:
            self.status.setText(f"The mapping could not be saved to {path} ({exc.strerror}).")
            return
        self.status.setText(f"Mapping saved to {path.name}: rpdesk-cli reads it with --mapping.")

    def validatePage(self) -> bool:
        self.wiz.remember_mapping(self.status)
        return True

    def nextId(self) -> int:
        return CHECK


def _key(match: AnswerToMatch) -> tuple[str, str]:
    return match.scale.name, match.text.casefold()


def _found_in(match: AnswerToMatch) -> str:
    if len(match.headers) == 1:
        return match.headers[0]
    return f"{len(match.headers)} columns: {', '.join(match.headers)}"


def _item(text: str, tip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    return item

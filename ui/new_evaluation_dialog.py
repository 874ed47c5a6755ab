"""The dialog that starts an evaluation: its name, the client, and the catalog to copy.

Built-in catalogs come first, then the user's saved ones; a catalog file elsewhere can be
picked with Browse. Broken saved catalogs are listed as problems instead of stopping the app.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from criteria import CatalogInfo, list_catalogs, read_catalog_file
from ui import errors, file_dialogs


class NewEvaluationDialog(QDialog):
    """Asks for a name, a client and a catalog; `choice` is the picked catalog."""

    def __init__(
        self, catalog_dirs: list[Path], taken_names: set[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New evaluation")
        self.setMinimumWidth(560)
        self.taken = {name.casefold() for name in taken_names}
        self.choice: CatalogInfo | None = None

        self.name_edit = QLineEdit(placeholderText="e.g. Ambulatory EHR support RFP 2027")
        self.name_edit.setObjectName("evaluationName")
        self.client_edit = QLineEdit(placeholderText="The hospital or health system (optional)")
        self.client_edit.setObjectName("evaluationClient")
        self.catalogs = QListWidget()
        self.catalogs.setObjectName("catalogList")
        self.catalogs.setMinimumHeight(120)
        self.description = QLabel(wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.description.setMinimumHeight(60)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        browse = QPushButton("&Browse for a catalog file…")
        browse.setToolTip("Use a catalog file (.toml) saved elsewhere")
        browse.clicked.connect(self._browse)
        self.problems = QLabel(wordWrap=True, visible=False)
        self.message = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Client:", self.client_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        catalog_label = QLabel("C&atalog of criteria to start from:", buddy=self.catalogs)
        layout.addWidget(catalog_label)
        layout.addWidget(self.catalogs, 1)
        layout.addWidget(self.description)
        layout.addWidget(browse, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problems)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        listing = list_catalogs(catalog_dirs)
        for info in listing:
            self._add(info)
        if listing.problems:
            lines = "\n".join(f"• {problem.message}" for problem in listing.problems)
            self.problems.setText(f"Some saved catalogs could not be read:\n{lines}")
            self.problems.show()
        self.name_edit.textChanged.connect(self._validate)
        self.catalogs.currentItemChanged.connect(self._picked)
        if self.catalogs.count():
            self.catalogs.setCurrentRow(0)
        self._validate()

    def _add(self, info: CatalogInfo) -> QListWidgetItem:
        label = info.name if info.built_in else f"{info.name} (saved: {info.path.name})"
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, info)
        item.setToolTip(info.description or info.name)
        self.catalogs.addItem(item)
        return item

    def _picked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        self.choice = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.description.setText(self.choice.description if self.choice else "")
        self._validate()

    def _browse(self) -> None:
        path = file_dialogs.choose_open_file(
            self, "Catalog file", "", "Catalogs (*.toml);;All files (*)", kind="catalog"
        )
        if not path:
            return
        try:
            catalog = read_catalog_file(Path(path))
        except errors.USER_ERRORS as exc:
            errors.show_error(self, errors.user_message(exc), "Cannot use this catalog")
            return
        info = CatalogInfo(catalog.id, catalog.name, catalog.description, Path(path), False)
        self.catalogs.setCurrentItem(self._add(info))

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def client(self) -> str:
        return self.client_edit.text().strip()

    def _validate(self) -> None:
        name = self.name()
        if not name:
            problem = "Give the evaluation a name."
        elif name.casefold() in self.taken:
            problem = f"An evaluation named “{name}” already exists in this database."
        elif self.choice is None:
            problem = "Pick a catalog to start from."
        else:
            problem = ""
        self.message.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

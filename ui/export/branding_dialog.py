"""Report branding: the consultant's firm name, logo, accent colour and prepared-by line.

Kept by `reports.branding.save_branding` in the user's config folder, shared with the command
line's `export`, so both make the same reports. What is wrong is said as the user types, in
the words of `Branding.problems()` (plus "not an image" for a logo Qt cannot read), and Save
waits until it is right. The file and colour choosers are module functions so that tests can
replace them instead of clicking through modal boxes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from evaluator.live_files import live_database_problem
from reports.branding import DEFAULT_ACCENT, Branding, is_hex_colour, normalise_hex, save_branding
from ui import errors, file_dialogs
from ui.accessibility import describe
from ui.grid.delegates import Banner
from ui.widgets import muted

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg);;All files (*)"
PREVIEW = QSize(260, 90)


def choose_logo_file(parent: QWidget | None, start: str) -> str:
    return file_dialogs.choose_open_file(
        parent, "Choose the logo", start, IMAGE_FILTER, kind="image"
    )


def _image_file(logo: Path | None) -> Path | None:
    """The logo file, when there is one that may be read: never a database in use (reading it
    would drop SQLite's locks on it, evaluator/live_files.py)."""
    if logo is None or not logo.is_file() or live_database_problem(logo):
        return None
    return logo


def choose_colour(parent: QWidget | None, initial: QColor) -> QColor | None:
    colour = QColorDialog.getColor(initial, parent, "Accent colour")
    return colour if colour.isValid() else None


def grow_to_fit(dialog: QWidget) -> None:
    """Grow a shown dialog to what its layout needs now: a line that appears (a message, a
    wrapped warning) does not resize a top-level window by itself, and would squeeze the rest."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = (
        layout.totalHeightForWidth(width)
        if layout.hasHeightForWidth()
        else layout.totalMinimumSize().height()
    )
    if needed > dialog.height():
        dialog.resize(width, needed)


def swatch(colour: str, size: QSize = QSize(40, 18)) -> QIcon:  # noqa: B008
    """A filled rectangle of the colour, for buttons and labels."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class BrandingDialog(QDialog):
    """Edit and save the branding; `branding` holds what was saved after `accept()`."""

    def __init__(self, branding: Branding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report branding")
        self.branding = branding

        self.firm = QLineEdit(branding.firm_name)
        self.firm.setPlaceholderText("e.g. Harbourline Advisory")
        self.prepared_by = QLineEdit(branding.prepared_by)
        self.prepared_by.setPlaceholderText("e.g. Jo Example, Senior Consultant")
        self.logo = QLineEdit(branding.logo_path)
        self.logo.setPlaceholderText("No logo")
        self.logo.setToolTip("A PNG or JPEG file; the PDF's cover shows it")
        self.logo.setMinimumWidth(300)
        self.logo_button = QPushButton("C&hoose…")
        self.logo_button.setToolTip("Pick the logo image")
        self.remove_logo = QPushButton("&Remove")
        self.remove_logo.setToolTip("Make the reports without a logo")
        self.preview = QLabel()
        self.preview.setObjectName("logoPreview")
        self.preview.setFixedSize(PREVIEW)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.colour = QLineEdit(branding.accent_colour)
        self.colour.setPlaceholderText(DEFAULT_ACCENT)
        self.colour.setMaxLength(7)
        self.colour.setFixedWidth(self.fontMetrics().horizontalAdvance("#MMMMMMM") + 16)
        self.colour.setToolTip("Headings, rules and table headers: a colour like #1F4E79")
        self.colour_button = QToolButton()
        self.colour_button.setObjectName("accentSwatch")
        self.colour_button.setIconSize(QSize(40, 18))
        self.colour_button.setToolTip("Pick the accent colour")
        describe(self.colour_button, "Pick the accent colour")
        self.default_colour = QPushButton("&Default")
        self.default_colour.setToolTip(f"Go back to SupportScope's navy {DEFAULT_ACCENT}")
        self.problems = Banner()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_button)
        colour_row.addWidget(self.colour)
        colour_row.addWidget(self.default_colour)
        colour_row.addStretch(1)
        form = QFormLayout()
        for text, field in (
            ("&Firm name:", self.firm),
            ("&Prepared by:", self.prepared_by),
            ("&Logo:", self.logo),
            ("&Accent colour:", self.colour),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            row = {self.logo: logo_row, self.colour: colour_row}.get(field, field)
            form.addRow(label, row)
            if field is self.logo:
                form.addRow("", self.preview)
        hint = muted(
            "The PDF shows the firm name, logo and prepared-by line on its cover and the firm "
            "name in its running header; both files use the accent colour for headings. The "
            "command line's export uses the same branding."
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        self.logo_button.clicked.connect(self._choose_logo)
        self.remove_logo.clicked.connect(self.logo.clear)
        self.colour_button.clicked.connect(self._choose_colour)
        self.default_colour.clicked.connect(lambda: self.colour.setText(DEFAULT_ACCENT))
        for edit in (self.firm, self.prepared_by, self.logo, self.colour):
            edit.textChanged.connect(self._refresh)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._refresh()

    # ---- state -------------------------------------------------------------------------------

    def edited(self) -> Branding:
        """The branding as the fields say (stripped; the colour as #RRGGBB when valid)."""
        colour = self.colour.text().strip() or DEFAULT_ACCENT
        return Branding(
            firm_name=self.firm.text().strip(),
            logo_path=self.logo.text().strip(),
            accent_colour=normalise_hex(colour) if is_hex_colour(colour) else colour,
            prepared_by=self.prepared_by.text().strip(),
        )

    def issues(self) -> list[str]:
        found = self.edited().problems()
        logo = _image_file(self.edited().logo)
        if logo is not None and QPixmap(str(logo)).isNull():
            found.append(f"The logo file {logo} is not a PNG or JPEG image Qt can read.")
        return found

    def _refresh(self) -> None:
        branding, issues = self.edited(), self.issues()
        self.colour_button.setIcon(swatch(branding.accent))
        self.remove_logo.setEnabled(bool(self.logo.text().strip()))
        self._show_preview(branding.logo)
        if self.problems.text() != " ".join(issues):
            self.problems.show_message(" ".join(issues))
            grow_to_fit(self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not issues)

    def _show_preview(self, logo: Path | None) -> None:
        image = _image_file(logo)
        pixmap = QPixmap(str(image)) if image is not None else QPixmap()
        if pixmap.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("No logo" if logo is None else "No preview")
            return
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaled(
            PREVIEW * ratio * 0.9,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(ratio)
        self.preview.setPixmap(scaled)

    # ---- actions -----------------------------------------------------------------------------

    def _choose_logo(self) -> None:
        current = self.edited().logo
        start = str(current.parent) if current is not None else ""  # else the last folder
        chosen = choose_logo_file(self, start)
        if chosen:
            self.logo.setText(chosen)

    def _choose_colour(self) -> None:
        chosen = choose_colour(self, QColor(self.edited().accent))
        if chosen is not None:
            self.colour.setText(chosen.name().upper())

    def accept(self) -> None:
        """Save, then close; a file that cannot be written is said and the dialog stays."""
        if self.issues():
            return
        branding = self.edited()
        try:
            save_branding(branding)
        except OSError as exc:
            errors.show_error(self, errors.user_message(exc), "Branding not saved")
            return
        self.branding = branding
        super().accept()


def edit_branding(parent: QWidget | None, branding: Branding) -> Branding | None:
    """Show the dialog; the saved branding, or None when cancelled."""
    dialog = BrandingDialog(branding, parent)
    return dialog.branding if dialog.exec() == QDialog.DialogCode.Accepted else None

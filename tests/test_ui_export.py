"""File ▸ Export and Edit ▸ Report branding, driven like a user in the real window.

The demo evaluation (fictitious hospital and vendors) is exported through the dialog on the
thread pool; the files are read back (pypdf, openpyxl) to check what a client would see. The
desktop is never asked to open anything: `ui.export.dialog.open_in_desktop` is replaced and
the URLs it was given are checked instead. Branding lives in a per-test config folder.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from ui_helpers import answer_identity_prompt

import reports.pdf
from criteria.demo import DEMO_CHAIR, DEMO_NAME, build_demo
from evaluator.db import open_database
from reports.branding import Branding, load_branding
from ui.export import branding_dialog
from ui.export import dialog as export_dialog
from ui.export.branding_dialog import BrandingDialog
from ui.export.dialog import ExportDialog, remember_folder
from ui.main_window import MainWindow
from ui.settings import AppSettings

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(path)
    build_demo(db)
    db.close()
    return path


@pytest.fixture
def config(tmp_path, monkeypatch) -> Path:
    """Branding is saved here, not in the folder the other tests share."""
    folder = tmp_path / "config"
    monkeypatch.setenv("SUPPORTSCOPE_CONFIG", str(folder))
    return folder


@pytest.fixture
def opened(monkeypatch) -> list[QUrl]:
    urls: list[QUrl] = []
    monkeypatch.setattr(export_dialog, "open_in_desktop", lambda url: urls.append(url) or True)
    return urls


@pytest.fixture
def window(qtbot, tmp_path, demo_file, config, opened, shown) -> MainWindow:
    """The window on a copy of the demo database, exporting to tmp_path/out by default."""
    database = Path(shutil.copy(demo_file, tmp_path / "portfolio.db"))
    (tmp_path / "out").mkdir()
    settings = AppSettings()
    remember_folder(settings, tmp_path / "out")
    widget = MainWindow(settings=settings, catalog_dirs=[])
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.start_page.open_location(str(database))
    assert widget.session.data is not None and widget.session.data.name == DEMO_NAME
    answer_identity_prompt(widget, DEMO_CHAIR)  # the demo has a chair: the window asks who
    widget.session.wait_for_results()
    return widget


def open_dialog(qtbot, window: MainWindow) -> ExportDialog:
    assert window.menus.export.isEnabled()
    window.menus.export.trigger()
    (dialog,) = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    qtbot.waitExposed(dialog)
    return dialog


def set_path(qtbot, dialog: ExportDialog, kind: str, path: Path | None) -> None:
    """Tick or untick a file and type its path, as a user would."""
    check = dialog.checks[kind]
    if check.isChecked() != (path is not None):
        qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=check.rect().center())
    if path is not None:
        edit = dialog.paths[kind]
        edit.selectAll()
        qtbot.keyClicks(edit, str(path))


def export_and_wait(qtbot, dialog: ExportDialog) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(str(path)).pages]


def ranked_names(window: MainWindow) -> list[str]:
    """Candidates as the engine ranks them (the disqualified ones last)."""
    session = window.session
    assert session.results is not None
    return [session.candidate(r.candidate_id).name for r in session.results.candidates]


def test_export_both_files_through_the_dialog(qtbot, window, opened, tmp_path):
    dialog = open_dialog(qtbot, window)
    out = tmp_path / "out"
    assert dialog.paths["pdf"].text() == str(out / f"{DEMO_NAME} report.pdf")
    assert dialog.paths["xlsx"].text() == str(out / f"{DEMO_NAME} report.xlsx")
    assert dialog.checks["pdf"].isChecked() and dialog.checks["xlsx"].isChecked()
    assert "No branding" in dialog.branding_label.text()

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # the export runs on the pool: the click returns at once, the window keeps working
    assert dialog.busy and dialog.cancel_button.isEnabled()
    assert not dialog.export_button.isEnabled() and not dialog.close_button.isEnabled()
    ticks: list[int] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)
    timer.stop()
    assert ticks, "the event loop ran while the reports were being made"

    pdf, xlsx = out / f"{DEMO_NAME} report.pdf", out / f"{DEMO_NAME} report.xlsx"
    assert pdf.is_file() and xlsx.is_file()
    assert sorted(p.name for p in out.iterdir()) == sorted([pdf.name, xlsx.name])
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.outcome.isVisible() and dialog.outcome.text().startswith("Saved ")
    assert opened == [QUrl.fromLocalFile(str(out))]  # the folder was shown

    order = ranked_names(window)
    summary = next(page for page in pdf_pages(pdf)[1:] if "1 Executive summary" in page)
    table = summary.split("Totals by category")[0]
    positions = [table.index(name) for name in order]
    assert positions == sorted(positions)
    workbook = openpyxl.load_workbook(xlsx)
    assert [c.value for c in workbook["Summary"]["B"] if c.value in order] == order

    assert dialog.open_report.isVisible() and dialog.open_workbook.isVisible()
    qtbot.mouseClick(dialog.open_report, Qt.MouseButton.LeftButton)
    assert opened[-1] == QUrl.fromLocalFile(str(pdf))
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is None)


def test_the_folder_chosen_last_is_offered_next_time(qtbot, window, monkeypatch, tmp_path):
    elsewhere = tmp_path / "client files"
    elsewhere.mkdir()
    monkeypatch.setattr(
        export_dialog,
        "choose_save_path",
        lambda _parent, _title, _suggested, _filter: str(elsewhere / "Board pack"),
    )
    dialog = open_dialog(qtbot, window)
    set_path(qtbot, dialog, "xlsx", None)  # the PDF only
    qtbot.mouseClick(dialog.browse["pdf"], Qt.MouseButton.LeftButton)
    assert dialog.paths["pdf"].text() == str(elsewhere / "Board pack")
    export_and_wait(qtbot, dialog)
    assert (elsewhere / "Board pack.pdf").is_file()  # the suffix is added
    assert not (elsewhere / f"{DEMO_NAME} report.xlsx").exists()
    dialog.close()

    again = open_dialog(qtbot, window)
    assert again.paths["pdf"].text() == str(elsewhere / f"{DEMO_NAME} report.pdf")
    assert again.checks["pdf"].isChecked() and not again.checks["xlsx"].isChecked()


def test_the_appendix_box_adds_the_justifications_and_is_remembered(qtbot, window, tmp_path):
    dialog = open_dialog(qtbot, window)
    assert not dialog.appendix.isChecked()  # concise unless asked for
    set_path(qtbot, dialog, "xlsx", None)
    qtbot.mouseClick(dialog.checks["pdf"], Qt.MouseButton.LeftButton)
    assert not dialog.appendix.isEnabled()  # an appendix to no PDF means nothing
    qtbot.mouseClick(dialog.checks["pdf"], Qt.MouseButton.LeftButton)
    box = dialog.appendix  # a click on its tick box (the row is wider than its text)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked()
    export_and_wait(qtbot, dialog)
    pages = pdf_pages(Path(dialog.paths["pdf"].text()))
    assert "Appendix B Criterion detail" in pages[0]
    assert any("Justifications:" in page for page in pages)
    dialog.close()
    assert open_dialog(qtbot, window).appendix.isChecked()


def test_cancel_mid_export_leaves_the_existing_file_byte_identical(
    qtbot, window, monkeypatch, opened, tmp_path
):
    target = tmp_path / "out" / "board.pdf"
    target.write_bytes(b"%PDF-1.4 the report the board already has")
    real = reports.pdf.write_pdf
    started, release = threading.Event(), threading.Event()

    def held(*args, **kwargs):  # the real renderer, once Cancel has been pressed
        started.set()
        release.wait(WAIT_MS / 1000)
        return real(*args, **kwargs)

    monkeypatch.setattr(reports.pdf, "write_pdf", held)
    dialog = open_dialog(qtbot, window)
    set_path(qtbot, dialog, "pdf", target)
    set_path(qtbot, dialog, "xlsx", None)
    assert "“board.pdf” already exists and will be replaced." in dialog.replacing.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=WAIT_MS)

    assert "cancelled" in dialog.outcome.text()
    assert target.read_bytes() == b"%PDF-1.4 the report the board already has"
    assert [p.name for p in target.parent.iterdir()] == ["board.pdf"]  # no temporary left
    assert opened == [] and not dialog.open_report.isVisible()
    assert dialog.export_button.isEnabled() and dialog.close_button.isEnabled()


def test_a_failing_export_says_why_and_leaves_the_file(
    qtbot, window, monkeypatch, opened, tmp_path
):
    target = tmp_path / "out" / "board.pdf"
    target.write_bytes(b"yesterday's report")

    def broken(*args, **kwargs):
        raise RuntimeError("the printer caught fire")

    monkeypatch.setattr(reports.pdf, "write_pdf", broken)
    dialog = open_dialog(qtbot, window)
    set_path(qtbot, dialog, "pdf", target)
    set_path(qtbot, dialog, "xlsx", None)
    export_and_wait(qtbot, dialog)

    message = dialog.outcome.text()
    assert message.startswith("Export failed.")
    assert "board.pdf" in message and "the printer caught fire" in message
    assert "unchanged" in message
    assert target.read_bytes() == b"yesterday's report"
    assert opened == []

    # nothing wanted: nothing to press
    set_path(qtbot, dialog, "pdf", None)
    assert not dialog.export_button.isEnabled()


def write_png(path: Path) -> Path:
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#7A1F5C"))
    assert image.save(str(path))
    return path


def test_branding_is_saved_shown_and_printed(qtbot, window, monkeypatch, config, tmp_path):
    logo = write_png(tmp_path / "harbourline.png")
    monkeypatch.setattr(branding_dialog, "choose_logo_file", lambda _parent, _start: str(logo))
    monkeypatch.setattr(branding_dialog, "choose_colour", lambda _p, _c: QColor("#7a1f5c"))
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BrandingDialog)
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        qtbot.keyClicks(dialog.firm, "Harbourline Advisory")
        qtbot.keyClicks(dialog.prepared_by, "Jo Example, Senior Consultant")
        dialog.colour.selectAll()
        qtbot.keyClicks(dialog.colour, "#12")  # half typed: said, and Save waits
        seen["problem"] = dialog.problems.text()
        seen["save while wrong"] = save.isEnabled()
        qtbot.mouseClick(dialog.colour_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.logo_button, Qt.MouseButton.LeftButton)
        seen["preview"] = not dialog.preview.pixmap().isNull()
        seen["problem after"] = dialog.problems.isVisibleTo(dialog)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    export = open_dialog(qtbot, window)
    QTimer.singleShot(0, fill_in)
    qtbot.mouseClick(export.branding_button, Qt.MouseButton.LeftButton)

    assert "'#12' is not a colour like #1F4E79" in str(seen["problem"])
    assert seen["save while wrong"] is False
    assert seen["preview"] is True and seen["problem after"] is False
    expected = Branding(
        "Harbourline Advisory", str(logo), "#7A1F5C", "Jo Example, Senior Consultant"
    )
    assert load_branding() == expected
    assert (config / "branding.json").is_file()
    label = export.branding_label.text()
    assert "Harbourline Advisory" in label and "#7A1F5C" in label and "harbourline.png" in label

    target = tmp_path / "out" / "branded.pdf"
    set_path(qtbot, export, "pdf", target)
    set_path(qtbot, export, "xlsx", None)
    export_and_wait(qtbot, export)
    assert export.outcome.text().startswith("Saved ")
    cover = pdf_pages(target)[0]
    assert "Harbourline Advisory" in cover
    assert "Jo Example, Senior Consultant" in cover


def test_edit_menu_branding_and_the_export_shortcut(qtbot, window, config):
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BrandingDialog)
        assert dialog.firm.text() == ""  # nothing saved yet: the defaults
        dialog.firm.setText("Not kept")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, cancel)
    window.menus.branding.trigger()
    assert not (config / "branding.json").exists()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    (dialog,) = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Escape closes it when idle
    assert not dialog.isVisible()
    window.session.open_evaluation(None)
    assert not window.menus.export.isEnabled()


def test_default_file_names_are_safe_on_every_file_system():
    assert export_dialog.default_name("Cedar Hollow RFP", "pdf") == "Cedar Hollow RFP report.pdf"
    assert (
        export_dialog.default_name('Q3/Q4 "North" RFP?', "xlsx") == "Q3-Q4 -North- RFP report.xlsx"
    )
    assert export_dialog.default_name("///", "pdf") == "SupportScope report.pdf"

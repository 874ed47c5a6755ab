"""Import dialogs for vendor questionnaires and committee scoresheets, and the export actions.

Entry points for the main window (File menu), each taking the parent widget and the
`EvaluationSession`:
    open_questionnaire_import(parent, session, files=())  -> QuestionnaireImportDialog | None
    open_scoresheet_import(parent, session, file=None)    -> ScoresheetImportDialog | None
    export_questionnaire_template(parent, session)        -> Path | None
    export_scoresheet(parent, session)                    -> Path | None
After an import the session's undo stack is cleared (imports are not undoable, and older
commands would restore values the import replaced) and its snapshot reloaded.

The dialogs themselves take `(db, evaluation_id, on_imported=callback)` so they work without a
session. Reading and writing run on the thread pool (ui/jobs.py) with a progress bar and
Cancel; nothing is written until the user presses Import after the preview, and replacing
answers or scores on record is confirmed first. File choosers and questions are module
functions so tests can replace them instead of clicking through modal boxes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaluator import services
from evaluator.db import Database
from evaluator.import_problems import ProblemLine, questionnaire_lines
from evaluator.progress import CancelCheck, Progress
from evaluator.questionnaire.importer import (
    FilePreview,
    apply_questionnaire,
    preview_questionnaires,
)
from evaluator.wording import plural
from ui.accessibility import describe
from ui.errors import USER_ERRORS, show_error, user_message
from ui.imports import base as import_base
from ui.imports.base import ImportDialogBase
from ui.imports.preview import PreviewModel, questionnaire_rows
from ui.imports.scoresheet_dialog import ScoresheetImportDialog

if TYPE_CHECKING:
    from ui.session import EvaluationSession

FROM_FILE = "As named in each file"
__all__ = [
    "QuestionnaireImportDialog",
    "ScoresheetImportDialog",
    "export_questionnaire_template",
    "export_scoresheet",
    "open_questionnaire_import",
    "open_scoresheet_import",
]


# ---- the questionnaire dialog -----------------------------------------------------------------


class QuestionnaireImportDialog(ImportDialogBase):
    """Import one or many filled questionnaires: preview, then apply each file atomically."""

    def __init__(
        self,
        db: Database,
        evaluation_id: int,
        parent: QWidget | None = None,
        on_imported: Callable[[], None] | None = None,
    ) -> None:
        model = PreviewModel(
            ("File", "Candidate", "Question (cell)", "On record", "In the file", "Status")
        )
        super().__init__(db, evaluation_id, model, parent, on_imported)
        self.setWindowTitle("Import questionnaires")
        self.previews: list[FilePreview] = []
        self._left_over: list[ProblemLine] = []  # the last import's problems, still listed
        self.files = QListWidget(self)
        self.files.setMaximumHeight(110)
        describe(self.files, "Files to import")
        self.add_button = QPushButton("Add files\u2026", self)
        self.add_button.clicked.connect(self._choose_files)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self._remove_selected)
        self.candidate = QComboBox(self)
        self.candidate.addItem(FROM_FILE)
        data = services.load_evaluation(db, evaluation_id)
        self.candidate.addItems([c.name for c in data.candidates])
        self.problems_title = data.name
        self.valid_only.setText("Import the valid answers of files with errors")
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.import_files)
        self.valid_only.toggled.connect(self._refresh_import_button)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.files, 1)
        side = QVBoxLayout()
        side.addWidget(self.add_button)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row.addLayout(side)
        layout.addWidget(QLabel(f"Filled questionnaires for \u201c{data.name}\u201d:", self))
        layout.addLayout(row)
        form = QFormLayout()
        form.addRow("Candidate:", self.candidate)
        layout.addLayout(form)
        self._bottom(layout)

    def _inputs(self) -> list[QWidget]:
        return [*super()._inputs(), self.files, self.add_button, self.remove_button, self.candidate]

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_files(self, paths: Sequence[str | Path]) -> None:
        known = {str(p) for p in self.paths()}
        for path in paths:
            if str(path) not in known:
                self.files.addItem(str(path))
                known.add(str(path))
        self._stale()

    def _choose_files(self) -> None:
        self.add_files(import_base.choose_open_files(self, "Choose filled questionnaires"))

    def _remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._stale()

    def _stale(self) -> None:
        self.previews, self._left_over = [], []
        self.model.set_rows([])
        self._shown_rows()
        self.import_button.setEnabled(False)
        count = self.files.count()
        self.summary.setText(f"{plural(count, 'file')} chosen: Preview to see what would change.")

    def preview(self) -> None:
        paths = self.paths()
        if not paths:
            self.summary.setText("Add the filled questionnaires first.")
            return
        chosen = self.candidate.currentText()
        candidate = None if self.candidate.currentIndex() == 0 else chosen
        db, evaluation = self.db, self.evaluation_id

        def job(progress: Progress, cancel: CancelCheck) -> list[FilePreview]:
            return preview_questionnaires(
                db, evaluation, paths, candidate, progress=progress, cancel=cancel
            )

        self._run(job, self._previewed, f"Reading {plural(len(paths), 'file')}\u2026")

    def _previewed(self, previews: list[FilePreview]) -> None:
        self.previews, self._left_over = previews, []
        self.model.set_rows(questionnaire_rows(previews))
        self._shown_rows()
        self.summary.setText(self._summary_text())
        self._refresh_import_button()

    def problem_lines(self) -> list[ProblemLine]:
        """The previewed files' problems; after an import, those it left (still listed, still
        worth sending back to the vendor)."""
        return questionnaire_lines(self.previews) if self.previews else self._left_over

    def _refresh_import_button(self, *_: object) -> None:
        self.import_button.setEnabled(not self.busy and bool(self._importable()))

    def _importable(self) -> list[Any]:
        valid_only = self.valid_only.isChecked()
        return [
            item.preview
            for item in self.previews
            if item.preview is not None and not item.preview.blocked(valid_only)
        ]

    def _summary_text(self) -> str:
        ready = [p.preview for p in self.previews if p.preview is not None]
        refused = len(self.previews) - len(ready)
        blocked = sum(p.blocked(False) for p in ready)
        replaced = sum(len(p.replaced) for p in ready)
        new = sum(len(p.to_write) - len(p.replaced) for p in ready)
        text = (
            f"{plural(len(self.previews), 'file')}: {new} new and {replaced} replaced answers; "
            f"{plural(refused, 'file')} cannot be imported"
        )
        if blocked:
            text += (
                f"; {plural(blocked, 'file')} with errors, imported only if you tick "
                "\u201cImport the valid answers\u201d"
            )
        return text + "."

    def import_files(self) -> None:
        previews = self._importable()
        if not previews:
            self.summary.setText("Nothing can be imported: see the errors in the table.")
            return
        replaced = sum(len(p.replaced) for p in previews)
        outdated = [p.file_name for p in previews if p.outdated]
        if replaced or outdated:
            question = []
            if replaced:
                question.append(f"{plural(replaced, 'answer')} on record will be replaced.")
            if outdated:
                question.append(
                    f"{', '.join(outdated)} was made from an older version of the questions."
                )
            if not import_base.confirm(
                self, "Replace answers?", " ".join([*question, "Import anyway?"])
            ):
                return
        db, valid_only = self.db, self.valid_only.isChecked()

        def job(progress: Progress, cancel: CancelCheck) -> tuple[list[Any], list[str], bool]:
            outcomes, failures = [], []
            backup = None  # the evaluation before the first file written covers the batch
            for done, preview in enumerate(previews):
                if cancel():
                    return outcomes, failures, True
                try:
                    outcome = apply_questionnaire(db, preview, valid_only=valid_only, backup=backup)
                    outcomes.append(outcome)
                    backup = backup or outcome.backup
                except services.ServiceError as exc:
                    failures.append(str(exc))
                progress(done + 1, len(previews))
            return outcomes, failures, False

        self._run(job, self._applied, f"Importing {plural(len(previews), 'file')}\u2026")

    def _applied(self, result: tuple[list[Any], list[str], bool]) -> None:
        outcomes, failures, stopped = result
        written = sum(o.written for o in outcomes)
        text = f"Imported {plural(written, 'answer')} from {plural(len(outcomes), 'file')}."
        text += import_base.backup_note(next((o.backup for o in outcomes if o.backup), None))
        if stopped:
            text += " Cancelled before the remaining files; those were not imported."
        if failures:
            text += " Not imported: " + " ".join(failures)
        self.summary.setText(text)
        self._left_over = questionnaire_lines(self.previews)
        self.previews = []
        self.import_button.setEnabled(False)
        self.save_problems_button.setEnabled(bool(self._left_over))
        if outcomes:
            self._imported()


# ---- entry points for the main window ----------------------------------------------------------


def _ready(parent: QWidget | None, session: EvaluationSession) -> bool:
    if session.db is None or session.data is None:
        show_error(parent, "Open an evaluation first")
        return False
    return True


def _refresh(session: EvaluationSession) -> None:
    session.undo_stack.clear()
    session.reload()


def open_questionnaire_import(
    parent: QWidget | None, session: EvaluationSession, files: Sequence[str | Path] = ()
) -> QuestionnaireImportDialog | None:
    if not _ready(parent, session):
        return None
    assert session.db is not None
    dialog = QuestionnaireImportDialog(
        session.db, session.ref, parent, on_imported=lambda: _refresh(session)
    )
    dialog.add_files(files)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_scoresheet_import(
    parent: QWidget | None, session: EvaluationSession, file: str | Path | None = None
) -> ScoresheetImportDialog | None:
    if not _ready(parent, session):
        return None
    assert session.db is not None
    dialog = ScoresheetImportDialog(
        session.db,
        session.ref,
        parent,
        on_imported=lambda: _refresh(session),
        viewer=session.identity,
    )
    if file:
        dialog.set_file(file)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _file_name(*parts: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", " - ".join(p for p in parts if p)).strip() + ".xlsx"


def _with_suffix(path: str) -> Path:
    target = Path(path)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")


def export_questionnaire_template(
    parent: QWidget | None, session: EvaluationSession
) -> Path | None:
    """Ask for whom (or blank) and where, then write the questionnaire workbook."""
    if not _ready(parent, session):
        return None
    from evaluator.questionnaire.template import write_questionnaire_template

    assert session.data is not None and session.db is not None
    blank = "Blank (any candidate fills in their name)"
    names = [blank, *(c.name for c in session.data.candidates)]
    who = import_base.choose_item(parent, "Questionnaire", "Make the questionnaire for:", names)
    if who is None:
        return None
    candidate = None if who == blank else who
    suggested = _file_name(session.data.name, candidate or "questionnaire")
    path = import_base.choose_save_file(parent, "Save the questionnaire", suggested)
    if not path:
        return None
    try:
        summary = write_questionnaire_template(
            session.db, session.ref, _with_suffix(path), candidate
        )
    except USER_ERRORS as exc:
        show_error(parent, user_message(exc))
        return None
    return summary.path


def export_scoresheet(parent: QWidget | None, session: EvaluationSession) -> Path | None:
    """Ask for the committee member and where, then write their scoresheet."""
    if not _ready(parent, session):
        return None
    from evaluator.scoresheet.export import write_scoresheet

    assert session.data is not None and session.db is not None
    names = [e.name for e in session.data.evaluators]
    if not names:
        show_error(parent, "Add the committee members first")
        return None
    who = session.identity
    if session.blind and (who is None or not who.chair):  # a sheet holds its member's scores
        if who is None:
            show_error(parent, session.blind_reason("A member's scoresheet"))
            return None
        names = [who.name]  # scoring blind, a member exports their own sheet only
    member = import_base.choose_item(parent, "Scoresheet", "Export the scoresheet of:", names)
    if member is None:
        return None
    path = import_base.choose_save_file(
        parent, "Save the scoresheet", _file_name(session.data.name, member, "scoresheet")
    )
    if not path:
        return None
    try:
        summary = write_scoresheet(
            session.db,
            session.ref,
            member,
            _with_suffix(path),
            viewer=session.identity,
            live_view=session.live_view,
        )
    except USER_ERRORS as exc:
        show_error(parent, user_message(exc))
        return None
    return summary.path

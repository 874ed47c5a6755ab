"""The scoresheet import dialog: preview a committee member's sheet, decide conflicts, import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from evaluator.db import Database
from evaluator.identity import Identity
from evaluator.import_problems import ProblemLine, scoresheet_lines
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.scoresheet.apply import apply_scoresheet
from evaluator.scoresheet.merge import Resolution, ScoresheetPreview, preview_scoresheet_file
from evaluator.services import load_evaluation
from evaluator.visibility import require_sheet_import
from evaluator.wording import plural
from ui.imports import base as import_base
from ui.imports.base import ImportDialogBase
from ui.imports.preview import ScorePreviewModel, scoresheet_rows


class ScoresheetImportDialog(ImportDialogBase):
    """Import one committee member's scoresheet; the chair decides each conflict."""

    def __init__(
        self,
        db: Database,
        evaluation_id: int,
        parent: QWidget | None = None,
        on_imported: Callable[[], None] | None = None,
        viewer: Identity | None = None,
    ) -> None:
        self.viewer = viewer  # who reads the sheet in: the blind rules and the audit use it
        self.score_model = ScorePreviewModel()
        super().__init__(db, evaluation_id, self.score_model, parent, on_imported)
        self.setWindowTitle("Import a scoresheet")
        self.preview_result: ScoresheetPreview | None = None
        self._left_over: list[ProblemLine] = []  # the last import's problems, still listed
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("The scoresheet a committee member filled in")
        self.path.setAccessibleName("Scoresheet file")
        self.path.textChanged.connect(self._stale)
        self.browse = QPushButton("Choose\u2026", self)
        self.browse.clicked.connect(self._choose)
        self.keep_all = QPushButton("Keep database for all", self)
        self.keep_all.clicked.connect(lambda: self._decide_all(Resolution.KEEP_DATABASE))
        self.take_all = QPushButton("Take sheet for all", self)
        self.take_all.clicked.connect(lambda: self._decide_all(Resolution.TAKE_SHEET))
        self.valid_only.setText("Import the valid scores if some rows have errors")
        self.preview_button.clicked.connect(self.preview)
        self.import_button.clicked.connect(self.import_sheet)
        self.score_model.dataChanged.connect(self._decisions_changed)
        self.valid_only.toggled.connect(self._decisions_changed)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Scoresheet:", self))
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        layout.addLayout(row)
        conflicts = QHBoxLayout()
        conflicts.addWidget(QLabel("Conflicts:", self))
        conflicts.addWidget(self.keep_all)
        conflicts.addWidget(self.take_all)
        conflicts.addStretch(1)
        layout.addLayout(conflicts)
        self._bottom(layout)

    def _inputs(self) -> list[QWidget]:
        return [*super()._inputs(), self.path, self.browse, self.keep_all, self.take_all]

    def set_file(self, path: str | Path) -> None:
        self.path.setText(str(path))

    def _choose(self) -> None:
        chosen = import_base.choose_open_files(self, "Choose a filled scoresheet")
        if chosen:
            self.set_file(chosen[0])

    def _stale(self) -> None:
        self.preview_result, self._left_over = None, []
        self.score_model.set_rows([])
        self._shown_rows()
        self.import_button.setEnabled(False)

    def preview(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.summary.setText("Choose the scoresheet first.")
            return
        db, evaluation, path, viewer = self.db, self.evaluation_id, Path(text), self.viewer

        def job(progress: Progress, cancel: CancelCheck) -> ScoresheetPreview:
            raise_if_cancelled(cancel)
            data = load_evaluation(db, evaluation)
            result = preview_scoresheet_file(data, path)
            member = next(e for e in data.evaluators if e.id == result.evaluator_id)
            require_sheet_import(data, viewer, member)  # before the preview shows any score
            progress(1, 1)
            return result

        self._run(job, self._previewed, f"Reading {path.name}\u2026")

    def _previewed(self, preview: ScoresheetPreview) -> None:
        self.preview_result, self._left_over = preview, []
        self.score_model.set_rows(scoresheet_rows(preview))
        self.problems_title = f"{preview.evaluator}, {preview.file_name}"
        self._shown_rows()
        self._decisions_changed()

    def problem_lines(self) -> list[ProblemLine]:
        """The previewed sheet's problems; after an import, those it left (still listed)."""
        if self.preview_result is None:
            return self._left_over
        return scoresheet_lines(self.preview_result)

    def _decide_all(self, resolution: Resolution) -> None:
        self.score_model.decide_all(resolution)

    def _decisions_changed(self, *_: object) -> None:
        preview = self.preview_result
        if preview is None:
            return
        undecided = self.score_model.undecided()
        text = preview.summary() + "."
        if undecided:
            text += (
                f" {plural(undecided, 'score')} {'was' if undecided == 1 else 'were'} changed in "
                "the database since the export: tick "
                "\u201cTake sheet\u201d or untick it to keep the database's score."
            )
        self.summary.setText(text)
        self.import_button.setEnabled(
            not self.busy and not undecided and not preview.blocked(self.valid_only.isChecked())
        )

    def import_sheet(self) -> None:
        preview = self.preview_result
        if preview is None or self.score_model.undecided():
            return
        if preview.replaced and not import_base.confirm(
            self,
            "Replace scores?",
            f"{plural(len(preview.replaced), 'score')} of {preview.evaluator} on record will be "
            "replaced "
            "with the sheet's. Import anyway?",
        ):
            return
        db, decisions = self.db, self.score_model.decisions()
        valid_only = self.valid_only.isChecked()

        def job(progress: Progress, cancel: CancelCheck) -> Any:
            raise_if_cancelled(cancel)
            outcome = apply_scoresheet(
                db, preview, decisions=decisions, valid_only=valid_only, actor=self.viewer
            )
            progress(1, 1)
            return outcome

        self._run(job, self._applied, f"Importing {preview.file_name}\u2026")

    def _applied(self, outcome: Any) -> None:
        self._left_over = self.problem_lines()
        self.preview_result = None
        self.import_button.setEnabled(False)
        self.save_problems_button.setEnabled(bool(self._left_over))
        self.summary.setText(
            f"Imported {outcome.written} scores of {outcome.evaluator} from {outcome.file_name}"
            + (
                f"; kept {plural(outcome.kept_database, 'database score')}"
                if outcome.kept_database
                else ""
            )
            + "."
            + import_base.backup_note(outcome.backup)
        )
        self._imported()

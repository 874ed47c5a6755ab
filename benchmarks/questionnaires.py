"""The questionnaire import, timed: filled files made once, each run on a fresh copy.

SupportScope reads every file through the workbook guard (bounded, read-only), previews it
against the evaluation and applies it in one audited transaction per file, the evaluation backed
up once before the first, as `questionnaire import` does for a batch; the baseline reads
the same bounded range with openpyxl in read-only mode and bulk-inserts the answers with
SQLAlchemy Core in one transaction.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from benchmarks.bench_import import answer_for, build_tree
from benchmarks.data import Size

FIRST_ROW = 5  # the template's first question row
ANSWER_COLUMN = 5


class Questionnaires:
    """`files` filled questionnaires of `questions` rows for one evaluation."""

    def __init__(self, size: Size, folder: Path) -> None:
        from openpyxl import load_workbook

        from evaluator import services
        from evaluator.db import open_database
        from evaluator.questionnaire.fingerprint import questionnaire_questions
        from evaluator.questionnaire.template import write_questionnaire_template

        self.folder = folder / "questionnaires"
        self.folder.mkdir()
        self.files_count = size.candidates
        self.questions = max(10, 500 * size.leaves // 200)  # 500 rows at committee scale
        self.source = self.folder / "import.db"
        db = open_database(self.source)
        self.evaluation = services.create_evaluation(db, "Import bench", build_tree(self.questions))
        self.names = [f"Vendor {n:02d} (fictitious)" for n in range(self.files_count)]
        for name in self.names:
            services.add_candidate(db, self.evaluation, name)
        template = self.folder / "template.xlsx"
        write_questionnaire_template(db, self.evaluation, template)
        self.specs = questionnaire_questions(services.load_evaluation(db, self.evaluation).criteria)
        db.close()
        book = load_workbook(template)
        sheet = book["Questionnaire"]
        for row, spec in enumerate(self.specs, start=FIRST_ROW):
            sheet.cell(row, ANSWER_COLUMN).value = answer_for(spec.question.answer_type, row)
        filled = self.folder / "filled.xlsx"
        book.save(filled)
        self.files = []
        for n in range(self.files_count):
            self.files.append(Path(shutil.copyfile(filled, self.folder / f"vendor-{n:02d}.xlsx")))

    def fresh(self, name: str) -> Path:
        target = self.folder / name
        shutil.copyfile(self.source, target)
        return target

    def app(self) -> float:
        from evaluator import services
        from evaluator.db import open_database
        from evaluator.questionnaire.importer import apply_questionnaire, preview_file

        db = open_database(self.fresh("app.db"))
        start = time.perf_counter()
        data = services.load_evaluation(db, self.evaluation)
        backup = None  # as `questionnaire import` and the dialog: one backup before the batch
        for path, name in zip(self.files, self.names, strict=True):
            outcome = apply_questionnaire(db, preview_file(data, path, name), backup=backup)
            assert outcome.written == len(self.specs), outcome
            backup = backup or outcome.backup
        took = time.perf_counter() - start
        db.close()
        return took

    def bare(self) -> float:
        from openpyxl import load_workbook
        from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, insert

        engine = create_engine(f"sqlite:///{self.fresh('bare.db')}")
        table = Table(
            "bare_answers", MetaData(), Column("file", Integer), Column("row", Integer),
            Column("answer", Text),
        )  # fmt: skip
        table.create(engine)
        last = FIRST_ROW + len(self.specs) - 1
        start = time.perf_counter()
        for n, path in enumerate(self.files):
            book = load_workbook(path, read_only=True, data_only=True)
            rows = book["Questionnaire"].iter_rows(
                min_row=FIRST_ROW, max_row=last, min_col=ANSWER_COLUMN, max_col=ANSWER_COLUMN,
                values_only=True,
            )  # fmt: skip
            values = [
                {"file": n, "row": i, "answer": str(cells[0])} for i, cells in enumerate(rows)
            ]
            book.close()
            with engine.begin() as connection:
                connection.execute(insert(table), values)
        took = time.perf_counter() - start
        engine.dispose()
        return took

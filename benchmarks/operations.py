"""Each benchmarked operation beside its bare-library baseline, on one prepared size.

Every `Pair` times SupportScope doing a user's job and the bare libraries doing the same work
directly; `suite.py` runs the two alternately and keeps medians. The baselines are what the
issue names: a bare PySide6 window, SQLAlchemy Core rows into tuples, UPDATE + audit + COMMIT +
a NumPy re-rank, openpyxl read-only + Core bulk insert, openpyxl writing the same cells and
reportlab's platypus laying out the same pages (benchmarks/pdf_bare.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.data import NAME, Size, build_database, leaf_keys
from benchmarks.questionnaires import Questionnaires

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Pair:
    """One row of the table: SupportScope's timing function and the baseline's (or None)."""

    name: str
    app: Callable[[], float]
    bare: Callable[[], float] | None
    target: str  # "2.5x" (a ratio to the baseline), "50 ms p95", "1 s", "500 MB"
    note: Callable[[], str] = field(default=lambda: "")
    runs: int = 1  # alternations per repeat: a sub-second row is noisy on a shared machine


def stopwatch(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def child(*args: str, env: dict[str, str]) -> dict[str, float]:
    """A fresh interpreter showing a window: its figures (`painted`, and for the app `built`,
    `loaded`: seconds since it was started; `rss`: peak MiB when it exited)."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.first_window", *args, "--since", repr(time.time())],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    ).stdout  # fmt: skip
    words = (line.split() for line in out.splitlines())
    return {w[0]: float(w[1]) for w in words if len(w) == 2 and w[0] in FIGURES}


FIGURES = ("painted", "built", "loaded", "rss")


class Prepared:
    """One size's database (and its copies), session, files, made once before timing."""

    def __init__(self, size: Size, folder: Path, seed: int = 1) -> None:
        self.size, self.folder = size, folder
        self.db_path = folder / "large.db"
        self.evaluation = build_database(self.db_path, size, seed)
        self.empty_path = folder / "empty.db"
        from evaluator.db import open_database

        open_database(self.empty_path).close()
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                    "SUPPORTSCOPE_CONFIG": str(folder / "config")}  # fmt: skip
        self.rss = 0.0
        self.later: dict[Path, list[dict[str, float]]] = {}  # start-up figures after the paint
        self.edit_times: list[float] = []
        self.ranked_times: list[float] = []  # opening until the totals and ranks were shown
        self.bare_open_times: list[float] = []
        self._main_window = None
        self.cells = self.pages = 0
        self._report = None
        self._bare_pdf = None

    # ---- cold start ----------------------------------------------------------------------

    def start_app(self, path: Path, loaded: bool = False) -> Callable[[], float]:
        def run() -> float:
            figures = child("app", str(path), *(["--loaded"] if loaded else []), env=self.env)
            self.later.setdefault(path, []).append(figures)
            if loaded:
                self.rss = max(self.rss, figures["rss"])
            return figures["painted"]

        return run

    def start_note(self, path: Path) -> str:
        """When the rest followed the first paint (medians): the whole window built, and the
        evaluation read and ranked."""
        runs = self.later.get(path, [])
        parts = []
        for key, what in (("built", "window built"), ("loaded", "evaluation shown")):
            values = [run[key] for run in runs if key in run]
            if values:
                parts.append(f"{what} at {statistics.median(values):.2f} s")
        return ", ".join(parts)

    def start_bare(self) -> float:
        return child("bare", env=self.env)["painted"]

    def window_rss(self) -> float:
        """Peak RSS of the window with the evaluation loaded (MiB), measured by the cold start
        on the large database (reported in the 'time' column)."""
        return self.rss or child("app", str(self.db_path), "--loaded", env=self.env)["rss"]

    # ---- open ----------------------------------------------------------------------------

    def open_app(self) -> float:
        """The evaluation opened in a built main window (1366 x 768, offscreen) until its grid
        is shown: what issue 12 measures and a user waits for after File > Open. The ranking
        that follows from a worker thread is timed too (the note); the audit check after it is
        waited for untimed, so its thread never slows the next run."""
        from PySide6.QtWidgets import QApplication

        window = self._window()
        start = time.perf_counter()
        window.session.open_database(str(self.db_path))
        QApplication.processEvents()  # the grid painted
        shown = time.perf_counter() - start
        window.session.wait_for_results(120_000)
        QApplication.processEvents()  # totals and ranks painted
        self.ranked_times.append(time.perf_counter() - start)
        window.session.wait_for_audit(120_000)
        window.session.close_database()
        QApplication.processEvents()
        return shown

    def open_note(self) -> str:
        if not self.ranked_times or not self.bare_open_times:
            return ""
        ranked = statistics.median(self.ranked_times)
        ratio = ranked / statistics.median(self.bare_open_times)
        return f"ranked at {1000 * ranked:.0f} ms ({ratio:.1f}x); audit check after that"

    def _window(self):  # type: ignore[no-untyped-def]
        """One main window for every open run, with settings of its own."""
        if self._main_window is None:
            from PySide6.QtCore import QSettings

            from ui.main_window import MainWindow
            from ui.settings import AppSettings

            ini = QSettings(str(self.folder / "window.ini"), QSettings.Format.IniFormat)
            self._main_window = MainWindow(settings=AppSettings(ini))
            self._main_window.resize(1366, 768)
            self._main_window.show()
            # on the Scoring tab, as a member who opens the next database from File > Recent:
            # the grid is painted, not the Start page
            scoring = self._main_window.tab_page("Scoring")
            self._main_window.tabs.setCurrentWidget(scoring)
        return self._main_window

    def open_bare(self) -> float:
        from sqlalchemy import create_engine, text

        engine = create_engine(f"sqlite:///{self.db_path}")
        start = time.perf_counter()
        with engine.connect() as connection:
            for table in ("criteria", "candidates", "evaluators", "scores"):
                list(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))))
        took = time.perf_counter() - start
        engine.dispose()
        self.bare_open_times.append(took)
        return took

    # ---- one edit ------------------------------------------------------------------------

    def edit_app(self, edits: int = 20) -> float:
        """p95 of `edits` score edits, each until written, audited and re-ranked."""
        from ui.session import EvaluationSession
        from ui.undo import SetScore

        session = EvaluationSession()
        session.open_database(str(self.db_path))
        session.wait_for_results(120_000)
        session.wait_for_audit(120_000)  # its thread follows the ranking: not the edits' cost
        data = session.data
        assert data is not None
        key = leaf_keys(self.size)[0]
        member, candidate = data.evaluators[0].id, data.candidates[0].id
        times = []
        for n in range(edits):
            start = time.perf_counter()
            session.execute(SetScore(session, member, candidate, key, n % 6, f"edit {n}"))
            session.wait_for_results(60_000)
            times.append(time.perf_counter() - start)
        session.close_database()
        self.edit_times += times
        return percentile(times, 95)

    def edit_bare(self, edits: int = 20) -> float:
        """UPDATE + audit INSERT + COMMIT on a copy of the file, then a NumPy re-rank."""
        import numpy as np

        copy = self.folder / "bare-edit.db"
        shutil.copyfile(self.db_path, copy)
        size = self.size
        rng = np.random.default_rng(1)
        cube = rng.integers(0, 6, (size.members, size.candidates, size.leaves)).astype(float)
        weights = rng.random(size.leaves)
        weights /= weights.sum()
        means = cube.mean(axis=0)
        connection = sqlite3.connect(copy)
        (score_id,) = connection.execute("SELECT min(id) FROM scores").fetchone()
        times = []
        for n in range(edits):
            start = time.perf_counter()
            connection.execute("UPDATE scores SET value = ? WHERE id = ?", (n % 6, score_id))
            connection.execute(
                "INSERT INTO audit_log (evaluation_id, at, actor, action, target, old, new, why)"
                " VALUES (?, CURRENT_TIMESTAMP, 'bench', 'score', 't', '1', '2', 'bench')",
                (self.evaluation,),
            )
            connection.commit()
            cube[0, 0, 0] = n % 6
            means[0, 0] = cube[:, 0, 0].mean()
            np.argsort(-(means @ weights))
            times.append(time.perf_counter() - start)
        connection.close()
        return percentile(times, 95)

    # ---- reports -------------------------------------------------------------------------

    def report(self):  # type: ignore[no-untyped-def]
        """The report data both files are rendered from, built once (as the export does)."""
        if self._report is None:
            from datetime import UTC, datetime

            from evaluator import services
            from evaluator.db import open_database
            from evaluator.scoring import score_evaluation
            from reports.branding import Branding
            from reports.data import build_report
            from reports.sensitivity_data import build_sensitivity

            db = open_database(self.db_path)
            data = services.load_evaluation(db, NAME)
            audit = services.audit_trail(db, data.id)
            db.close()
            self._report = build_report(
                data, score_evaluation(data), audit, Branding(), "bench", datetime.now(UTC),
                sensitivity=build_sensitivity(data),
            )  # fmt: skip
        return self._report

    def excel_app(self) -> float:
        from reports.xlsx import write_xlsx

        report = self.report()
        return stopwatch(lambda: write_xlsx(report, self.folder / "report.xlsx"))

    def excel_bare(self) -> float:
        """openpyxl writing the values of every cell the app's workbook holds."""
        from openpyxl import Workbook, load_workbook

        source = self.folder / "report.xlsx"
        if not source.exists():
            self.excel_app()
        book = load_workbook(source, read_only=True)
        sheets = [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)]) for ws in book]
        book.close()
        self.cells = sum(len(row) for _, rows in sheets for row in rows)

        def write() -> None:
            out = Workbook()
            out.remove(out.active)
            for title, rows in sheets:
                ws = out.create_sheet(title)
                for row in rows:
                    ws.append(row)
            out.save(self.folder / "bare.xlsx")

        return stopwatch(write)

    def pdf_app(self) -> float:
        from reports.pdf import write_pdf

        report = self.report()
        return stopwatch(lambda: write_pdf(report, self.folder / "report.pdf"))

    def pdf_bare(self) -> float:
        """reportlab's platypus writing the same pages directly (benchmarks/pdf_bare.py says
        exactly what that holds: same paragraphs, tables, charts and embedded font)."""
        import pypdf

        from benchmarks.pdf_bare import BarePdf

        if self._bare_pdf is None:
            self._bare_pdf = BarePdf(self.report())  # reading the content is not timed
        source = self.folder / "report.pdf"
        if source.exists():
            self.pages = len(pypdf.PdfReader(source).pages)
        bare = self._bare_pdf
        return stopwatch(lambda: bare.write(self.folder / "bare.pdf"))

    # ---- simulation ----------------------------------------------------------------------

    def monte_carlo(self) -> float:
        from evaluator.db import open_database
        from evaluator.robustness import Settings, simulate
        from evaluator.services import load_evaluation

        db = open_database(self.db_path)
        data = load_evaluation(db, NAME)
        db.close()
        return stopwatch(lambda: simulate(data, Settings(draws=10_000, seed=1)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def pairs(p: Prepared, q: Questionnaires) -> list[Pair]:
    """The table's rows for one prepared size."""
    return [
        Pair("cold start -> first painted window, large database",
             p.start_app(p.db_path, loaded=True), p.start_bare, "2.5x",
             lambda: p.start_note(p.db_path)),
        Pair("same, empty database", p.start_app(p.empty_path), p.start_bare, "2.5x",
             lambda: p.start_note(p.empty_path)),
        Pair("open the evaluation into the window (grid shown)", p.open_app, p.open_bare,
             "1.5x", p.open_note, runs=5),
        Pair("one score edit -> written, audited, re-ranked (p95)", p.edit_app, p.edit_bare,
             "0.05 s", lambda: f"p50 {1000 * percentile(p.edit_times, 50):.0f} ms"),
        Pair("import questionnaires", q.app, q.bare, "2x",
             lambda: f"{q.files_count} files x {len(q.specs)} rows"),
        Pair("Excel report, rendered from the report data", p.excel_app, p.excel_bare, "1.3x",
             lambda: f"{p.cells:,} cells"),
        Pair("PDF report, rendered from the report data", p.pdf_app, p.pdf_bare, "1.3x",
             lambda: f"{p.pages} pages"),
        Pair("Monte-Carlo, 10,000 draws", p.monte_carlo, None, "1 s"),
        Pair("window RSS (MiB), evaluation loaded", p.window_rss, None, "500 MiB"),
    ]  # fmt: skip

"""The one table of kinds (evaluator/kinds.py): complete, and the only wording people see.

Labels are checked where people read them (the CLI's `show`, the report data object and the
workbook, the window's criteria tree and people table), and the source is checked for the
scattered label tables and kind comparisons the table replaced.
"""

from __future__ import annotations

import ast
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from ui_helpers import make_database

from cli import run
from criteria import load_catalog
from criteria.loader import kinds_comment, read_catalog_file, save_catalog
from evaluator.domain import (
    AnswerType,
    Candidate,
    CandidateKind,
    Criterion,
    CriterionKind,
    EvaluationData,
    Question,
    Response,
    Score,
    leaves,
    walk_tree,
)
from evaluator.kinds import (
    CANDIDATE_KINDS,
    CRITERION_KINDS,
    Need,
    Scoring,
    candidate_kind_label,
    in_sentence,
    is_weighted,
    kind_info,
    kind_label,
)
from evaluator.scoring import score_evaluation
from reports.branding import Branding
from reports.data import build_report
from reports.xlsx import render_xlsx
from tests.report_fixtures import sample_audit, sample_data
from ui.criteria.model import KIND, CriteriaModel
from ui.criteria.view import CriteriaView
from ui.people.model import CandidatesModel
from ui.session import EvaluationSession
from ui.undo import AddCandidate

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGES = ("evaluator", "criteria", "reports", "cli", "ui")
TABLE = ROOT / "evaluator" / "kinds.py"
WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


# ---- the table itself --------------------------------------------------------------------------


def test_every_kind_has_one_record_under_its_own_name():
    assert set(CRITERION_KINDS) == set(CriterionKind)
    assert set(CANDIDATE_KINDS) == set(CandidateKind)
    for kind, row in [*CRITERION_KINDS.items(), *CANDIDATE_KINDS.items()]:
        assert row.kind is kind
        assert row.label.strip() and row.description.strip(), kind


def test_labels_are_distinct_and_each_criterion_label_starts_with_the_word_typed_in_files():
    criterion_labels = [row.label for row in CRITERION_KINDS.values()]
    candidate_labels = [row.label for row in CANDIDATE_KINDS.values()]
    assert len(set(criterion_labels)) == len(criterion_labels)
    assert len(set(candidate_labels)) == len(candidate_labels)
    for kind, row in CRITERION_KINDS.items():
        assert row.label.casefold().startswith(kind.value), row.label


def test_the_table_agrees_with_itself():
    for row in CRITERION_KINDS.values():
        # a category only groups; every leaf is asked a question for the questionnaire
        assert (row.scoring is Scoring.CHILDREN) is (not row.is_leaf)
        assert (row.question is Need.REQUIRED) is row.is_leaf
        assert row.members_score is (row.scoring is Scoring.MEMBERS)
        assert row.is_computed is (row.is_leaf and not row.members_score)
        # what members score needs a rubric to score against; a rule-scored kind needs a rule
        if row.members_score:
            assert row.rubric is Need.REQUIRED
        if row.scoring is Scoring.RULE:
            assert row.rule is Need.REQUIRED


def test_every_leaf_kind_is_scored_by_the_engine():
    """A kind whose way of scoring the engine does not know fails here, not in a report."""
    for kind, row in CRITERION_KINDS.items():
        if not row.is_leaf:
            continue
        leaf = Criterion("c.x", "Under test", kind, 1.0 if row.weighted else 0.0)
        answer = AnswerType.CURRENCY if row.scoring is Scoring.PRICE else AnswerType.NUMBER
        leaf.question = Question("How much?", answer)
        rated = Criterion("c.r", "Rated", CriterionKind.RATED, 1.0, rubric={0: "-", 5: "+"})
        data = EvaluationData(
            id=1,
            name="Kinds",
            criteria=[Criterion("c", "Category", children=[rated, leaf])],
            candidates=[Candidate(1, "Example Co")],
            scores=[Score(1, 1, "c.r", 4, "fine")],
            responses=[Response(1, "c.x", 100.0, "100")],
        )
        result = score_evaluation(data).candidates[0]
        if row.is_pass_fail:
            assert "c.x" not in result.leaf_values  # only its outcome counts: pending here
            assert result.pending_gates == ("c.x",)
        else:
            assert "c.x" in result.leaf_values, kind
        assert ("c.x" in score_evaluation(data).effective_weights) is row.weighted


def test_in_sentence_lowers_the_first_word_unless_it_is_an_acronym():
    assert in_sentence("Rated by committee") == "rated by committee"
    assert in_sentence("Third-party outsourcer") == "third-party outsourcer"
    assert in_sentence("EHR vendor") == "EHR vendor"


# ---- the same label wherever people read it ----------------------------------------------------


def test_cli_show_prints_the_tables_labels_for_every_criterion_and_candidate(tmp_path):
    db = tmp_path / "kinds.db"

    def ok(*args: str) -> str:
        out, err = io.StringIO(), io.StringIO()
        assert run([args[0], "--db", str(db), *args[1:]], out, err) == 0, err.getvalue()
        return out.getvalue()

    ok("new", "Kinds RFP", "--catalog", "ehr-direct")
    ok("candidate", "add", "Kinds RFP", "Example Vendor Co")
    ok("candidate", "add", "Kinds RFP", "Example Partner Co", "--kind", "outsourcer")
    show = ok("show", "Kinds RFP")

    shown = dict(re.findall(r"^\s+(\S+)  .*  \[([^\]]+), (?:weight \S+|no weight)\]$", show, re.M))
    criteria = load_catalog("ehr-direct").criteria
    nodes = list(walk_tree(criteria))
    assert {node.kind for node in nodes} == set(CriterionKind)  # every kind is shown
    assert shown == {node.key: kind_label(node.kind) for node in nodes}
    gates = [n for n in nodes if not is_weighted(n.kind)]
    assert gates and all(f"{n.name}  [{kind_label(n.kind)}, no weight]" in show for n in gates)

    candidates = dict(re.findall(r"^  (Example \w+ Co)  \[(.+)\]$", show, re.M))
    assert candidates == {
        "Example Vendor Co": candidate_kind_label(CandidateKind.VENDOR),
        "Example Partner Co": candidate_kind_label(CandidateKind.OUTSOURCER),
    }


def test_report_data_and_workbook_show_the_tables_labels(tmp_path):
    data = sample_data()
    report = build_report(data, score_evaluation(data), sample_audit(), Branding(), "9.9.9", WHEN)
    assert {node.kind for node in report.method} == set(CriterionKind)
    for node in report.method:
        assert node.kind_label == kind_label(node.kind), node.key
    kinds = {node.key: node.kind for node in walk_tree(data.criteria)}
    for weight in report.weights:
        assert weight.kind_label == kind_label(kinds[weight.key]), weight.key
    candidates = {c.id: c.kind for c in data.candidates}
    assert {row.kind for row in report.ranking} == set(CandidateKind)
    for row in report.ranking:
        assert row.kind_label == candidate_kind_label(candidates[row.candidate_id])
    methodology = next(f.text for f in report.formulas if f.title == "Kinds of criterion")
    for row in CRITERION_KINDS.values():
        assert f"{row.label}: {row.description}" in methodology

    path = tmp_path / "report.xlsx"
    render_xlsx(report, path)
    sheet = openpyxl.load_workbook(path)["Weights"]
    rows = list(sheet.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:3] == ("Key", "Criterion", "Kind"))
    listed = rows[top + 1 : top + 1 + len(report.weights)]
    assert [(r[0], r[2]) for r in listed] == [(w.key, w.kind_label) for w in report.weights]
    # the sheet's sum check adds every row that is not a category: exactly the scored leaves
    category = kind_label(CriterionKind.CATEGORY)
    leaf_rows = [r for r in listed if r[2] != category]
    assert sorted(r[0] for r in leaf_rows) == sorted(score_evaluation(data).effective_weights)
    assert sum(r[9] for r in leaf_rows) == pytest.approx(1.0)
    check = next(r for r in sheet.iter_rows() if r[1].value and "should be 100%" in r[1].value)
    assert f'"<>{category}"' in check[8].value


@pytest.fixture
def session(qtbot, tmp_path: Path) -> EvaluationSession:
    make_database(tmp_path / "kinds.db")[0].close()
    session = EvaluationSession()
    assert session.open_database(str(tmp_path / "kinds.db"))
    yield session
    session.close_database()


def test_criteria_tree_shows_the_tables_label_and_description(qtmodeltester, session):
    model = CriteriaModel(session)
    qtmodeltester.check(model)
    nodes = list(walk_tree(session.data.criteria))
    assert {node.kind for node in nodes} == set(CriterionKind)
    for node in nodes:
        index = model.index_of(node.key, KIND)
        assert index.data() == kind_label(node.kind), node.key
        assert index.data(Qt.ItemDataRole.ToolTipRole) == kind_info(node.kind).description


def test_kind_editor_offers_the_tables_labels_in_its_order(qtbot, session):
    view = CriteriaView(session)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    leaf = next(node for node in leaves(session.data.criteria))
    index = view.model.index_of(leaf.key, KIND)
    view.tree.setCurrentIndex(index)
    view.tree.edit(index)
    combo = view.tree.findChild(QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        row.label for row in CRITERION_KINDS.values()
    ]
    assert combo.currentText() == kind_label(leaf.kind)


def test_candidates_table_shows_the_tables_candidate_labels(qtmodeltester, session):
    for name, kind in (("Example Vendor Co", "vendor"), ("Example Partner Co", "outsourcer")):
        assert session.execute(AddCandidate(session, name, kind))
    model = CandidatesModel(session)
    qtmodeltester.check(model)
    shown = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(model.rowCount())}
    assert shown == {
        "Example Vendor Co": candidate_kind_label(CandidateKind.VENDOR),
        "Example Partner Co": candidate_kind_label(CandidateKind.OUTSOURCER),
    }


# ---- catalogs document the kinds with the table's words -----------------------------------------


def test_saved_and_built_in_catalogs_document_every_kind_from_the_table(tmp_path):
    block = kinds_comment()
    for row in CRITERION_KINDS.values():
        assert row.label in block and row.kind.value in block
    for built_in in sorted((ROOT / "criteria" / "catalogs").glob("*.toml")):
        assert block in built_in.read_text(encoding="utf-8"), built_in.name
    saved = tmp_path / "saved.toml"
    catalog = load_catalog("ehr-direct")
    save_catalog(catalog, saved)
    assert block in saved.read_text(encoding="utf-8")
    assert read_catalog_file(saved).criteria == catalog.criteria


# ---- the scattered tables and kind checks are gone ---------------------------------------------

KIND_ENUMS = {"CriterionKind", "CandidateKind"}
# files that may still name a particular kind, and why
NAMES_A_KIND = {
    "evaluator/kinds.py": "the table",
    "evaluator/domain.py": "the enum and the default node, a category",
    "criteria/convert.py": "the catalog format: a node with children is a category",
    "ui/criteria/view.py": "a criterion added in the window starts rated",
    "reports/xlsx/model_sheets.py": "the Weights sheet's sum check skips category rows",
    # not to be edited by this change; still to be ported to the table:
    "evaluator/services/scores.py": "to port",
    "evaluator/services/criteria_edit.py": "to port",
    "evaluator/scoresheet/apply.py": "to port",
    "ui/undo.py": "to port",
    "ui/session_snapshot.py": "to port",
}


def _sources() -> list[tuple[str, ast.AST, str]]:
    found = []
    for package in SOURCE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            found.append((path.relative_to(ROOT).as_posix(), ast.parse(text), text))
    return found


def _kind_member(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in KIND_ENUMS
        and node.attr.isupper()
    )


def test_no_label_table_keyed_by_kind_outside_the_table():
    offenders = []
    for name, tree, _ in _sources():
        if name == "evaluator/kinds.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict) and any(_kind_member(key) for key in node.keys if key):
                offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_no_kind_label_written_out_outside_the_table():
    """A label typed out on its own (a table's value, a list of choices) would drift apart."""
    rows = [*CRITERION_KINDS.values(), *CANDIDATE_KINDS.values()]
    labels = {row.label.casefold() for row in rows} - {"category"}  # also a column heading
    offenders = []
    for name, tree, _ in _sources():
        if name == "evaluator/kinds.py":
            continue
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and text.strip().casefold() in labels:
                offenders.append(f"{name}:{node.lineno}: {text!r}")
    assert offenders == []


def test_particular_kinds_are_named_only_where_listed():
    ids = {kind.value for kind in CriterionKind} - {CriterionKind.CATEGORY.value}
    offenders = []
    for name, tree, _ in _sources():
        for node in ast.walk(tree):
            if _kind_member(node) and node.value.id == "CriterionKind" and name not in NAMES_A_KIND:
                offenders.append(f"{name}:{node.lineno}: CriterionKind.{node.attr}")
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                if any(isinstance(o, ast.Constant) and o.value in ids for o in operands):
                    offenders.append(f"{name}:{node.lineno}: compares with a kind id")
    assert offenders == []

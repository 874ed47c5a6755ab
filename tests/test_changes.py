"""The one edit path (evaluator.changes): for every kind of change, applying the returned change
to the in-memory snapshot equals reloading from the database; a stale edit and a stale undo are
refused naming who changed it and when; random sequences of edits, undos and redos keep the
database and the snapshot equal (hypothesis)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from evaluator import changes as c
from evaluator import services
from evaluator.ahp_committee import judgment_value
from evaluator.changes.model import place_of
from evaluator.changes.write import apply_change, apply_changes
from evaluator.domain import (
    Aggregation,
    Candidate,
    CandidateKind,
    Criterion,
    CriterionKind,
    Declaration,
    EvaluationData,
    Evaluator,
    Question,
    Status,
    find_criterion,
)
from evaluator.errors import ServiceError, StaleChange
from evaluator.identity import Identity
from tests.core_fixtures import RUBRIC, fresh, populated, step

# Each test runs on a SQLite file and on the test PostgreSQL server (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("backend")


def test_every_kind_of_change_and_its_inverse_keep_snapshot_equal_to_database(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    zephyr, orbis = (x.id for x in data.candidates)
    ann, ben = (x.id for x in data.evaluators)
    leaf = Criterion(
        "tiers.l2", "Level 2 analysts", CriterionKind.RATED, 2, rubric=RUBRIC,
        question=Question("Describe Level 2."),
    )  # fmt: skip
    seen_l4 = c.ScoreCell(4, "Named engineers on call")
    kestrel = Candidate(0, "  Kestrel   Health IT ", CandidateKind.OUTSOURCER)
    l4_before = {"weight": 3.0, "name": "Level 4 engineering escalation"}
    renamed = c.EvaluationFields(" Riverbend  RFP 2 ", "RH", Aggregation.MEDIAN)

    def fields(d: EvaluationData) -> c.EvaluationFields:
        return c.EvaluationFields(d.name, d.client, d.aggregation)

    def first(d: EvaluationData, kind: str) -> Candidate | Evaluator:
        return d.candidates[0] if kind == "candidate" else d.evaluators[0]

    script = [
        lambda d: c.SetScore(
            ann, zephyr, "tiers.l4", None, c.ScoreCell(4, f"  {seen_l4.justification}  ")
        ),
        lambda d: c.SetScore(ben, orbis, "tiers.l1", None, c.ScoreCell(2, "slow")),
        lambda d: c.SetScore(ann, zephyr, "tiers.l4", seen_l4, c.ScoreCell(5, "roster seen")),
        lambda d: c.SetScore(ben, zephyr, "tiers.l4", None, c.ScoreCell(0, "not my field", True)),
        lambda d: c.Declare(ben, d.evaluators[1].declaration, Declaration((orbis,), (), "advised")),
        lambda d: c.SetAnswer(orbis, "offshore.share", None, c.Answer(60.0, "60%", "Manila")),
        lambda d: c.SetAnswer(zephyr, "cost.fee", None, c.Answer(120000)),
        lambda d: c.AddCandidate(kestrel),
        lambda d: c.EditCandidate(first(d, "candidate"), replace(d.candidates[0], notes="Direct")),
        lambda d: c.AddEvaluator(Evaluator(0, "Cy Placeholder", " CIO ")),
        lambda d: c.EditEvaluator(first(d, "member"), replace(d.evaluators[0], name="Ann  Ray")),
        lambda d: c.EditCriterion("tiers.l4", l4_before, {"weight": "2.5", "name": " L4  eng"}),
        lambda d: c.AddCriterion(leaf, "tiers", 1),
        lambda d: c.MoveCriterion(
            "tiers.l2", place_of(d.criteria, "tiers.l2"), c.Place("offshore", 0)
        ),
        lambda d: c.SetScore(ann, orbis, "tiers.l2", None, c.ScoreCell(1, "thin")),
        lambda d: c.SetSubmitted(ann, False, True, "done"),
        lambda d: c.SetSubmitted(ben, False, True, "done"),
        lambda d: c.Excuse(d.evaluators[2].id, "", "joined late, scores nothing"),
        lambda d: c.SetStatus(d.status, Status.CONSENSUS, "all in"),
        lambda d: c.SetConsensus(orbis, "gates.baa", None, c.ConsensusCell("fail", "refused")),
        lambda d: c.SetConsensus(zephyr, "tiers.l1", None, c.ConsensusCell(3.5, "agreed")),
        lambda d: c.RemoveCriterion(find_criterion(d.criteria, "tiers")),
        lambda d: c.RemoveCandidate(d.candidates[1]),
        lambda d: c.RemoveEvaluator(d.evaluators[1]),
        lambda d: c.EditEvaluation(fields(d), renamed),
        lambda d: c.SetChair("", "Dana Whitfield"),
    ]
    history: list[tuple[EvaluationData, c.Applied]] = []
    for make in script:
        before = data
        data, applied = step(db, ev, data, make(data))
        assert applied.changed
        history.append((before, applied))
    # undo everything, newest first: each inverse brings back the snapshot before it
    chair = Identity("Dana Whitfield", chair=True)  # once named, the chair undoes
    for before, applied in reversed(history):
        data, _ = step(db, ev, data, applied.inverse, actor=chair)
        assert timeless(data) == timeless(before)


def timeless(data: EvaluationData) -> EvaluationData:
    """A snapshot without its revision and declaration times: undoing a declaration re-states
    the previous one (declarations are never deleted), at a new time."""
    members = [
        replace(e, declaration=replace(e.declaration, at=None) if e.declaration else None)
        for e in data.evaluators
    ]
    return c.canonical(replace(data, revision=0, evaluators=members))


def test_applied_change_is_normalised_and_unchanged_edit_writes_nothing(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    applied = apply_change(db, ev, c.AddCandidate(Candidate(0, "  Kestrel   IT ", "vendor")))
    assert applied.change.candidate.name == "Kestrel IT"
    assert applied.change.candidate.kind is CandidateKind.VENDOR
    assert applied.change.candidate.id > 0 and applied.revision == data.revision + 1
    same = apply_change(db, ev, c.EditCriterion("tiers.l4", {"weight": 3.0}, {"weight": 3}))
    assert not same.changed and same.revision == applied.revision
    trail = services.audit_trail(db, ev)
    assert trail[-1].action == "add candidate"  # nothing audited for the unchanged edit


def test_stale_edit_is_refused_naming_who_changed_it_and_when(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    zephyr, ann = data.candidates[0].id, data.evaluators[0].id
    seen = c.canonical(data)
    # a colleague scores the cell from another laptop after this window loaded it
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l4", 1, "weak", actor="Ben")
    stale = c.SetScore(ann, zephyr, "tiers.l4", None, c.ScoreCell(4, "mine"))
    with pytest.raises(StaleChange) as refused:
        apply_change(db, ev, stale, actor="Ann")
    message = str(refused.value)
    assert re.search(r"changed by Ben at \d{4}-\d\d-\d\d \d\d:\d\d UTC: reload", message), message
    assert "Ann Example's score for Zephyr Care IT / Level 4 engineering escalation" in message
    stored = services.load_evaluation(db, ev)
    assert [(s.value, s.justification) for s in stored.scores] == [(1.0, "weak")]
    assert stored.revision == seen.revision + 1  # the refusal wrote nothing


def test_stale_undo_is_refused_and_leaves_the_colleagues_value(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    zephyr, ann = data.candidates[0].id, data.evaluators[0].id
    applied = apply_change(db, ev, c.SetScore(ann, zephyr, "tiers.l1", None, c.ScoreCell(3, "ok")),
                           actor="Ann")  # fmt: skip
    services.set_score(db, ev, "Ann Example", "Zephyr Care IT", "tiers.l1", 5, "re-scored",
                       actor="Chair Person")  # fmt: skip
    with pytest.raises(StaleChange, match=r"changed by Chair Person at .* reload"):
        apply_change(db, ev, applied.inverse, actor="Ann")  # the undo of Ann's score
    assert services.load_evaluation(db, ev).scores[0].value == 5.0


def test_stale_removal_and_rename_are_refused(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    services.update_candidate(db, ev, "Orbis Support Co", notes="withdrew?", actor="Ben")
    with pytest.raises(StaleChange, match="candidate 'Orbis Support Co' was changed by Ben"):
        apply_change(db, ev, c.RemoveCandidate(data.candidates[1]))
    services.update_criterion(db, ev, "tiers.l1", weight=7, actor="Ben")
    with pytest.raises(StaleChange, match=r"criterion Level 1 help desk \[tiers.l1\] was changed"):
        apply_change(db, ev, c.EditCriterion("tiers.l1", {"weight": 1.0}, {"weight": 2}))
    with pytest.raises(StaleChange, match="changed by Ben"):
        apply_change(db, ev, c.RemoveCriterion(find_criterion(data.criteria, "tiers")))


def test_bulk_changes_are_all_or_nothing(tmp_path):
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    zephyr, ann = data.candidates[0].id, data.evaluators[0].id
    good = c.SetScore(ann, zephyr, "tiers.l1", None, c.ScoreCell(3, "ok"))
    bad = c.SetScore(ann, zephyr, "tiers.l4", None, c.ScoreCell(9, "too high"))
    with pytest.raises(ServiceError, match="outside the scale"):
        apply_changes(db, ev, [good, bad])
    assert services.load_evaluation(db, ev) == data


def test_restore_after_moving_into_a_new_category_succeeds(tmp_path):
    """Undo of 'Remove criterion' after moving a leaf into a new category (issue 9, defect 4):
    the subtree goes back parents first, its scores by key."""
    db, ev = populated(tmp_path)
    data = services.load_evaluation(db, ev)
    ann, zephyr = data.evaluators[0].id, data.candidates[0].id
    data, _ = step(db, ev, data, c.AddCriterion(Criterion("new", "New category"), None, None))
    data, _ = step(db, ev, data, c.MoveCriterion("tiers.l1", place_of(data.criteria, "tiers.l1"),
                                                 c.Place("new", 0)))  # fmt: skip
    data, _ = step(db, ev, data, c.SetScore(ann, zephyr, "tiers.l1", None, c.ScoreCell(2, "x")))
    data, removed = step(db, ev, data, c.RemoveCriterion(find_criterion(data.criteria, "new")))
    data, _ = step(db, ev, data, removed.inverse)
    assert [n.key for n in find_criterion(data.criteria, "new").children] == ["tiers.l1"]
    assert len(data.scores) == 1


# ---- random sequences ---------------------------------------------------------------------------

NAMES = st.sampled_from(["Alder Health IT", "Birch Support", " Cedar  Works ", "Dune Care"])
KEYS = st.sampled_from(["tiers.l1", "tiers.l4"])


class EditSequences(RuleBasedStateMachine):
    """Edits, undos and redos in any order; after every step the snapshot the window would hold
    equals a fresh load, and the undo and redo stacks stay usable."""

    def __init__(self) -> None:
        super().__init__()
        self.undo: list[c.Change] = []
        self.redo: list[c.Change] = []

    @initialize()
    def setup(self) -> None:
        self.db, self.ev = populated(self.tmp)
        self.data = services.load_evaluation(self.db, self.ev)

    tmp: Path

    def _do(self, change: c.Change, *, from_undo: bool = False, from_redo: bool = False) -> None:
        try:
            applied = apply_change(self.db, self.ev, change)
        except ServiceError:
            if from_undo or from_redo:
                raise  # an undo or redo of our own edits must always succeed here
            return  # a refused edit (duplicate name, ...) changes nothing
        self.data = c.apply_applied(self.data, applied)
        if not applied.changed:
            return
        if from_undo:
            self.redo.append(applied.inverse)
        else:
            self.undo.append(applied.inverse)
            if not from_redo:
                self.redo.clear()

    @rule(key=KEYS, value=st.integers(0, 5), who=st.integers(0, 1), whom=st.integers(0, 1))
    def score(self, key: str, value: int, who: int, whom: int) -> None:
        if who >= len(self.data.evaluators) or whom >= len(self.data.candidates):
            return
        e, cand = self.data.evaluators[who].id, self.data.candidates[whom].id
        cell = (e, cand, key)
        scores = self.data.scores
        now = next((s for s in scores if (s.evaluator_id, s.candidate_id, s.criterion_key) == cell),
                   None)  # fmt: skip
        before = None if now is None else c.ScoreCell(now.value, now.justification)
        after = (
            None if value == 0 and before is not None else c.ScoreCell(value, f"because {value}")
        )
        self._do(c.SetScore(e, cand, key, before, after))

    @rule(name=NAMES)
    def add_candidate(self, name: str) -> None:
        self._do(c.AddCandidate(Candidate(0, name)))

    @precondition(lambda self: len(self.data.candidates) > 0)
    @rule(index=st.integers(0, 5), name=NAMES)
    def rename_or_remove_candidate(self, index: int, name: str) -> None:
        cand = self.data.candidates[index % len(self.data.candidates)]
        if index % 2:
            self._do(c.RemoveCandidate(cand))
        else:
            self._do(c.EditCandidate(cand, replace(cand, name=name)))

    @rule(weight=st.integers(0, 4), key=st.sampled_from(["tiers", "tiers.l4", "cost"]))
    def weight(self, weight: int, key: str) -> None:
        node = find_criterion(self.data.criteria, key)
        if node is not None:
            self._do(c.EditCriterion(key, {"weight": node.weight}, {"weight": weight}))

    @rule(
        value=st.sampled_from([None, 1 / 3, 2, 9]),
        who=st.integers(0, 1),
        pair=st.sampled_from([(None, "tiers", "cost"), ("tiers", "tiers.l4", "tiers.l1")]),
    )
    def judge(self, value: float | None, who: int, pair: tuple[str | None, str, str]) -> None:
        if who >= len(self.data.evaluators):
            return
        parent, first, second = pair
        member = self.data.evaluators[who].id
        before = judgment_value(self.data, parent, member, first, second)
        self._do(c.SetJudgment(member, parent, first, second, before, value))

    @rule(weights=st.tuples(st.integers(1, 9), st.integers(1, 9)))
    def apply_weights(self, weights: tuple[int, int]) -> None:
        nodes = [find_criterion(self.data.criteria, key) for key in ("tiers", "cost")]
        if all(node is not None for node in nodes):
            edits = tuple(
                c.EditCriterion(node.key, {"weight": node.weight}, {"weight": w})
                for node, w in zip(nodes, weights, strict=True)
                if node is not None
            )
            self._do(c.SetWeights(None, edits))

    @rule(target_parent=st.sampled_from([None, "tiers", "offshore"]), index=st.integers(0, 3))
    def move(self, target_parent: str | None, index: int) -> None:
        if find_criterion(self.data.criteria, "tiers.l1") is None:
            return
        before = place_of(self.data.criteria, "tiers.l1")
        self._do(c.MoveCriterion("tiers.l1", before, c.Place(target_parent, index)))

    @rule()
    def remove_tiers(self) -> None:
        node = find_criterion(self.data.criteria, "tiers")
        if node is not None:
            self._do(c.RemoveCriterion(node))

    @precondition(lambda self: bool(self.undo))
    @rule()
    def undo_last(self) -> None:
        self._do(self.undo.pop(), from_undo=True)

    @precondition(lambda self: bool(self.redo))
    @rule()
    def redo_last(self) -> None:
        self._do(self.redo.pop(), from_redo=True)

    @invariant()
    def snapshot_equals_database(self) -> None:
        if hasattr(self, "db"):
            assert c.canonical(self.data) == fresh(self.db, self.ev)

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()


def test_random_edit_undo_redo_sequences_keep_database_and_snapshot_equal(tmp_path_factory):
    counter = iter(range(10_000))

    class Machine(EditSequences):
        def __init__(self) -> None:
            self.tmp = tmp_path_factory.mktemp(f"seq{next(counter)}")
            super().__init__()

    Machine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    Machine.TestCase().runTest()

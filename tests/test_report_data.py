"""The report data object: what both reports show, checked against hand-computed figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evaluator.domain import GateState, Status
from evaluator.scoring import score_evaluation
from reports.branding import DEFAULT_ACCENT, Branding
from reports.data import build_report
from reports.model import RankingRow, plain
from reports.narrative import overview
from reports.text import answer_text, number, ordinal
from tests.report_fixtures import (
    ACME,
    EXPECTED_TOTALS,
    FAILS,
    NORTHWIND,
    RANKED_ORDER,
    ZEPHYR,
    sample_audit,
    sample_data,
)

WHEN = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)


def make_report(status: Status = Status.DRAFT, branding: Branding | None = None):
    data = sample_data(status)
    return build_report(
        data, score_evaluation(data), sample_audit(), branding or Branding(), "9.9.9", WHEN
    )


def section(report, name):
    return next(s for s in report.candidates if s.row.name == name)


def test_ranking_rows_hold_the_hand_computed_totals_in_rank_order():
    report = make_report()
    assert [row.name for row in report.ranking] == [*RANKED_ORDER, FAILS]
    assert [row.rank for row in report.ranking] == [1, 2, 3, None]
    for row in report.ranking:
        assert row.total == pytest.approx(EXPECTED_TOTALS[row.name], abs=1e-9)
    fails = report.ranking[3]
    assert fails.disqualified and fails.status_label == "Disqualified"
    assert fails.failed_gates == ("Signs the business associate agreement",)
    zephyr = report.ranking[2]
    assert zephyr.provisional and zephyr.status_label == "Provisional"
    assert zephyr.pending_gates == ("Signs the business associate agreement",)
    assert zephyr.completeness == pytest.approx(0.75)


def test_categories_leave_out_the_weightless_gates_and_score_as_shares():
    report = make_report()
    assert [(c.key, c.effective_weight) for c in report.categories] == [
        ("support", 0.75),
        ("cost", 0.25),
    ]
    northwind = report.ranking[0]
    assert northwind.category_points == pytest.approx((70.0, 25.0))
    assert northwind.category_scores == pytest.approx((70 / 75, 1.0))


def test_leading_paragraphs_name_strongest_and_weakest_categories():
    report = make_report()
    assert len(report.leaders) == 3
    assert plain(report.leaders[0]) == (
        f"{NORTHWIND} ranks 1st of 3 with 95.0 points. Its strongest category is Cost (100% of "
        f"the available points); its weakest is Support model (93%). It leads {ACME} by 33.3 "
        "points."
    )
    zephyr = plain(report.leaders[2])
    assert "75% of the weight has a value so far" in zephyr
    # its Support model lacks a value (the response time is not answered): not judged weakest
    assert "weakest" not in zephyr
    assert "Support model is not compared yet: some of its criteria are not answered" in zephyr
    assert f"It trails {NORTHWIND} by 34.2 points." in zephyr
    assert zephyr.endswith(
        "The rank is provisional until the gate “Signs the business associate agreement” is "
        "decided."
    )
    names_in_bold = [span.text for span in report.leaders[0] if span.strong]
    assert NORTHWIND in names_in_bold and ACME in names_in_bold


def test_a_final_report_states_its_gaps_as_facts_not_as_work_to_come():
    report = make_report(Status.FINAL)
    zephyr = plain(report.leaders[2])
    assert (
        "25% of the weight had no value when the evaluation was made final; missing values "
        "count as zero." in zephyr
    )
    assert (
        "Support model is not compared: some of its criteria had no value when the "
        "evaluation was made final." in zephyr
    )
    assert zephyr.endswith(
        "The gate “Signs the business associate agreement” was not decided when the evaluation "
        "was made final."
    )
    assert plain(section(report, ZEPHYR).overview) == zephyr
    for paragraph in report.leaders:
        assert not any(word in plain(paragraph) for word in ("so far", " yet", "until"))


def test_a_disqualified_candidate_is_described_but_not_ranked():
    text = plain(section(make_report(), FAILS).overview)
    assert text == (
        f"{FAILS} is disqualified: it failed the gate “Signs the business associate agreement”. "
        "Its 100.0 points are shown for reference; it is not ranked."
    )


def test_equal_totals_are_described_as_level():
    def row(cid: int, name: str, rank: int) -> RankingRow:
        return RankingRow(cid, name, None, "", rank, 50.0, 1.0, False, (), (), (), ())  # type: ignore[arg-type]

    ranking = [row(1, "Alpha Care", 1), row(2, "Beta Care", 1), row(3, "Gamma Care", 3)]
    assert "level with Beta Care" in plain(overview(ranking[0], ranking, []))
    assert "It trails Alpha Care by 0.0 points." in plain(overview(ranking[2], ranking, []))


def test_strengths_and_weaknesses_follow_weighted_points():
    report = make_report()
    northwind = section(report, NORTHWIND)
    assert [(c.key, round(c.points, 6)) for c in northwind.strengths] == [
        ("support.tiers", 45.0),
        ("support.response", 25.0),
        ("cost.fee", 25.0),
    ]
    assert northwind.weaknesses == ()  # every criterion is already a strength
    zephyr = section(report, ZEPHYR)
    assert [c.key for c in zephyr.strengths] == ["support.tiers", "cost.fee"]
    # its response time is not answered: missing data is listed apart, never as a weakness
    assert zephyr.weaknesses == ()
    assert [(m.key, m.reason, m.max_points) for m in zephyr.missing] == [
        ("support.response", "not answered", 25.0)
    ]
    assert northwind.missing == ()


def test_gates_say_what_decided_them():
    report = make_report()
    gates = {s.row.name: s.gates[0] for s in report.candidates}
    assert (gates[NORTHWIND].state, gates[NORTHWIND].basis) == (
        GateState.PASSED,
        "Questionnaire answer: Yes",
    )
    assert (gates[FAILS].state, gates[FAILS].basis) == (
        GateState.FAILED,
        "Questionnaire answer: No",
    )
    assert (gates[ZEPHYR].state, gates[ZEPHYR].basis) == (
        GateState.PENDING,
        "No answer or decision yet",
    )


def test_key_answers_are_worded_with_units():
    northwind = section(make_report(), NORTHWIND)
    assert [(a.key, a.answer) for a in northwind.key_answers] == [
        ("support.tiers", "Levels 1-4"),
        ("support.response", "0.5 hours"),
        ("cost.fee", "100,000 € per year"),
    ]
    zephyr = section(make_report(), ZEPHYR)
    assert zephyr.key_answers[1].answer == "Not answered"
    acme = section(make_report(), ACME)
    assert acme.key_answers[2].comment == "Includes <b>all</b> levels"


def test_justifications_decisions_and_disagreements():
    report = make_report()
    acme = section(report, ACME)
    assert [(j.evaluator_name, j.value, j.text) for j in acme.justifications] == [
        ("Dr. Élodie Brandt", 1, "Only <i>Level 4</i> & nothing else."),
        ("Sam Ortiz", 5, "Strong references."),
    ]
    assert [(d.criterion_key, d.value_label) for d in acme.decisions] == [
        ("support.tiers", "3 / 5")
    ]
    assert len(report.disagreements) == 1
    flagged = report.disagreements[0]
    assert (flagged.candidate_name, flagged.spread) == (ACME, 4)
    assert flagged.scores == (("Dr. Élodie Brandt", 1), ("Sam Ortiz", 5))
    assert flagged.decision is not None
    assert flagged.decision.note == "Agreed at 3 after the reference calls."
    assert report.disagreement_threshold == 2


def test_committee_counts_scores_and_keeps_declarations():
    members = make_report().committee
    assert [(m.name, m.scores_given, m.conflict_of_interest) for m in members] == [
        ("Dr. Élodie Brandt", 4, ""),
        ("Sam Ortiz", 3, "Worked for Northwind until 2019."),
    ]


def test_methodology_lists_raw_and_effective_weights_and_gates():
    nodes = {node.key: node for node in make_report().method}
    assert list(nodes) == [
        "support",
        "support.tiers",
        "support.response",
        "cost",
        "cost.fee",
        "gates",
        "gates.baa",
    ]
    tiers = nodes["support.tiers"]
    assert (tiers.raw_weight, tiers.depth) == (2, 1)
    assert tiers.sibling_share == pytest.approx(2 / 3)
    assert tiers.effective_weight == pytest.approx(0.5)
    assert tiers.rubric == (
        (0, "No tiered support"),
        (3, "Levels 2-4 in house"),
        (5, "Levels 1-4 in house"),
    )
    assert nodes["gates.baa"].raw_weight is None
    assert nodes["gates"].effective_weight is None  # takes no share: no scored criterion below
    assert nodes["support.response"].rule == "≤ 1: 5; ≤ 4: 3; any other value: 0"


def test_weight_rows_and_matrix_line_up_for_the_workbook():
    report = make_report()
    assert [(w.key, w.parent, w.group, w.is_leaf) for w in report.weights] == [
        ("support", -1, 0, False),
        ("support.tiers", 0, 1, True),
        ("support.response", 0, 1, True),
        ("cost", -1, 0, False),
        ("cost.fee", 3, 2, True),
    ]
    rows = {m.key: m for m in report.matrix}
    # on the committee's 0-5 scale, as the members score (the workbook's Matrix shows them)
    assert rows["support.tiers"].values == pytest.approx((4.5, 3.0, 4.0, 5.0))
    assert rows["support.response"].values == (5.0, 3.0, None, 5.0)
    assert [report.weights[m.weight_index].key for m in report.matrix] == list(rows)
    assert [m.category_index for m in report.matrix] == [0, 0, 1]


def test_record_lines_and_audit_summary():
    report = make_report()
    assert len(report.scores) == 7
    assert report.scores[0].candidate_name == NORTHWIND
    assert report.scores[0].category_name == "Support model"
    assert len(report.responses) == 11
    summary = report.audit_summary
    assert summary.count == 3
    assert summary.by_actor == (("chair", 2), ("Sam Ortiz", 1))
    assert summary.last_at == datetime(2025, 3, 2, 9, 0, tzinfo=UTC)


def test_meta_carries_branding_and_status():
    branding = Branding("Harbourline Advisory", "", "#12ab34", "Jo Example")
    report = make_report(Status.FINAL, branding)
    meta = report.meta
    assert meta.is_final and meta.status_label == "Final"
    assert meta.author == "Jo Example, Harbourline Advisory"
    assert meta.title.startswith("Riverside Support Review")
    assert meta.branding.accent == "#12AB34"
    assert make_report().meta.author == "SupportScope"


def test_branding_is_forgiving_about_bad_settings(tmp_path):
    branding = Branding.from_mapping(
        {"firm_name": "Harbourline", "accent_colour": "teal", "logo_path": str(tmp_path / "x.png")}
    )
    assert branding.accent == DEFAULT_ACCENT
    problems = branding.problems()
    assert any("teal" in p for p in problems) and any("x.png" in p for p in problems)
    assert Branding.from_mapping(branding.to_mapping()) == branding
    assert Branding.from_mapping({"firm_name": 3}).firm_name == ""


def test_small_wording_helpers():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]
    assert number(3.75) == "3.75" and number(4.0) == "4" and number(1_850_000) == "1,850,000"
    assert answer_text(None, None) == "Not answered"


def test_pdf_justifications_are_capped_at_committee_scale():
    """Beyond JUSTIFIED_CRITERIA_LIMIT scored criteria the PDF keeps the heaviest and the
    contested ones and says how many it leaves to the workbook."""
    from evaluator.domain import (
        Candidate,
        Criterion,
        CriterionKind,
        EvaluationData,
        Evaluator,
        Score,
    )
    from evaluator.scoring import score_evaluation
    from reports import candidate_data
    from reports.data import build_report

    count = candidate_data.JUSTIFIED_CRITERIA_LIMIT + 10
    leaves_ = [
        Criterion(f"c.l{i}", f"Leaf {i}", CriterionKind.RATED, weight=1 + (i == 7) * 50)
        for i in range(count)
    ]
    data = EvaluationData(
        id=1,
        name="Scale test",
        criteria=[Criterion("c", "Cat", children=leaves_)],
        candidates=[Candidate(1, "Zephyr Care IT")],
        evaluators=[Evaluator(1, "Ann Example"), Evaluator(2, "Ben Sample")],
        scores=[
            Score(e, 1, f"c.l{i}", (0 if e == 1 else 5) if i == 30 else 3, "why")
            for e in (1, 2)
            for i in range(count)
        ],
    )
    results = score_evaluation(data)
    from datetime import UTC, datetime

    from reports.branding import Branding

    report = build_report(data, results, [], Branding(), "test", datetime(2026, 1, 1, tzinfo=UTC))
    section = report.candidates[0]
    kept = {j.criterion_key for j in section.justifications}
    assert "c.l7" in kept  # the heaviest criterion
    assert "c.l30" in kept  # the one where the committee disagreed (0 vs 5)
    assert len(kept) == candidate_data.JUSTIFIED_BY_WEIGHT + 1
    assert section.justifications_omitted == count - len(kept)

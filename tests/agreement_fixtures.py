"""Small committees for the agreement tests (every name fictitious): `committee` builds one from
a table of scores; `leniency_case` is the one whose every figure tests/test_agreement.py works
out by hand."""

from __future__ import annotations

from evaluator.domain import Candidate, Criterion, CriterionKind, EvaluationData, Evaluator, Score


def leaf(key: str, kind: CriterionKind = CriterionKind.RATED) -> Criterion:
    return Criterion(key, f"Leaf {key}", kind, 0.0 if kind is CriterionKind.GATE else 1.0)


def committee(
    values: dict[tuple[int, int, str], float | None],
    keys: tuple[str, ...] = ("q1", "q2"),
    candidates: int = 2,
    members: int = 3,
) -> EvaluationData:
    """`values`: (member, candidate, leaf) -> score; None is an abstention."""
    return EvaluationData(
        id=1,
        name="Agreement RFP",
        criteria=[leaf(k) for k in keys],
        candidates=[Candidate(i, f"Example Vendor {i}") for i in range(1, candidates + 1)],
        evaluators=[Evaluator(i, "ABCD"[i - 1]) for i in range(1, members + 1)],
        scores=[
            Score(m, c, k, 0.0 if v is None else v, "why", abstained=v is None)
            for (m, c, k), v in values.items()
        ],
    )


def leniency_case() -> EvaluationData:
    """Vendor 1 q1: A 4, B 2, C 3; q2: A 5, B 3, C abstains. Vendor 2 q1: 3, 3, 3; q2: A 2 alone."""
    return committee({
        (1, 1, "q1"): 4, (2, 1, "q1"): 2, (3, 1, "q1"): 3,
        (1, 1, "q2"): 5, (2, 1, "q2"): 3, (3, 1, "q2"): None,
        (1, 2, "q1"): 3, (2, 2, "q1"): 3, (3, 2, "q1"): 3,
        (1, 2, "q2"): 2,
    })  # fmt: skip

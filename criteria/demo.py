"""The demo evaluation: fictitious vendors, a committee of four, scores, answers, one knock-out.

Built through the same services a user's actions go through, so the demo also exercises them.
Every organisation and person here is invented. The data is deterministic (seeded), so tests
can recompute the ranking from it.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from criteria.loader import load_catalog
from evaluator import services
from evaluator.db import Database
from evaluator.domain import (
    AnswerType,
    AutoRule,
    Band,
    CandidateKind,
    Criterion,
    Scale,
    leaves,
)
from evaluator.identity import Identity, identify
from evaluator.kinds import Scoring, kind_info, members_score
from evaluator.services import process
from evaluator.services.weight_sets import add_weight_set

DEMO_NAME = "Cedar Hollow EHR Support Review"
DEMO_CLIENT = "Cedar Hollow Health System (fictitious)"
DEMO_CATALOG = "ehr-direct"
DEMO_CHAIR = "Joan Avery"  # the committee's chair (VP Clinical Operations); scores nothing


# each stakeholder group's weights where they differ from the committee's (issue 11)
WEIGHT_SETS = (
    ("Clinical", {"clinical": 35, "tiers": 15, "cost": 5}, "CMO, CNO and nurse informaticist"),
    ("IT", {"tiers": 25, "response": 25, "clinical": 10}, "CIO and IT support manager"),
    ("Finance", {"cost": 40, "track-record": 15}, "Procurement and the finance office"),
)


@dataclass(frozen=True)
class DemoCandidate:
    name: str
    kind: CandidateKind
    quality: tuple[float, ...]  # expected score per top-level category, cycled
    annual_fee: float
    notes: str
    fails_first_gate: bool = False
    leaves_gate_pending: bool = False


CANDIDATES = (
    DemoCandidate(
        "Altavera Health Systems",
        CandidateKind.VENDOR,
        (4.3, 4.6, 3.8, 4.2, 3.9, 3.5),
        1_850_000,
        "Incumbent EHR vendor offering its own support desk.",
    ),
    DemoCandidate(
        "Quillon Clinical Software",
        CandidateKind.VENDOR,
        (4.7, 3.6, 4.1, 3.4, 4.0, 3.0),
        2_300_000,
        "Premium support tier with dedicated engineering escalation.",
    ),
    DemoCandidate(
        "Brightwater Support Partners",
        CandidateKind.OUTSOURCER,
        (3.2, 2.6, 3.1, 1.8, 2.4, 4.2),
        1_150_000,
        "Third-party support partner; large offshore delivery centre.",
        leaves_gate_pending=True,
    ),
    DemoCandidate(
        "Tessaly Helpdesk Services",
        CandidateKind.OUTSOURCER,
        (2.8, 2.1, 2.5, 1.2, 2.0, 4.6),
        890_000,
        "Lowest bid; declined to sign the business associate agreement.",
        fails_first_gate=True,
    ),
)

COMMITTEE = (
    ("Dr. Maria Okafor", "Chief Medical Officer", ""),
    ("Daniel Reyes, RN", "Chief Nursing Officer", ""),
    (
        "Priya Lindqvist",
        "Chief Information Officer",
        "Worked for Quillon Clinical Software until 2021; holds no shares.",  # a conflict
    ),
    ("Tom Hallberg", "Nurse informaticist", ""),
)
# Each member's habit: a constant lean and how much they vary from the committee's view.
LEANS = (0.2, -0.3, 0.0, -0.1)
NOISE = (0.45, 0.55, 0.4, 0.6)

PERSPECTIVE = (
    "From the physicians' side",
    "For the nursing units",
    "Technically",
    "In the workflow walkthrough",
)


def _rng(*parts: str) -> random.Random:
    return random.Random(zlib.crc32("|".join(parts).encode()))


def _category_quality(candidate: DemoCandidate, index: int) -> float:
    return candidate.quality[index % len(candidate.quality)]


def _justification(member: int, score: int, leaf: Criterion, scale: Scale) -> str:
    rubric = leaf.rubric.get(score, "")
    opening = PERSPECTIVE[member]
    verdict = {
        0: "nothing acceptable was shown",
        1: "clearly weak",
        2: "below what we need",
        3: "adequate",
        4: "strong",
        5: "exemplary",
    }.get(round(5 * (score - scale.minimum) / max(scale.span, 1)), "as scored")
    detail = f" Matches the rubric: {rubric}" if rubric else ""
    return f"{opening}, {leaf.name.lower()} is {verdict}.{detail}"


def _value_in_band(band: Band, answer_type: AnswerType) -> float:
    top = 100.0 if answer_type is AnswerType.PERCENT else None
    if band.low is not None and band.high is not None:
        return round((band.low + band.high) / 2, 1)
    if band.high is not None:
        return round(max(0.0, band.high * 0.7), 1)
    if band.low is not None:
        value = band.low * 1.15 + 1
        return round(min(value, top) if top is not None else value, 1)
    return 0.0


def _answer(leaf: Criterion, quality: float, rng: random.Random) -> bool | float | str | None:
    """An answer whose auto-score lands near the candidate's quality for this category."""
    question = leaf.question
    if question is None:
        return None
    rule = leaf.rule or AutoRule()
    kind = question.answer_type
    if kind is AnswerType.YES_NO:
        if rule.yes is not None and rule.no is not None:
            return abs(rule.yes - quality) <= abs(rule.no - quality)
        return quality >= 2.5
    if kind in (AnswerType.NUMBER, AnswerType.PERCENT) and rule.bands:
        band = min(rule.bands, key=lambda b: (abs(b.score - quality), rng.random()))
        return _value_in_band(band, kind)
    if kind is AnswerType.CHOICE and question.choices:
        if rule.choices:
            return min(rule.choices, key=lambda c: abs(rule.choices[c] - quality))
        return question.choices[0]
    if kind in (AnswerType.NUMBER, AnswerType.PERCENT, AnswerType.CURRENCY):
        return round(quality * 20, 1)
    if kind is AnswerType.DATE:
        return "2027-03-01"
    return f"See attached response, section {rng.randint(2, 9)}."


def build_demo(db: Database, name: str = DEMO_NAME) -> int:
    """Create the demo evaluation in `db`; returns its id."""
    catalog = load_catalog(DEMO_CATALOG)
    evaluation = services.create_evaluation(
        db,
        name,
        catalog.criteria,
        client=DEMO_CLIENT,
        scale=catalog.scale,
        catalog_id=catalog.id,
        actor="demo",
    )
    for candidate in CANDIDATES:
        services.add_candidate(
            db, evaluation, candidate.name, candidate.kind, candidate.notes, actor="demo"
        )
    for member, role, _conflict in COMMITTEE:
        services.add_evaluator(db, evaluation, member, role, actor="demo")
    process.name_chair(db, evaluation, DEMO_CHAIR, actor="demo")
    chair = identify(db, evaluation, DEMO_CHAIR)
    for member, _role, conflict in COMMITTEE:
        me = identify(db, evaluation, member)
        conflicts = [CANDIDATES[1].name] if conflict else []
        process.declare(db, evaluation, member, conflicts, conflict, actor=me)
    services.change_status(db, evaluation, "scoring", actor=chair)
    _answer_questionnaires(db, evaluation, catalog.criteria, chair)
    _score(db, evaluation, catalog.criteria, catalog.scale)
    for member, _role, _conflict in COMMITTEE:
        process.submit(db, evaluation, member, actor=identify(db, evaluation, member))
    services.change_status(db, evaluation, "consensus", actor=chair)
    _agree(db, evaluation, catalog.criteria, catalog.scale, chair)
    for name, weights, note in WEIGHT_SETS:
        add_weight_set(db, evaluation, name, weights, note, actor=chair)
    return evaluation


def _answer_questionnaires(
    db: Database, evaluation: int, roots: list[Criterion], chair: Identity
) -> None:
    gates_seen: set[str] = set()
    for candidate in CANDIDATES:
        skipped_one = False
        for index, category in enumerate(roots):
            quality = _category_quality(candidate, index)
            for leaf in leaves([category]):
                rng = _rng(candidate.name, leaf.key)
                scoring = kind_info(leaf.kind).scoring
                if scoring is Scoring.PRICE:
                    value: bool | float | str | None = candidate.annual_fee
                elif scoring is Scoring.PASS_FAIL:
                    first_gate = not gates_seen or leaf.key == min(gates_seen)
                    gates_seen.add(leaf.key)
                    if candidate.fails_first_gate and first_gate:
                        value = False
                    elif candidate.leaves_gate_pending and not first_gate:
                        continue  # not answered: the gate stays pending
                    else:
                        value = True
                elif candidate.leaves_gate_pending and not skipped_one and scoring is Scoring.RULE:
                    skipped_one = True  # one unanswered question lowers completeness
                    continue
                else:
                    value = _answer(leaf, quality, rng)
                if value is None:
                    continue
                comment = "Confirmed in the reference calls." if rng.random() < 0.2 else ""
                services.set_response(
                    db,
                    evaluation,
                    candidate.name,
                    leaf.key,
                    value,
                    comment=comment,
                    source="demo questionnaire",
                    actor=chair,
                )


def _score(db: Database, evaluation: int, roots: list[Criterion], scale: Scale) -> None:
    members = [m[0] for m in COMMITTEE]
    me = {member: identify(db, evaluation, member) for member in members}
    for index, category in enumerate(roots):
        for leaf in leaves([category]):
            if not members_score(leaf.kind):
                continue
            for candidate in CANDIDATES:
                quality = _category_quality(candidate, index)
                for m, member in enumerate(members):
                    if COMMITTEE[m][2] and candidate is CANDIDATES[1]:
                        continue  # declared a conflict with this candidate: does not score it
                    rng = _rng(member, candidate.name, leaf.key)
                    if m == 3 and rng.random() < 0.12:
                        continue  # the informaticist did not get to every cell
                    raw = quality + LEANS[m] + rng.gauss(0, NOISE[m])
                    score = int(min(scale.maximum, max(scale.minimum, round(raw))))
                    services.set_score(
                        db,
                        evaluation,
                        member,
                        candidate.name,
                        leaf.key,
                        score,
                        _justification(m, score, leaf, scale),
                        actor=me[member],
                    )


def _agree(
    db: Database, evaluation: int, roots: list[Criterion], scale: Scale, chair: Identity
) -> None:
    """The chair settles the widest disagreements (a few cells) with a consensus note."""
    from evaluator.scoring import score_evaluation

    data = services.load_evaluation(db, evaluation)
    results = score_evaluation(data)
    names = {c.id: c.name for c in data.candidates}
    flagged = sorted(
        (d for d in results.disagreements if d.flagged),
        key=lambda d: (-d.spread, d.candidate_id, d.criterion_key),
    )[:4]
    for item in flagged:
        agreed = round(sorted(item.values)[len(item.values) // 2])
        services.set_consensus(
            db,
            evaluation,
            names[item.candidate_id],
            item.criterion_key,
            agreed,
            f"Discussed at the consensus meeting (spread {item.spread:g}); the committee agreed "
            f"on {agreed} after reviewing the reference calls.",
            actor=chair,
        )

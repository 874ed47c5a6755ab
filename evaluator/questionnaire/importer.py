"""Questionnaire import: a preview of what would change, then one transaction per file.

`preview_file` compares a read file with the evaluation snapshot and changes nothing: it checks
that the file belongs to this evaluation and question set, decides the candidate (from the
file's metadata, or as the caller says, never guessed), and lists old -> new per answer with
the problems. `apply_questionnaire` writes a preview in one transaction, all or nothing (or the
valid answers only, when the user chose that), with an audit entry naming the file and its
SHA-256; it refuses if the database changed since the preview. A blank answer never deletes an
answer on record: it is reported as unanswered and the recorded answer is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from evaluator.changes.model import Answer, SetAnswer
from evaluator.db import Database
from evaluator.domain import Candidate, EvaluationData, Response
from evaluator.file_import import refuse_problems, write_file
from evaluator.models import CandidateRow
from evaluator.progress import CancelCheck, Progress, raise_if_cancelled
from evaluator.questionnaire.fingerprint import (
    Metadata,
    QuestionSpec,
    question_digest,
    questionnaire_questions,
)
from evaluator.questionnaire.preview import (
    AnswerChange,
    ApplyOutcome,
    ChangeKind,
    QuestionnairePreview,
    answer_text,
    same_value,
)
from evaluator.questionnaire.problems import ImportRefused, Problem, warning
from evaluator.questionnaire.reader import QuestionnaireFile, read_questionnaire
from evaluator.questionnaire.template import find_candidate
from evaluator.records import EvalRef, ServiceError, audit, editable_evaluation
from evaluator.wording import plural
from evaluator.workbook_guard import WorkbookRejected
from evaluator.xlsx_text import stored_text

__all__ = [
    "AnswerChange",
    "ApplyOutcome",
    "ChangeKind",
    "FilePreview",
    "QuestionnairePreview",
    "answer_text",
    "apply_questionnaire",
    "preview_file",
    "preview_questionnaire",
    "preview_questionnaires",
]

# ---- preview --------------------------------------------------------------------------------


def preview_questionnaire(
    db: Database, evaluation: EvalRef, path: str | Path, candidate: str | None = None
) -> QuestionnairePreview:
    """Read one file and compare it with the database; raises WorkbookRejected/ImportRefused."""
    from evaluator.services import load_evaluation

    return preview_file(load_evaluation(db, evaluation), Path(path), candidate)


def preview_file(
    data: EvaluationData, path: Path, candidate: str | None = None
) -> QuestionnairePreview:
    """Compare a file with an evaluation snapshot (no database access)."""
    specs = questionnaire_questions(data.criteria)
    read = read_questionnaire(path, specs)
    _check_evaluation(data, read, path.name)
    chosen, candidate_notes = _choose_candidate(data, read, candidate, path.name)
    outdated, version_notes = _check_version(read.metadata, specs, read)
    problems = list(read.problems)
    existing = {r.criterion_key: r for r in data.responses if r.candidate_id == chosen.id}
    by_key = {spec.key: spec for spec in specs}
    changes: list[AnswerChange] = []
    for key, found in read.answers.items():
        if found.parsed.error is not None:
            continue
        old = existing.get(key)
        spec = by_key[key]
        if found.parsed.is_unanswered:
            if old is not None:
                problems = [_kept(p, old, spec) if p.key == key else p for p in problems]
            continue
        value = found.parsed.value
        if old is None:
            kind = ChangeKind.NEW
        elif same_value(old.value, value) and old.comment == found.comment:
            kind = ChangeKind.UNCHANGED
        else:
            kind = ChangeKind.CHANGED
        q = spec.question
        changes.append(
            AnswerChange(
                key,
                q.text,
                found.cell,
                q.answer_type,
                q.unit,
                old,
                value,
                found.raw,
                found.comment,
                kind,
            )
        )
    notes = [warning(f"{path.name}: {n}") for n in (*candidate_notes, *version_notes)]
    return QuestionnairePreview(
        path=path,
        sha256=read.sha256,
        evaluation_id=data.id,
        evaluation_name=data.name,
        candidate_id=chosen.id,
        candidate=chosen.name,
        changes=changes,
        problems=notes + problems,
        notices=read.notices,
        outdated=outdated,
    )


def _kept(problem: Problem, old: Response, spec: QuestionSpec) -> Problem:
    shown = answer_text(old.value, spec.question.answer_type, spec.question.unit) or old.raw
    text = f"{problem.text} (the answer on record, {shown!r}, is kept)"
    return Problem(problem.severity, text, problem.key, problem.cell)


def _check_evaluation(data: EvaluationData, read: QuestionnaireFile, name: str) -> None:
    meta = read.metadata
    if meta is None:
        return
    made_for = meta.text("evaluation_name")
    if not made_for or made_for == stored_text(data.name):
        return
    same_id = meta.integer("evaluation_id") == data.id
    if same_id and meta.text("fingerprint") == read.fingerprint:
        read.problems.insert(
            0,
            warning(f"{name}: made when this evaluation was called {made_for!r}"),
        )
        return
    raise ImportRefused(
        name,
        f"was made for the evaluation {made_for!r}, not {data.name!r}",
        "import it into that evaluation, or send this evaluation's questionnaire",
    )


def _choose_candidate(
    data: EvaluationData, read: QuestionnaireFile, wanted: str | None, name: str
) -> tuple[Candidate, list[str]]:
    meta = read.metadata or Metadata()
    made_for, made_for_id = meta.text("candidate"), meta.integer("candidate_id")
    if wanted:
        chosen = find_candidate(data, wanted)
        if made_for and made_for.casefold() != stored_text(chosen.name).casefold():
            return chosen, [f"made for {made_for!r}; imported for {chosen.name!r} as asked"]
        return chosen, []
    if made_for:
        by_name = [c for c in data.candidates if stored_text(c.name) == made_for]
        if by_name:
            return by_name[0], []
        by_id = [c for c in data.candidates if c.id == made_for_id]
        if by_id:
            return by_id[0], [f"made for {made_for!r}, now called {by_id[0].name!r}"]
        raise ImportRefused(
            name,
            f"was made for the candidate {made_for!r}, who is not in {data.name!r}",
            "choose the candidate to import it for (--candidate NAME on the command line)",
        )
    typed = f" (the name typed in it is {read.typed_candidate!r})" if read.typed_candidate else ""
    raise ImportRefused(
        name,
        f"does not say which candidate it is for, as it was made as a blank template{typed}",
        "choose the candidate to import it for (--candidate NAME on the command line)",
    )


def _check_version(
    meta: Metadata | None, specs: list[QuestionSpec], read: QuestionnaireFile
) -> tuple[bool, list[str]]:
    """(made from an older question set?, file-level notes); flags each changed question."""
    if meta is None:
        return False, ["has no SupportScope metadata; answers are matched by question id only"]
    if meta.text("fingerprint") == read.fingerprint:
        return False, []
    sent = {item[0]: item[1] for item in meta.items if len(item) >= 2 and item[0]}
    current = {spec.key: question_digest(spec) for spec in specs}
    changed = [k for k in current if k in sent and sent[k] != current[k]]
    added = [k for k in current if k not in sent]
    removed = [k for k in sent if k not in current]
    for key in changed:
        found = read.answers.get(key)
        where = found.cell if found else key
        read.problems.append(
            warning(
                f"{where}: question {key} was changed after this file was made; check that the "
                "answer still fits the new wording",
                key,
                found.cell if found else "",
            )
        )
    return True, [
        "was made from an older version of the questionnaire "
        f"({len(changed)} changed, {len(added)} added, {len(removed)} removed questions "
        "since then)"
    ]


# ---- apply ----------------------------------------------------------------------------------


def apply_questionnaire(
    db: Database,
    preview: QuestionnairePreview,
    *,
    valid_only: bool = False,
    actor: str | None = None,
    backup: Path | None = None,
) -> ApplyOutcome:
    """Write a preview's answers in one transaction (all or nothing), with audit entries.

    Each answer is the same `SetAnswer` change as a single edit, with the answer on record at
    preview time as what was seen; the list goes through the one change path in one transaction,
    which refuses the whole file when any answer changed since the preview. Before writing, the
    evaluation is backed up in that transaction (evaluator.backups.before_import); `backup`
    names one already taken for an earlier file of the same batch, which covers this one too.
    """
    errors = preview.errors
    refuse_problems(preview.file_name, errors, valid_only, "answers")
    to_write = preview.to_write
    changes = [
        SetAnswer(
            preview.candidate_id,
            change.key,
            None if change.old is None else Answer(change.old.value, change.old.raw,
                                                   change.old.comment),
            Answer(change.value, change.raw, change.comment),
            preview.file_name,
        )
        for change in to_write
    ]  # fmt: skip
    with db.transaction() as session:
        ev = editable_evaluation(session, preview.evaluation_id)
        about = (CandidateRow, preview.candidate_id, f"the candidate {preview.candidate!r}")
        candidate, backup = write_file(
            db, session, ev, changes, actor, backup, preview.file_name, about, "answers"
        )
        new = sum(c.kind is ChangeKind.NEW for c in to_write)
        replaced = sum(c.replaces for c in to_write)
        skipped = len({p.key or p.text for p in errors})
        skipped_note = f"; {plural(skipped, 'answer')} with errors left out" if skipped else ""
        audit(
            session,
            ev.id,
            actor,
            "import questionnaire",
            f"{candidate.name} / {preview.file_name}",
            "",
            plural(len(to_write), "answer"),
            f"file {preview.file_name}, SHA-256 {preview.sha256}: {new} new, {replaced} "
            f"replaced, {len(preview.changes) - len(to_write)} unchanged{skipped_note}",
        )
    return ApplyOutcome(
        preview.file_name, candidate.name, len(to_write), new, replaced, skipped, backup
    )


# ---- many files -----------------------------------------------------------------------------


@dataclass
class FilePreview:
    """One file of a batch: its preview, or the one-line reason it cannot be imported."""

    path: Path
    preview: QuestionnairePreview | None = None
    refused: str = ""


def preview_questionnaires(
    db: Database,
    evaluation: EvalRef,
    paths: Sequence[str | Path],
    candidate: str | None = None,
    *,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
) -> list[FilePreview]:
    """Preview many files against one snapshot; two files for one candidate are refused."""
    from evaluator.services import load_evaluation

    data = load_evaluation(db, evaluation)
    results: list[FilePreview] = []
    claimed: dict[int, str] = {}
    for done, raw_path in enumerate(paths):
        raise_if_cancelled(cancel)
        path = Path(raw_path)
        try:
            preview = preview_file(data, path, candidate)
        except (WorkbookRejected, ServiceError) as exc:
            results.append(FilePreview(path, refused=str(exc)))
        else:
            first = claimed.setdefault(preview.candidate_id, path.name)
            if first != path.name:
                results.append(
                    FilePreview(
                        path,
                        refused=(
                            f"{path.name} is for {preview.candidate}, like {first}: "
                            "import one file per candidate at a time."
                        ),
                    )
                )
            else:
                results.append(FilePreview(path, preview))
        if progress is not None:
            progress(done + 1, len(paths))
    return results

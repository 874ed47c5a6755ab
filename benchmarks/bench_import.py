"""Benchmark of questionnaire import at committee scale (a script, not a test; no asserts).

50 filled questionnaires of 500 questions each (yes/no, percentages, numbers, choices, text),
read through the workbook guard in read-only mode over bounded ranges, previewed and applied
one transaction per file. Run from the repository root:

    .venv/bin/python benchmarks/bench_import.py [FILES]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUESTIONS = 500
CATEGORIES = 10
FILES = 50  # or the first argument of the script


def build_tree(questions: int = QUESTIONS):  # -> list[Criterion]
    from evaluator.domain import AnswerType, AutoRule, Band, Criterion, CriterionKind, Question

    kinds = [
        (AnswerType.YES_NO, AutoRule(yes=5, no=0)),
        (AnswerType.PERCENT, AutoRule(bands=(Band(5, high=10), Band(3, high=40), Band(0)))),
        (AnswerType.NUMBER, AutoRule(bands=(Band(5, high=4), Band(2)))),
        (AnswerType.CHOICE, AutoRule(choices={"Gold": 5, "Silver": 3, "Bronze": 1})),
        (AnswerType.TEXT, None),
    ]
    per = questions // CATEGORIES
    roots = []
    for c in range(CATEGORIES):
        children = []
        for q in range(per):
            answer_type, rule = kinds[q % len(kinds)]
            kind = CriterionKind.RATED if rule is None else CriterionKind.AUTO
            children.append(
                Criterion(
                    f"c{c}.q{q}",
                    f"Criterion {c}.{q}",
                    kind,
                    1,
                    rubric={0: "absent", 5: "excellent"} if rule is None else {},
                    question=Question(
                        f"Question {c}.{q}: describe how your support handles case {q} for "
                        f"category {c}, with figures where you have them.",
                        answer_type,
                        ("Gold", "Silver", "Bronze") if answer_type is AnswerType.CHOICE else (),
                    ),
                    rule=rule,
                )
            )
        roots.append(Criterion(f"c{c}", f"Category {c}", weight=1, children=children))
    return roots


def answer_for(answer_type, index: int) -> object:
    from evaluator.domain import AnswerType

    return {
        AnswerType.YES_NO: ["Yes", "no", "y", True][index % 4],
        AnswerType.PERCENT: ["35%", 0.35, 35, "12.5"][index % 4],
        AnswerType.NUMBER: [3, "4", 2.5, "1,200"][index % 4],
        AnswerType.CHOICE: ["Gold", "silver", "Bronze"][index % 3],
        AnswerType.TEXT: f"Answer {index}: our own staff handle this around the clock.",
    }[answer_type]


def main(files: int = FILES) -> None:
    from openpyxl import load_workbook

    from evaluator import services
    from evaluator.db import open_database
    from evaluator.questionnaire.fingerprint import questionnaire_questions
    from evaluator.questionnaire.importer import apply_questionnaire, preview_file
    from evaluator.questionnaire.reader import read_questionnaire
    from evaluator.questionnaire.template import write_questionnaire_template

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        db = open_database(folder / "bench.db")
        ev = services.create_evaluation(db, "Bench RFP", build_tree())
        names = [f"Vendor {n:02d} (fictitious)" for n in range(files)]
        for name in names:
            services.add_candidate(db, ev, name)
        start = time.perf_counter()
        template = folder / "template.xlsx"
        write_questionnaire_template(db, ev, template)
        print(f"template with {QUESTIONS} questions: {time.perf_counter() - start:.2f} s")
        specs = questionnaire_questions(services.load_evaluation(db, ev).criteria)
        workbook = load_workbook(template)
        sheet = workbook["Questionnaire"]
        for row, spec in enumerate(specs, start=5):
            sheet.cell(row, 5).value = answer_for(spec.question.answer_type, row)
        filled = folder / "filled.xlsx"
        workbook.save(filled)
        files = []
        for n in range(files):
            copy = folder / f"vendor-{n:02d}.xlsx"
            shutil.copyfile(filled, copy)
            files.append(copy)
        print(f"file size: {filled.stat().st_size / 1024:.0f} KiB")

        timings: dict[str, list[float]] = {"read only": [], "preview": [], "apply": []}
        data = services.load_evaluation(db, ev)
        for path in files[:5]:
            t0 = time.perf_counter()
            read_questionnaire(path, specs)
            timings["read only"].append(time.perf_counter() - t0)
        start_all = time.perf_counter()
        for path, name in zip(files, names, strict=True):
            t1 = time.perf_counter()
            preview = preview_file(data, path, name)  # reads the file, then compares
            t2 = time.perf_counter()
            outcome = apply_questionnaire(db, preview)
            t3 = time.perf_counter()
            assert outcome.written == QUESTIONS, outcome
            timings["preview"].append(t2 - t1)
            timings["apply"].append(t3 - t2)
        total = time.perf_counter() - start_all
        for what, values in timings.items():
            values.sort()
            print(
                f"{what:<9} one {QUESTIONS}-row file: median "
                f"{values[len(values) // 2] * 1000:6.1f} ms, worst {values[-1] * 1000:6.1f} ms"
            )
        print(f"import of {files} files (preview + apply, one transaction each): {total:.2f} s")
        db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else FILES)

"""The four Excel commands through the real runner: output, exit status, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.runner import run
from evaluator import services
from tests import hostile_files as hostile
from tests.excel_fixtures import (
    BLUEFIN,
    EVALUATION,
    FIXTURE_EXPECTED,
    GOOD,
    LOFFICE_FIXTURE,
    NORTHWIND,
    dump_tables,
    fill_questionnaire,
    lakeside_db,
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    db, _ = lakeside_db(tmp_path)
    db.close()
    return tmp_path / "lakeside.db"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def template(
    capsys: pytest.CaptureFixture[str], db_path: Path, path: Path, *options: str
) -> tuple[int, str, str]:
    """`questionnaire template` of the evaluation to `path`, with `options` (--candidate)."""
    argv = ("questionnaire", "template", EVALUATION, "-o", str(path), *options)
    return cli(capsys, *argv, "--db", str(db_path))


def test_template_blank_and_per_candidate(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "northwind.xlsx"
    code, out, err = template(capsys, db_path, target, "--candidate", NORTHWIND)
    assert (code, err) == (0, "")
    assert out == f"wrote {target}: 15 questions, for {NORTHWIND}\n"
    assert load_workbook(target)["Questionnaire"]["B2"].value == NORTHWIND
    code, out, _ = cli(
        capsys,
        "questionnaire",
        "template",
        "1",
        "-o",
        str(tmp_path / "b.xlsx"),
        "--db",
        str(db_path),
    )
    assert code == 0 and out.endswith("15 questions, blank\n")
    code, out, err = template(capsys, db_path, tmp_path / "x.xlsx", "--candidate", "Nobody")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("error: no candidate named 'Nobody'")


def test_import_applies_new_answers_and_needs_yes_to_replace(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    written = tmp_path / "t.xlsx"
    assert template(capsys, db_path, written, "--candidate", NORTHWIND)[0] == 0
    first = fill_questionnaire(written, tmp_path / "first.xlsx", GOOD)
    code, out, err = cli(
        capsys, "questionnaire", "import", EVALUATION, str(first), "--db", str(db_path)
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        f"first.xlsx -> {NORTHWIND}: 15 new answers, 0 changed, 0 unchanged, 0 errors, 0 warnings"
    )
    assert "  new      cost.fee: 980,000 USD  (Questionnaire!E17)" in out.splitlines()
    assert out.endswith(
        f"imported 15 answers for {NORTHWIND} from first.xlsx (15 new, 0 replaced)\n"
    )
    second = fill_questionnaire(written, tmp_path / "bafo.xlsx", dict(GOOD, **{"cost.fee": 1}))
    code, out, err = cli(
        capsys, "questionnaire", "import", EVALUATION, str(second), "--db", str(db_path)
    )
    assert code == 2
    assert "  changed  cost.fee: 980,000 USD -> 1 USD  (Questionnaire!E17)" in out.splitlines()
    assert err == (
        "error: bafo.xlsx would replace 1 answer on record: check the preview and run again "
        "with --yes; nothing was imported\n"
    )
    code, out, err = cli(
        capsys, "questionnaire", "import", EVALUATION, str(second), "--yes", "--db", str(db_path)
    )
    assert (code, err) == (0, "") and "(0 new, 1 replaced)" in out


def test_errors_block_unless_valid_only(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = cli(
        capsys, "questionnaire", "import", EVALUATION, str(LOFFICE_FIXTURE), "--db", str(db_path)
    )
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: questionnaire-libreoffice.xlsx has 2 errors (first: ")
    assert '"about half" is not a percentage' in out
    code, out, err = cli(
        capsys,
        "questionnaire",
        "import",
        EVALUATION,
        str(LOFFICE_FIXTURE),
        "--valid-only",
        "--db",
        str(db_path),
    )
    assert (code, err) == (0, "")
    assert out.endswith(
        f"imported {len(FIXTURE_EXPECTED)} answers for {NORTHWIND} from "
        "questionnaire-libreoffice.xlsx (11 new, 0 replaced, 2 with errors left out)\n"
    )


def test_rejected_file_exits_2_with_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    from evaluator.db import open_database

    bomb = hostile.write_zip_bomb(tmp_path / "vendor.xlsx", 200 * 1024 * 1024)
    db = open_database(db_path)
    before = dump_tables(db)
    db.close()
    code, out, err = cli(
        capsys,
        "questionnaire",
        "import",
        EVALUATION,
        str(bomb),
        "--candidate",
        NORTHWIND,
        "--db",
        str(db_path),
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: vendor.xlsx was refused as a likely zip")
    db = open_database(db_path)
    assert dump_tables(db) == before
    db.close()


def test_many_files_show_progress_and_import_the_good_ones(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    paths = []
    for name in (NORTHWIND, BLUEFIN):
        written = tmp_path / f"t-{name}.xlsx"
        assert template(capsys, db_path, written, "--candidate", name)[0] == 0
        paths.append(fill_questionnaire(written, tmp_path / f"{name}.xlsx", GOOD))
    csv = hostile.write_csv_renamed(tmp_path / "kestrel.xlsx")
    code, out, err = cli(
        capsys,
        "questionnaire",
        "import",
        EVALUATION,
        *map(str, paths),
        str(csv),
        "--db",
        str(db_path),
    )
    assert code == 2
    lines = err.splitlines()
    assert lines[:3] == ["read 1/3 files", "read 2/3 files", "read 3/3 files"]
    assert lines[3].startswith("error: kestrel.xlsx is a CSV text file renamed .xlsx")
    assert lines[4] == "error: 1 of 3 files were not imported (kestrel.xlsx); the others were"
    assert out.count("imported 15 answers") == 2


def test_scoresheet_export_and_import_with_conflicts(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    from evaluator.db import open_database

    db = open_database(db_path)
    services.set_score(db, 1, "Rosa Ferreira", NORTHWIND, "support.analysts", 4, "Six named.")
    db.close()
    sheet_path = tmp_path / "rosa.xlsx"
    code, out, err = cli(
        capsys,
        "scoresheet",
        "export",
        EVALUATION,
        "--evaluator",
        "Rosa Ferreira",
        "-o",
        str(sheet_path),
        "--db",
        str(db_path),
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {sheet_path}: 15 rows for Rosa Ferreira, 1 already scored\n"
    workbook = load_workbook(sheet_path)
    workbook["Scores"]["F5"], workbook["Scores"]["G5"] = 2, "Fewer than promised."
    workbook["Scores"]["F6"], workbook["Scores"]["G6"] = 3, "Two per shift."
    workbook.save(sheet_path)
    db = open_database(db_path)
    services.set_score(db, 1, "Rosa Ferreira", NORTHWIND, "support.analysts", 5, "Office edit.")
    db.close()
    code, out, err = cli(
        capsys, "scoresheet", "import", EVALUATION, str(sheet_path), "--db", str(db_path)
    )
    assert code == 2
    assert (
        f"  conflict {NORTHWIND} / support.analysts: exported 4, database now 5, sheet 2  "
        "(Scores!F5)" in out.splitlines()
    )
    assert err == (
        "error: rosa.xlsx: 1 score changed in the database after the sheet was exported: run "
        "again with --take-sheet or --keep-database; nothing was imported\n"
    )
    code, out, err = cli(
        capsys,
        "scoresheet",
        "import",
        EVALUATION,
        str(sheet_path),
        "--take-sheet",
        "--db",
        str(db_path),
    )
    assert (code, err) == (0, "")
    assert out.endswith("imported 2 scores of Rosa Ferreira from rosa.xlsx\n")
    db = open_database(db_path)
    values = {
        (s.candidate_id, s.criterion_key): s.value for s in services.load_evaluation(db, 1).scores
    }
    db.close()
    assert values == {(1, "support.analysts"): 2.0, (1, "support.engineers"): 3.0}


def test_scoresheet_flags_are_exclusive_and_help_lists_the_commands(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = cli(
        capsys,
        "scoresheet",
        "import",
        EVALUATION,
        "x.xlsx",
        "--take-sheet",
        "--keep-database",
        "--db",
        str(db_path),
    )
    assert code == 2 and "not allowed with argument" in err and err.count("\n") == 1
    code, out, _ = cli(capsys, "--help")
    assert code == 0 and "questionnaire" in out and "scoresheet" in out

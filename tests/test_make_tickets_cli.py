"""tools/make_tickets.py's command line: a bad --start or a file for OUT_DIR is refused by
argparse with a clear message (exit 2, no traceback), and --help says what they must be."""

from __future__ import annotations

import pytest

from tools.make_tickets import main


def test_a_start_that_is_not_a_month_is_refused_clearly(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main([str(tmp_path / "out"), "--start", "2027-01-01", "--count", "5"])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert "'2027-01-01' is not a month as YYYY-MM" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_file_in_place_of_the_output_folder_is_refused(tmp_path, capsys):
    in_the_way = tmp_path / "tickets.csv"
    in_the_way.write_text("x", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main([str(in_the_way), "--count", "5"])
    assert stop.value.code == 2 and "is a file, not a folder" in capsys.readouterr().err
    assert in_the_way.read_text(encoding="utf-8") == "x"


def test_help_says_the_output_is_a_folder_and_start_is_a_month(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "OUT_DIR folder to write" in shown and "--start YYYY-MM" in shown


def test_a_valid_start_writes_its_months(tmp_path, capsys):
    assert main([str(tmp_path / "out"), "--start", "2027-11", "--months", "3", "--count", "9"]) == 0
    calls = (tmp_path / "out" / "calls.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in calls.splitlines()[1:]] == [
        "2027-11",
        "2027-12",
        "2028-01",
    ]

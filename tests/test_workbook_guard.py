"""Every wrong, damaged or hostile file is refused with one sentence naming it and the remedy."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.xml import functions as openpyxl_xml

from evaluator.workbook_guard import (
    MB,
    CellValue,
    Limits,
    RejectReason,
    WorkbookRejected,
    defusedxml_active,
    find_header_row,
    inspect_workbook,
    open_workbook_checked,
    read_range,
    safe_open_workbook,
)
from tests import hostile_files as hostile

HAS_PROC_FDS = Path("/proc/self/fd").is_dir()


def open_fds(path: Path | None = None) -> set[str]:
    """This process's open descriptors (those on `path` only, when given: other threads of an
    earlier test, such as a finishing background job, may open and close unrelated files)."""
    if not HAS_PROC_FDS:
        return set()
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed meanwhile
        if path is None or target == str(path.resolve()):
            found.add(f"{fd}:{target}")
    return found


def assert_refused(
    path: Path,
    reason: RejectReason,
    *phrases: str,
    opener: Callable[[Path], object] = inspect_workbook,
) -> str:
    """The file is refused for `reason`, in one sentence naming it, with no handle left open."""
    before = open_fds(path)
    start = time.perf_counter()
    with pytest.raises(WorkbookRejected) as caught:
        opener(path)
    elapsed = time.perf_counter() - start
    message = str(caught.value)
    print(f"{path.name}: refused in {elapsed * 1000:.1f} ms: {message}")
    assert caught.value.reason is reason, message
    assert message.startswith(f"{path.name} ")
    assert message.endswith(".") and "\n" not in message
    assert message.count(": ") >= 1  # "<file> <problem>: <what to do>."
    for phrase in phrases:
        assert phrase in message
    assert open_fds(path) == before
    return message


def check_then_load(path: Path) -> None:
    safe_open_workbook(path).close()


OPENERS = pytest.mark.parametrize(
    "opener", [inspect_workbook, check_then_load], ids=["inspect", "safe_open"]
)

HOSTILE_CASES = [
    (
        hostile.write_csv_renamed,
        "vendor-a.xlsx",
        RejectReason.CSV,
        ["is a CSV text file renamed .xlsx", "save it as an Excel Workbook (.xlsx)"],
    ),
    (
        hostile.write_old_xls,
        "vendor-b.xls",
        RejectReason.OLD_XLS,
        ["old Excel 97-2003 workbook (.xls)", "save it as an Excel Workbook (.xlsx)"],
    ),
    (
        hostile.write_encrypted_ooxml,
        "vendor-c.xlsx",
        RejectReason.ENCRYPTED,
        ["is password-protected", "remove the password", "import it again"],
    ),
    (
        hostile.write_empty,
        "vendor-d.xlsx",
        RejectReason.EMPTY,
        ["is empty (0 bytes)", "ask the sender"],
    ),
    (
        hostile.write_truncated,
        "vendor-e.xlsx",
        RejectReason.TRUNCATED,
        ["is incomplete", "cut off", "ask the sender for a copy"],
    ),
    (
        hostile.write_not_a_workbook_zip,
        "vendor-f.xlsx",
        RejectReason.NOT_WORKBOOK,
        ["zip archive but not an Excel workbook", "import the filled workbook (.xlsx) instead"],
    ),
    (
        hostile.write_html_renamed,
        "vendor-g.xls",
        RejectReason.HTML,
        ["web page (HTML)", "save it as an Excel Workbook (.xlsx)"],
    ),
    (
        hostile.write_ods_renamed,
        "vendor-h.xlsx",
        RejectReason.OTHER_FORMAT,
        ["OpenDocument spreadsheet (.ods)", "save it as an Excel Workbook (.xlsx)"],
    ),
    (
        hostile.write_pdf_renamed,
        "vendor-i.xlsx",
        RejectReason.OTHER_FORMAT,
        ["PDF document", "import the filled workbook (.xlsx) instead"],
    ),
    (
        lambda path: hostile.write_many_members(path, 1_000),
        "vendor-j.xlsx",
        RejectReason.ZIP_BOMB,
        ["likely zip bomb", "1,001 parts (limit 1,000)", "ask the sender"],
    ),
]


@OPENERS
@pytest.mark.parametrize(
    ("build", "file_name", "reason", "phrases"),
    HOSTILE_CASES,
    ids=[case[2].value + "-" + case[1] for case in HOSTILE_CASES],
)
def test_hostile_file_is_refused_with_a_message_that_names_it(
    tmp_path: Path,
    build: Callable[[Path], Path],
    file_name: str,
    reason: RejectReason,
    phrases: list[str],
    opener: Callable[[Path], object],
) -> None:
    path = build(tmp_path / file_name)
    assert_refused(path, reason, *phrases, opener=opener)


@OPENERS
def test_missing_file_and_folder_are_refused(
    tmp_path: Path, opener: Callable[[Path], object]
) -> None:
    assert_refused(
        tmp_path / "vendor-k.xlsx", RejectReason.MISSING, "was not found", "check the file name"
    )
    folder = tmp_path / "vendor-l.xlsx"
    folder.mkdir()
    assert_refused(folder, RejectReason.MISSING, "is a folder", opener=opener)


def test_tab_separated_text_and_plain_text_are_told_apart(tmp_path: Path) -> None:
    tsv = tmp_path / "vendor-m.xlsx"
    tsv.write_text("id\tanswer\nq1\tyes\nq2\tno\n")
    assert_refused(tsv, RejectReason.CSV, "tab-separated text file renamed .xlsx")
    note = tmp_path / "vendor-n.txt"
    note.write_text("Dear committee, please find our answers attached.\nKind regards\n")
    assert_refused(note, RejectReason.TEXT, "plain text file, not an Excel workbook")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-o.xlsx")
    assert_refused(
        path,
        RejectReason.TOO_LARGE,
        "remove pictures and extra sheets",
        opener=lambda p: inspect_workbook(p, Limits(max_file_bytes=1_000)),
    )


# ---- zip bombs ------------------------------------------------------------------------------


@OPENERS
def test_highly_compressed_member_is_refused_by_ratio(
    tmp_path: Path, opener: Callable[[Path], object]
) -> None:
    path = hostile.write_zip_bomb(tmp_path / "vendor-bomb.xlsx", 4 * MB)
    message = assert_refused(
        path, RejectReason.ZIP_BOMB, "likely zip bomb", "compressed", opener=opener
    )
    assert "xl/worksheets/sheet1.xml" in message


def test_member_over_the_size_limit_is_refused_without_expanding_it(tmp_path: Path) -> None:
    limit = Limits().max_member_bytes
    path = hostile.write_zip_bomb(tmp_path / "vendor-big.xlsx", limit + 1)
    assert_refused(
        path,
        RejectReason.ZIP_BOMB,
        f"expands to {limit + 1:,} bytes (limit {limit:,})",
        opener=check_then_load,
    )


def test_total_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = hostile.write_zip_bomb(tmp_path / "vendor-sum.xlsx", 2 * MB, members=2)
    limits = Limits(max_total_bytes=3 * MB, max_ratio=10_000)
    assert_refused(
        path,
        RejectReason.ZIP_BOMB,
        "expands to more than 3.0 MB",
        opener=lambda p: inspect_workbook(p, limits),
    )


def test_member_that_expands_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = hostile.write_lying_sizes(
        tmp_path / "vendor-liar.xlsx", real_bytes=20 * MB, declared_bytes=2_000
    )
    info = inspect_workbook(path)  # the central directory alone looks harmless
    assert info.uncompressed_bytes < 1 * MB
    assert_refused(
        path,
        RejectReason.ZIP_BOMB,
        "(xl/worksheets/sheet1.xml) that expands beyond the size it declares",
        opener=check_then_load,
    )


def test_member_whose_checksum_does_not_match_is_refused(tmp_path: Path) -> None:
    path = hostile.write_bad_checksum(tmp_path / "vendor-crc.xlsx")
    inspect_workbook(path)
    assert_refused(
        path,
        RejectReason.DAMAGED,
        "do not match the sizes and checksums it declares",
        "ask the sender for a copy",
        opener=check_then_load,
    )


# ---- macros, XML attacks ------------------------------------------------------------------


def test_macro_workbook_is_read_and_says_macros_were_ignored(tmp_path: Path) -> None:
    path = hostile.write_macro_workbook(tmp_path / "vendor-p.xlsm")
    with open_workbook_checked(path) as checked:
        assert checked.info.has_macros
        assert checked.info.notices == (
            "vendor-p.xlsm contains macros; macros ignored, only the cell values were read.",
        )
        rows = read_range(checked.workbook["Questionnaire"], 2, 2, 1, 1)
    assert rows[0][0].value == "q1"


def test_defusedxml_is_active_for_openpyxl() -> None:
    assert defusedxml_active()


def test_loading_refuses_to_run_without_defusedxml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-q.xlsx")
    monkeypatch.setattr(openpyxl_xml, "iterparse", ElementTree.iterparse)
    assert not defusedxml_active()
    with pytest.raises(RuntimeError, match="defusedxml is not active"):
        safe_open_workbook(path)


@pytest.mark.parametrize(
    "build", [hostile.write_billion_laughs, hostile.write_external_entity], ids=["laughs", "xxe"]
)
def test_xml_entity_attack_is_refused(tmp_path: Path, build: Callable[[Path], Path]) -> None:
    path = build(tmp_path / "vendor-r.xlsx")
    inspect_workbook(path)  # the container itself is fine: the attack is in the XML
    assert_refused(
        path,
        RejectReason.XML_ATTACK,
        "XML entity definitions, which Excel never writes",
        "ask the sender for a copy saved directly from Excel",
        opener=check_then_load,
    )


def test_sheet_broken_inside_its_rows_is_refused_when_read(tmp_path: Path) -> None:
    path = hostile.write_broken_sheet_data(tmp_path / "vendor-s.xlsx")
    with open_workbook_checked(path) as checked:
        sheet = checked.workbook["Questionnaire"]
        assert_refused(
            path,
            RejectReason.DAMAGED,
            "could not be read as an Excel workbook",
            "save it as an Excel Workbook",
            opener=lambda _: read_range(sheet, 1, 10, 1, 4),
        )


# ---- valid workbooks and bounded reads ----------------------------------------------------


def test_valid_workbook_info(tmp_path: Path) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-t.xlsx")
    info = inspect_workbook(path)
    assert info.file_name == "vendor-t.xlsx"
    assert info.size_bytes == path.stat().st_size
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not info.has_macros and info.notices == ()
    assert info.member_count >= 5 and info.uncompressed_bytes > info.size_bytes


def test_read_range_returns_exactly_the_bounds_with_formats(tmp_path: Path) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-u.xlsx", rows=3)
    before = open_fds(path)
    with open_workbook_checked(path) as checked:
        grid = read_range(checked.workbook["Questionnaire"], 2, 6, 2, 5)
    assert open_fds(path) == before
    assert len(grid) == 5 and all(len(row) == 4 for row in grid)
    answer = grid[0][1]
    assert (answer.ref, answer.value, answer.is_percent_format) == ("C2", 0.35, True)
    assert grid[1][1].value == datetime(2024, 3, 31)
    assert grid[2][1].value == 30 and not grid[2][1].is_percent_format
    assert grid[2][2].value == "note 3"
    assert [cell.value for cell in grid[3] + grid[4]] == [None] * 8  # below the data
    assert [cell.ref for cell in grid[4]] == ["B6", "C6", "D6", "E6"]  # E is past the data


def test_read_range_ignores_a_lying_dimension(tmp_path: Path) -> None:
    path = hostile.write_lying_dimension(tmp_path / "vendor-v.xlsx", rows=5)
    with open_workbook_checked(path) as checked:
        sheet = checked.workbook["Questionnaire"]
        assert sheet.max_row == 1_048_576 and sheet.max_column == 16_384  # what it claims
        start = time.perf_counter()
        grid = read_range(sheet, 1, 3, 1, 2)
        print(
            f"bounded read of a sheet claiming the whole grid: {time.perf_counter() - start:.4f} s"
        )
    assert [[cell.value for cell in row] for row in grid] == [["q1", 1], ["q2", 2], ["q3", 3]]


def test_read_range_works_on_a_workbook_being_written() -> None:
    """Template code reads back what it wrote with the same helper (no file, no archive)."""
    sheet = Workbook().create_sheet("Scores")
    sheet["B2"] = 4
    grid = read_range(sheet, 1, 2, 1, 2)
    assert [[cell.value for cell in row] for row in grid] == [[None, None], [None, 4]]
    assert grid[1][1].ref == "B2"


def test_read_range_rejects_impossible_bounds(tmp_path: Path) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-w.xlsx")
    with open_workbook_checked(path) as checked:
        sheet = checked.workbook["Questionnaire"]
        for bounds in [(0, 5, 1, 1), (5, 4, 1, 1), (1, 1, 3, 2), (1, 1, 1, 16_385)]:
            with pytest.raises(ValueError, match="bad range"):
                read_range(sheet, *bounds)


def test_find_header_row_by_names(tmp_path: Path) -> None:
    path = hostile.write_valid_workbook(tmp_path / "vendor-x.xlsx")
    with open_workbook_checked(path) as checked:
        sheet = checked.workbook["Questionnaire"]
        header = find_header_row(sheet, ["ANSWER", " question  id "], optional=["Comment", "Score"])
        missing = find_header_row(sheet, ["Answer", "Justification"])
    assert header is not None
    assert header.row == 1
    assert header.columns == {"ANSWER": 3, " question  id ": 1, "Comment": 4}
    assert missing is None


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [("0%", True), ("0.00%", True), ("General", False), ('0 "%"', False), ("0\\%", False)],
)
def test_percent_format_detection(number_format: str, expected: bool) -> None:
    assert CellValue(1, 1, 0.5, number_format).is_percent_format is expected


# ---- random corruption ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_workbook_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("corruption")
    return hostile.write_valid_workbook(folder / "base.xlsx", rows=20).read_bytes()


@settings(max_examples=80, deadline=None)
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    keep=st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_random_corruption_is_read_or_refused_never_crashes(
    valid_workbook_bytes: bytes, flips: list[tuple[int, int]], keep: int | None
) -> None:
    data = bytearray(valid_workbook_bytes)
    for position, value in flips:
        data[position % len(data)] = value
    if keep is not None:
        data = data[: keep % (len(data) + 1)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vendor-random.xlsx"
        path.write_bytes(bytes(data))
        try:
            with open_workbook_checked(path) as checked:
                for sheet in checked.workbook.worksheets:
                    grid = read_range(sheet, 1, 25, 1, 5)
                    assert len(grid) == 25 and all(len(row) == 5 for row in grid)
        except WorkbookRejected as rejected:
            message = str(rejected)
            assert message.startswith("vendor-random.xlsx ") and "\n" not in message


@pytest.fixture(scope="module")
def valid_workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.write_valid_workbook(tmp_path_factory.mktemp("xml") / "base.xlsx", rows=20)


XML_SNIPPETS = [b"<", b">", b'"', b"&", b"-1", b"99999999999", b'<c r="ZZZZ1"/>', b's="9999"']


@settings(max_examples=60, deadline=None)
@given(
    member=st.sampled_from(
        [hostile.SHEET1, hostile.WORKBOOK, "xl/styles.xml", "[Content_Types].xml"]
    ),
    position=st.integers(0, 10**6),
    cut=st.integers(0, 40),
    snippet=st.sampled_from(XML_SNIPPETS),
)
def test_damaged_xml_inside_a_sound_zip_is_read_or_refused_never_crashes(
    valid_workbook_path: Path, member: str, position: int, cut: int, snippet: bytes
) -> None:
    """The zip checks pass here (checksums are right): openpyxl meets the broken XML itself."""
    with zipfile.ZipFile(valid_workbook_path) as archive:
        body = bytearray(archive.read(member))
    position %= len(body)
    body[position : position + cut] = snippet
    with tempfile.TemporaryDirectory() as folder:
        path = hostile.replace_members(
            valid_workbook_path, Path(folder) / "vendor-xml.xlsx", {member: bytes(body)}
        )
        try:
            with open_workbook_checked(path) as checked:
                for sheet in checked.workbook.worksheets:
                    read_range(sheet, 1, 25, 1, 5)
        except WorkbookRejected as rejected:
            message = str(rejected)
            assert message.startswith("vendor-xml.xlsx ") and "\n" not in message

"""Why a workbook from the outside world was refused, as one sentence naming file and remedy.

Shared by the checks before parsing (evaluator/workbook_guard.py, evaluator/workbook_sniff.py)
and the bounded cell reads (evaluator/workbook_cells.py), where hostile XML can still surface.
"""

from __future__ import annotations

from enum import StrEnum

MB = 1024 * 1024
SEND_AGAIN = "ask the sender for a copy saved directly from Excel, then import it again"
RESAVE = "open it in Excel and save it as an Excel Workbook (.xlsx), then import it again"
WRONG_FILE = "import the filled workbook (.xlsx) instead"


class RejectReason(StrEnum):
    """Why a file was refused, for callers that branch (tests, exit codes, icons)."""

    MISSING = "missing"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TRUNCATED = "truncated"
    DAMAGED = "damaged"
    CSV = "csv"
    TEXT = "text"
    OLD_XLS = "old_xls"
    ENCRYPTED = "encrypted"
    HTML = "html"
    OTHER_FORMAT = "other_format"
    NOT_WORKBOOK = "not_workbook"
    ZIP_BOMB = "zip_bomb"
    XML_ATTACK = "xml_attack"


class WorkbookRejected(ValueError):
    """A file that will not be parsed; the message is one sentence naming file and remedy."""

    def __init__(self, file_name: str, problem: str, remedy: str, reason: RejectReason) -> None:
        super().__init__(f"{file_name} {problem}: {remedy}.")
        self.file_name = file_name
        self.reason = reason


def size_text(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size:,} bytes"


def parse_rejection(name: str, exc: BaseException) -> WorkbookRejected:
    """What openpyxl's error while parsing a checked workbook means for the user."""
    from defusedxml import DefusedXmlException

    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(link, DefusedXmlException) for link in chain):
        return WorkbookRejected(
            name,
            "was refused because it contains XML entity definitions, which Excel never writes "
            "and which are used to attack programs",
            SEND_AGAIN,
            RejectReason.XML_ATTACK,
        )
    detail = (str(chain[-1]).splitlines() or [type(chain[-1]).__name__])[0][:80]
    problem = f"could not be read as an Excel workbook ({detail})"
    return WorkbookRejected(name, problem, RESAVE, RejectReason.DAMAGED)

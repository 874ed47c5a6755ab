"""The quarterly service-review workbook: the quarter's metrics against their targets, every
month from go-live (the trends, as numbers), breaches and credits, the worst tickets and the
contract's targets with their sources. Same accent colour as the evaluation workbook; every
user text (names, ticket ids, categories, citations) through `put_text`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.contracts.card import PeriodCard
from evaluator.contracts.metrics import line_unit
from evaluator.wording import plural
from reports.xlsx.cells import (
    BOLD,
    DATE_TIME,
    PERCENT,
    Book,
    Sheet,
    Truncations,
    add_table,
    fill,
    header,
    print_setup,
    put_number,
    put_text,
    style,
    title_block,
    widths,
)

if TYPE_CHECKING:
    from reports.pdf.service_review import ReviewReport

VERDICT_FONTS = {
    "met": style(bold=True, font_color="#1B7F3B"),
    "at risk": style(bold=True, font_color="#B26A00"),
    "breached": style(bold=True, font_color="#B42318"),
}
MARKS = {"met": "✓ met", "at risk": "! at risk", "breached": "✗ breached"}


def _figure(ws: Sheet, row: int, column: int, value: float | None, unit: str) -> None:
    """A share as a percentage, minutes as minutes, seconds as seconds (numbers, not text)."""
    put_number(ws, row, column, value, PERCENT if unit == "share" else "0.0")


def _verdict(ws: Sheet, row: int, column: int, verdict: str) -> None:
    put_text(ws, row, column, MARKS.get(verdict, verdict), look=VERDICT_FONTS.get(verdict, ()))


def _metric_rows(ws: Sheet, first: int, card: PeriodCard, cuts: Truncations) -> int:
    row = first
    for line in card.metrics:
        unit = line_unit(line.metric)
        put_text(ws, row, 1, line.label, cuts)
        _figure(ws, row, 2, line.target, unit)
        _figure(ws, row, 3, line.value, unit)
        _verdict(ws, row, 4, line.verdict)
        put_number(ws, row, 5, line.count)
        row += 1
    return row


def write_review_xlsx(report: ReviewReport, path: Path) -> list[str]:
    """Build the workbook into `path` (the caller makes the write atomic)."""
    review, meta = report.review, report.meta
    contract, quarter = review.card.contract, review.quarter
    accent = fill(meta.branding.accent)
    cuts = Truncations()
    book = Book(path)
    ws = book.sheet("Quarter")
    title_block(
        ws,
        f"{contract.candidate}: service review {meta.quarter}",
        [
            f"Contract of {contract.evaluation}; go-live {contract.go_live:%Y-%m-%d}; "
            f"monthly fee {contract.monthly_fee:,.2f}; months in {contract.time_zone}",
            f"Quarter: {MARKS.get(quarter.verdict, quarter.verdict)}, {quarter.tickets:,} "
            f"tickets, {len(quarter.breaches)} breaches, service credits "
            f"{quarter.credit:,.2f}",
        ],
    )
    titles = ["Metric", "Target", "Delivered", "Verdict", "Counted"]
    header(ws, 5, titles, accent)
    last = _metric_rows(ws, 6, quarter, cuts) - 1
    widths(ws, [44, 12, 12, 14, 10])
    add_table(ws, "QuarterMetrics", 5, titles, last, accent)
    print_setup(ws, 5, landscape=False)

    ws = book.sheet("Months")
    title_block(ws, "Every month from go-live", ["Response and resolution: share in time"])
    months = review.year.months
    keys = [(m.metric, m.priority, m.label) for m in (months[0].metrics if months else [])]
    header(ws, 4, ["Month", "Tickets", "Verdict", "Credit", *(k[2] for k in keys)], accent)
    for row, card in enumerate(months, start=5):
        put_text(ws, row, 1, card.label)
        put_number(ws, row, 2, card.tickets)
        _verdict(ws, row, 3, card.verdict)
        put_number(ws, row, 4, card.credit, "#,##0.00")
        for column, (metric, priority, _label) in enumerate(keys, start=5):
            line = card.metric(metric, priority)
            _figure(ws, row, column, line.value if line else None, line_unit(metric))
    widths(ws, [10, 9, 13, 11, *[14] * len(keys)])
    print_setup(ws, 4)

    ws = book.sheet("Breaches")
    header(ws, 1, ["Month", "Breached metric", "Credit of the month"], accent)
    row = 2
    for card in review.card.months:
        for label in card.breaches or ["none"]:
            put_text(ws, row, 1, card.label)
            put_text(ws, row, 2, label)
            put_number(ws, row, 3, card.credit, "#,##0.00")
            row += 1
    put_text(ws, row, 1, meta.quarter, look=BOLD)
    put_text(ws, row, 2, "Quarter's service credits (the months' sum)")
    put_number(ws, row, 3, quarter.credit, "#,##0.00")
    widths(ws, [10, 44, 20])

    ws = book.sheet("Worst tickets")
    header(ws, 1, ["Ticket", "Opened (local)", "Restore (min)", "Target (min)", "Category",
                   "Group"], accent)  # fmt: skip
    for row, t in enumerate(review.worst, start=2):
        put_text(ws, row, 1, t.ticket_id, cuts)
        put_number(ws, row, 2, t.opened.replace(tzinfo=None), DATE_TIME)
        if t.open_still:
            put_text(ws, row, 3, "still open")
        else:
            put_number(ws, row, 3, t.restore_minutes, "0")
        put_number(ws, row, 4, t.target_minutes, "0")
        put_text(ws, row, 5, t.category, cuts)
        put_text(ws, row, 6, t.group, cuts)
    widths(ws, [16, 17, 13, 12, 24, 30])

    ws = book.sheet("Targets")
    header(ws, 1, ["Metric", "Target", "Commitment", "Source", "Where it came from"], accent)
    for row, target in enumerate(contract.targets, start=2):
        put_text(ws, row, 1, target.label)
        put_number(ws, row, 2, target.value, PERCENT if target.info.unit == "share" else "0.##")
        put_text(ws, row, 3, target.text, cuts)
        put_text(ws, row, 4, target.source)
        put_text(ws, row, 5, target.citation, cuts)
    widths(ws, [40, 10, 30, 14, 90])

    book.properties(title=meta.title, subject=meta.subject, creator=meta.author)
    book.close()
    warnings = meta.branding.problems(check_logo=False)
    if cuts.cells:
        warnings.append(f"{plural(len(cuts.cells), 'cell')} shortened to fit Excel's limit.")
    return warnings

"""The quarterly service-review PDF: the contract's promises against what was delivered in a
quarter, month by month, the first year's trends, the breaches and service credits, and the
worst tickets (the longest P1 restores). Same page furniture, fonts and accent colour as the
evaluation report (reports/pdf/document.py, styles.py, blocks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Spacer

from evaluator.contracts.card import PeriodCard
from evaluator.contracts.metrics import METRICS, line_unit, shown
from evaluator.contracts.review import Review
from reports.branding import Branding
from reports.pdf.blocks import data_table, heading, key_figures, note
from reports.pdf.document import Heading, ReportDocument, canvas_maker
from reports.pdf.styles import FAIL_COLOUR, MUTED, PASS_COLOUR, PENDING_COLOUR, RULE, Theme

VERDICT_COLOURS = {"met": PASS_COLOUR, "at risk": PENDING_COLOUR, "breached": FAIL_COLOUR}
VERDICT_MARKS = {"met": "✓ met", "at risk": "! at risk", "breached": "✗ breached"}
TRENDS = (
    ("sla_attainment", ""),
    ("resolution", "P1"),
    ("response", "P1"),
    ("satisfaction", ""),
    ("abandonment", ""),
    ("fcr", ""),
)


@dataclass(frozen=True)
class ReviewMeta:
    """What the page furniture reads (the evaluation report's ReportMeta, for a review)."""

    evaluation_name: str
    client: str
    quarter: str
    generated_at: datetime
    branding: Branding
    app_version: str
    is_final: bool = True

    @property
    def title(self) -> str:
        return f"{self.evaluation_name} — service review {self.quarter}"

    @property
    def subject(self) -> str:
        return "Quarterly service review: promise against delivery, breaches and credits"

    @property
    def author(self) -> str:
        parts = [self.branding.prepared_by.strip(), self.branding.firm_name.strip()]
        return ", ".join(part for part in parts if part) or "SupportScope"

    @property
    def cover_line(self) -> str:
        return f"Quarterly service review — {self.quarter}"


@dataclass(frozen=True)
class ReviewReport:
    meta: ReviewMeta
    review: Review


def verdict_cell(theme: Theme, verdict: str) -> Flowable:
    """A verdict in words with its symbol, in its colour (never colour alone)."""
    style = theme.cell_bold.clone("verdict", textColor=VERDICT_COLOURS.get(verdict, MUTED))
    return theme.p(VERDICT_MARKS.get(verdict, verdict), style)


def _section(theme: Theme, titled: tuple[str, str], header: list[str], rows: list,
             widths: list[float], right: tuple[int, ...]) -> list[Flowable]:  # fmt: skip
    """A numbered section: its heading, one paragraph, one table."""
    return [
        heading(theme, titled[0], 0),
        theme.p(titled[1]),
        data_table(theme, header, rows, widths, right=right),
    ]


def _front(report: ReviewReport, theme: Theme, width: float) -> list[Flowable]:
    review, meta = report.review, report.meta
    c, q = review.card.contract, review.quarter
    breaches = len(q.breaches)
    return [
        Heading(theme.esc("SERVICE REVIEW"), theme.small_muted, 0, "Service review"),
        theme.p(f"{c.candidate}: {meta.quarter}", theme.h1),
        theme.p(
            f"{meta.client + ' · ' if meta.client else ''}Support contract of the evaluation "
            f"{c.evaluation!r}; go-live {c.go_live:%d %b %Y}; monthly fee {c.monthly_fee:,.2f}; "
            f"months counted in {c.time_zone}.",
            theme.lead,
        ),
        key_figures(
            theme,
            [
                (VERDICT_MARKS.get(q.verdict, q.verdict), "quarter's verdict"),
                (f"{q.tickets:,}", "tickets opened"),
                (str(breaches), "metric breaches"),
                (f"{q.credit:,.2f}", "service credits"),
            ],
            width,
            [VERDICT_COLOURS.get(q.verdict)],
        ),
        Spacer(1, 8),
        note(
            theme,
            "Verdicts: met; at risk when within 10% of the target; breached. Each breached "
            f"metric of a month earns {c.credit_percent:g}% of the monthly fee, capped at "
            f"{c.credit_cap_percent or 0:g}% a month. Times run around the clock from opening.",
        ),
    ]


def _promise_table(report: ReviewReport, theme: Theme, width: float) -> list[Flowable]:
    review = report.review
    contract, q = review.card.contract, review.quarter
    rows = []
    for line in q.metrics:
        unit = line_unit(line.metric)
        source = contract.target(line.metric, line.priority)
        origin = source.source if source is not None else "standard"
        if line.metric in ("response", "resolution") and source is not None:
            origin = f"{origin}: {shown(source.value, 'min')}"
        rows.append(
            [
                theme.p(line.label, theme.cell),
                theme.p(origin, theme.cell),
                theme.p(shown(line.target, unit), theme.cell_right),
                theme.p(shown(line.value, unit), theme.cell_right),
                verdict_cell(theme, line.verdict),
            ]
        )
    promises = [
        [theme.p(t.label, theme.cell), theme.p(t.text or shown(t.value, t.info.unit), theme.cell),
         theme.p(t.citation, theme.cell)]
        for t in contract.targets
        if not t.info.measured and t.metric not in ("credit", "credit_cap")
    ]  # fmt: skip
    out: list[Flowable] = [
        *_section(
            theme,
            ("2  Promise against delivery", "Each metric of the quarter against its target. "
             "Response and resolution per priority are judged by the share of tickets within "
             "the priority's time target."),
            ["Metric", "Target from", "Target", "Delivered", "Verdict"],
            rows,
            [width * f for f in (0.34, 0.26, 0.13, 0.13, 0.14)],
            (2, 3),
        ),
    ]  # fmt: skip
    if promises:
        out += [
            heading(theme, "Commitments checked at the review", 2),
            data_table(theme, ["Commitment", "Promised", "Source"], promises,
                       [width * f for f in (0.25, 0.3, 0.45)]),
        ]  # fmt: skip
    return out


def _months(report: ReviewReport, theme: Theme, width: float) -> list[Flowable]:
    months = report.review.card.months
    quarter = report.review.quarter
    rows = [
        [
            theme.p(m.label, theme.cell_bold if m is quarter else theme.cell),
            theme.p(f"{m.tickets:,}", theme.cell_right),
            verdict_cell(theme, m.verdict),
            theme.p(", ".join(m.breaches) or "none", theme.cell),
            theme.p(f"{m.credit:,.2f}", theme.cell_right),
        ]
        for m in [*months, quarter]
    ]
    return [
        Spacer(1, 10),
        *_section(
            theme,
            ("1  Breaches and service credits",
             "Month by month, then the quarter as a whole (its credit is the months' sum)."),
            ["Period", "Tickets", "Verdict", "Breached metrics", "Credit"],
            rows,
            [width * f for f in (0.1, 0.1, 0.13, 0.54, 0.13)],
            (1, 4),
        ),
    ]  # fmt: skip


def trend_chart(theme: Theme, title: str, unit: str, cards: list[PeriodCard], key: tuple[str, str],
                width: float, height: float = 120) -> Drawing:  # fmt: skip
    """One metric over the months, its target dashed, each month's mark in its verdict's shape
    (dot met, triangle at risk, cross breached) and colour."""
    drawing = Drawing(width, height)
    drawing.initialFontName = theme.fonts.regular
    left, bottom, top = 44.0, 16.0, height - 16
    right = width - 6
    lines = [card.metric(*key) for card in cards]
    values = [v for ln in lines if ln for v in (ln.value, ln.target) if v is not None]
    high = max(1.0, max(values, default=1.0)) if unit == "share" else max(values, default=1) * 1.1
    step = (right - left) / max(1, len(cards))

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + step * (i + 0.5), bottom + (top - bottom) * value / (high or 1)

    font = theme.fonts.regular
    drawing.add(String(0, height - 9, title, fontName=theme.fonts.bold, fontSize=8.5))
    for share in (0, 0.5, 1):
        y = bottom + (top - bottom) * share
        drawing.add(Line(left, y, right, y, strokeColor=RULE, strokeWidth=0.4))
        label = shown(high * share, unit)
        drawing.add(String(left - 3, y - 3, label, fontName=font, fontSize=6.5, fillColor=MUTED,
                           textAnchor="end"))  # fmt: skip
    for i, card in enumerate(cards):
        drawing.add(String(left + step * (i + 0.5), 3, card.label[2:], fontName=font,
                           fontSize=6.5, fillColor=MUTED, textAnchor="middle"))  # fmt: skip
    targets = [xy(i, ln.target) for i, ln in enumerate(lines) if ln and ln.target is not None]
    for a, b in pairwise(targets):
        drawing.add(Line(*a, *b, strokeColor=colors.black, strokeWidth=0.7,
                         strokeDashArray=[3, 2]))  # fmt: skip
    points = [(i, ln) for i, ln in enumerate(lines) if ln and ln.value is not None]
    flat = [c for i, ln in points for c in xy(i, ln.value)]  # type: ignore[arg-type]
    if len(points) > 1:
        drawing.add(PolyLine(flat, strokeColor=theme.accent, strokeWidth=1.2))
    for i, ln in points:
        x, y = xy(i, ln.value)  # type: ignore[arg-type]
        colour = VERDICT_COLOURS.get(ln.verdict, MUTED)
        if ln.verdict == "breached":
            drawing.add(Line(x - 3, y - 3, x + 3, y + 3, strokeColor=colour, strokeWidth=1.5))
            drawing.add(Line(x - 3, y + 3, x + 3, y - 3, strokeColor=colour, strokeWidth=1.5))
        elif ln.verdict == "at risk":
            drawing.add(Polygon([x, y + 3.5, x + 3, y - 2.5, x - 3, y - 2.5], fillColor=colour,
                                strokeColor=colour))  # fmt: skip
        else:
            drawing.add(Circle(x, y, 2.6, fillColor=colour, strokeColor=colour))
    return drawing


def _trends(report: ReviewReport, theme: Theme, width: float) -> list[Flowable]:
    months = report.review.year.months[:12]
    out: list[Flowable] = [
        heading(theme, "3  Trends over the first year", 0),
        theme.p(
            "Month by month from go-live: the line is what was delivered, the dashed line the "
            "target; a dot is met, a triangle at risk, a cross breached."
        ),
    ]
    for key, priority in TRENDS:
        title = f"{METRICS[key].label} {priority}".strip()
        if key in ("response", "resolution"):
            title += " — share of tickets within the time target"
        unit = line_unit(key)
        out += [trend_chart(theme, title, unit, months, (key, priority), width), Spacer(1, 6)]
    return out


def _worst(report: ReviewReport, theme: Theme, width: float) -> list[Flowable]:
    worst = report.review.worst
    out: list[Flowable] = [
        heading(theme, "4  The worst tickets: longest P1 restores", 0),
        theme.p(
            "The priority-1 tickets opened in the quarter that took longest to restore "
            "(still-open ones first), against the P1 restore target."
        ),
    ]
    if not worst:
        return [*out, note(theme, "No P1 ticket was opened in the quarter.")]
    rows = [
        [
            theme.p(t.ticket_id, theme.cell),
            theme.p(f"{t.opened:%Y-%m-%d %H:%M}", theme.cell),
            theme.p("still open" if t.open_still else shown(t.restore_minutes, "min"),
                    theme.cell_right),
            theme.p(shown(t.target_minutes, "min"), theme.cell_right),
            theme.p(t.category, theme.cell),
            theme.p(t.group, theme.cell),
        ]
        for t in worst
    ]  # fmt: skip
    widths = [width * f for f in (0.14, 0.17, 0.12, 0.1, 0.2, 0.27)]
    header = ["Ticket", "Opened (local)", "Restored in", "Target", "Category", "Group"]
    return [*out, data_table(theme, header, rows, widths, right=(2, 3))]


def write_review_pdf(report: ReviewReport, path: Path) -> list[str]:
    """Lay the review out into `path` (the caller makes the write atomic); returns warnings."""
    from reports.pdf import _logo
    from reports.pdf.styles import make_theme

    warnings = report.meta.branding.problems(check_logo=False)
    theme = make_theme(report.meta.branding)
    doc = ReportDocument(str(path), report, theme, _logo(report, warnings))  # type: ignore[arg-type]
    doc.keywords = "EHR support contract, service review, SLA"
    width = doc.width
    story = [
        *_front(report, theme, width),
        *_months(report, theme, width),
        NextPageTemplate("body"),
        PageBreak(),
        *_promise_table(report, theme, width),
        CondPageBreak(4 * 72),
        *_trends(report, theme, width),
        *_worst(report, theme, width),
    ]
    doc.build(story, canvasmaker=canvas_maker(theme))
    return warnings

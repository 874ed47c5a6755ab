"""The front of the report: cover, executive summary and category comparison."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from evaluator.domain import GateState
from reports.model import RankingRow, ReportData
from reports.pdf.blocks import (
    CHARTS_UP_TO,
    SECTIONS,
    data_table,
    empty_note,
    heading,
    note,
    profile_key,
    section_heading,
)
from reports.pdf.cells import Paragraph
from reports.pdf.charts import category_chart, totals_chart
from reports.pdf.document import Heading, PageRef
from reports.pdf.styles import FAIL_COLOUR, INK, MUTED, Theme, gate_colour, mix
from reports.text import number, percent, points

CATEGORY_COLUMNS_PER_TABLE = 10  # more would make the columns too narrow to read


def cover(report: ReportData, theme: Theme, appendix: bool = False) -> list[Flowable]:
    meta = report.meta
    title = theme.h1.clone("cover_title", fontSize=26, leading=31, textColor=INK, spaceAfter=8)
    kicker = theme.small.clone("kicker", textColor=theme.accent, fontName=theme.fonts.bold)
    client = theme.lead.clone("cover_client", fontSize=14, leading=18, textColor=MUTED)
    facts = [
        ("Status", meta.status_label),
        ("Report date", f"{meta.generated_at:%d %B %Y}"),
        ("Prepared for", meta.client or "—"),
        ("Prepared by", meta.author),
        ("Candidates", f"{len(report.ranking)} evaluated"),
        ("Committee", f"{len(report.committee)} members"),
        ("Scoring scale", f"{meta.scale.minimum} to {meta.scale.maximum}"),
    ]
    fact_table = Table(
        [[Paragraph(theme.esc(k), theme.small_muted), theme.p(v, theme.body)] for k, v in facts],
        colWidths=[1.3 * inch, 5.0 * inch],
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#D5DBE1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    closing = (
        "The committee has marked this evaluation final; the scores and ranking in this report "
        "are locked."
        if meta.is_final
        else "This is a draft: scores and the ranking may still change. The DRAFT mark is removed "
        "once the committee marks the evaluation final."
    )
    return [
        Heading(theme.esc("EVALUATION REPORT"), kicker, 0, "Cover"),
        Spacer(1, 6),
        theme.p(meta.evaluation_name, title),
        theme.p(meta.client, client) if meta.client else Spacer(1, 1),
        Spacer(1, 0.2 * inch),
        fact_table,
        Spacer(1, 0.15 * inch),
        theme.p(closing, theme.small_muted),
        Spacer(1, 0.15 * inch),
        *contents(report, theme, appendix),
        NextPageTemplate("body"),
        PageBreak(),
    ]


CONTENTS_ROWS = 12  # what the cover holds: beyond, the candidates are in the bookmarks only


def contents(report: ReportData, theme: Theme, appendix: bool = False) -> list[Flowable]:
    """The sections with their page numbers (filled in when the whole report is laid out)."""
    entry = theme.body.clone("contents", spaceAfter=0)
    sub = theme.cell.clone("contents_sub", leftIndent=14, textColor=MUTED)
    rows: list[list] = []
    sections = {key: title for key, title in SECTIONS.items() if appendix or key != "detail"}
    for key, title in sections.items():
        rows.append([Paragraph(theme.esc(title), entry), PageRef(key)])
        if key == "profiles" and len(sections) + len(report.candidates) <= CONTENTS_ROWS:
            for number, section in enumerate(report.candidates, start=1):
                label = f"3.{number}  {section.row.name}"
                rows.append([Paragraph(theme.esc(label), sub), PageRef(profile_key(number))])
    table = Table(
        rows,
        colWidths=[5.0 * inch, 0.5 * inch],
        hAlign="LEFT",
        style=[
            theme.font_command,
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#E3E8EE")),
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ],
    )
    kicker = theme.small.clone("contents_title", textColor=theme.accent, fontName=theme.fonts.bold)
    return [Paragraph("CONTENTS", kicker), Spacer(1, 4), table]


def status_text(row: RankingRow, theme: Theme, shared: str = "") -> str:
    """'✗ Disqualified: failed the gate “…”', '? Provisional: ...', or 'Ranked'; just
    '? Provisional' when that sentence is `shared` (said once under the table)."""
    state = row.gate_state
    if state is None:
        return row.status_sentence
    if shared and row.status_sentence == shared:
        return f"{theme.gate_mark(state)} Provisional"
    return f"{theme.gate_mark(state)} {row.status_sentence}"


def shared_pending(report: ReportData) -> str:
    """The provisional sentence when two or more candidates wait for the very same gates:
    said once under the ranking rather than in every row, the way a reader expects it."""
    sentences = [
        row.status_sentence for row in report.ranking if row.gate_state is GateState.PENDING
    ]
    return sentences[0] if len(sentences) > 1 and len(set(sentences)) == 1 else ""


def ranking_table(report: ReportData, theme: Theme, width: float) -> Table:
    rows = []
    extra: list[tuple] = []
    shared = shared_pending(report)
    for i, row in enumerate(report.ranking, start=1):
        name = Paragraph(
            f"<b>{theme.esc(row.name)}</b><br/><font size=7 color='#5F6B76'>"
            f"{theme.esc(row.kind_label)}</font>",
            theme.cell,
        )
        state = row.gate_state
        status_style = (
            theme.cell
            if state is None
            else theme.cell_bold.clone("status", textColor=gate_colour(state))
        )
        status = theme.t(status_text(row, theme, shared), status_style)
        rows.append(
            [
                theme.t(row.rank_label, theme.cell_bold),
                name,
                theme.t(points(row.total), theme.cell_right),
                theme.t(percent(row.completeness), theme.cell_right),
                status,
            ]
        )
        if state is not None:
            tint = mix(gate_colour(state), colors.white, 0.88)
            extra.append(("BACKGROUND", (4, i), (4, i), tint))
        if row.disqualified:
            extra.append(("TEXTCOLOR", (0, i), (-1, i), FAIL_COLOUR))
    widths = [0.07, 0.31, 0.09, 0.15, 0.38]
    return data_table(
        theme,
        ["Rank", "Candidate", "Total", "Completeness", "Status"],
        rows,
        [w * width for w in widths],
        right=(2, 3),
        extra=extra,
    )


def executive_summary(
    report: ReportData, theme: Theme, width: float, height: float
) -> list[Flowable]:
    ranked = [row for row in report.ranking if row.rank is not None]
    disqualified = [row for row in report.ranking if row.disqualified]
    leaf_count = len(report.matrix)
    opening = (
        f"{len(report.ranking)} candidates were evaluated against {leaf_count} weighted criteria "
        f"in {len(report.categories)} categories by a committee of {len(report.committee)}. "
    )
    if ranked:
        leaders = [row.name for row in ranked if row.rank == 1]
        opening += f"{' and '.join(leaders)} {'rank' if len(leaders) > 1 else 'ranks'} first "
        opening += f"with {points(ranked[0].total)} of 100 points."
    else:
        opening += "No candidate is ranked yet."
    if disqualified:
        if len(disqualified) == 1:
            opening += " 1 candidate was disqualified by a gate and is shown for reference only."
        else:
            opening += f" {len(disqualified)} candidates were disqualified by a gate and are "
            opening += "shown for reference only."
    story: list[Flowable] = [
        section_heading(theme, "summary"),
        theme.p(opening, theme.lead),
        ranking_table(report, theme, width)
        if report.ranking
        else empty_note(theme, "No candidates."),
        Spacer(1, 4),
        note(
            theme,
            "Total: points out of 100. Completeness: share of the criteria weight that has a "
            "value; a missing value counts as zero. Disqualified candidates failed a pass/fail "
            "gate and are not ranked; provisional ranks wait for a gate decision.",
        ),
    ]
    shared = shared_pending(report)
    if shared:
        story.append(note(theme, f"{shared} (for every candidate marked provisional)."))
    if report.ranking and report.categories:
        chart = totals_chart(report, theme, width, height - 30)
        story.append(KeepTogether([heading(theme, "Totals by category", 2), chart]))
    if report.leaders:
        story += [CondPageBreak(1.5 * inch), heading(theme, "Leading candidates", 2)]
        story += [theme.rich(paragraph) for paragraph in report.leaders]
    story.append(PageBreak())
    return story


def _shade_share(score: float | None) -> float:
    """How much accent colour a score's cell gets: a tint for 0, strong for 100%."""
    return 0.0 if score is None else 0.06 + 0.74 * score


def _shade(theme: Theme, score: float | None) -> colors.Color:
    return mix(colors.white, theme.accent, _shade_share(score))


def category_table(report: ReportData, theme: Theme, width: float, first: int, last: int) -> Table:
    categories = report.categories[first:last]
    name_width = width * 0.24
    column = (width - name_width) / max(1, len(categories))
    longest_word = max(
        (stringWidth(word, theme.fonts.bold, 1) for c in categories for word in c.name.split()),
        default=1.0,
    )
    header_size = max(6.0, min(7.5, (column - 5) / longest_word))
    header = ["Candidate", *(f"{c.name}\n{number(c.max_points, 1)} pts" for c in categories)]
    best = [
        max(
            (r.category_scores[i] or 0.0 for r in report.ranking if not r.disqualified),
            default=None,
        )
        for i in range(first, last)
    ]
    rows = []
    extra: list[tuple] = [
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (1, 0), (-1, 0), 2),
        ("RIGHTPADDING", (1, 0), (-1, 0), 2),
    ]
    for j, row in enumerate(report.ranking, start=1):
        label = row.name + (" (disqualified)" if row.disqualified else "")
        cells: list = [theme.t(label)]
        for k, i in enumerate(range(first, last), start=1):
            score = row.category_scores[i]
            is_best = not row.disqualified and best[k - 1] is not None and score is not None
            is_best = is_best and abs(score - best[k - 1]) <= 1e-9
            style = theme.cell_center.clone(
                "shaded",
                textColor=colors.white if _shade_share(score) > 0.5 else INK,
                fontName=theme.fonts.bold if is_best else theme.fonts.regular,
            )
            cells.append(theme.t(percent(score), style))
            extra.append(("BACKGROUND", (k, j), (k, j), _shade(theme, score)))
        rows.append(cells)
    return data_table(
        theme,
        header,
        rows,
        [name_width] + [column] * len(categories),
        extra=extra,
        zebra=False,
        header_size=header_size,
    )


def category_comparison(
    report: ReportData, theme: Theme, width: float, height: float
) -> list[Flowable]:
    story: list[Flowable] = [
        section_heading(theme, "categories"),
        theme.p(
            "Each cell shows the share of a category's points that a candidate earned: darker "
            "is better, and the best qualified candidate in each category is set in bold. The "
            "column header gives the category's weight in points out of 100.",
            theme.body,
        ),
    ]
    if not report.categories or not report.ranking:
        return [*story, empty_note(theme, "Nothing to compare yet."), PageBreak()]
    count = len(report.categories)
    tables = -(-count // CATEGORY_COLUMNS_PER_TABLE)
    per_table = -(-count // tables)  # balanced: 9 categories make tables of 5 and 4
    for first in range(0, count, per_table):
        last = min(count, first + per_table)
        story += [category_table(report, theme, width, first, last), Spacer(1, 10)]
    if len(report.ranking) > CHARTS_UP_TO:  # a chart per category would only repeat the table
        return [*story, PageBreak()]
    story += [CondPageBreak(2 * inch), heading(theme, "Scores by category", 2)]
    per_row = 2
    chart_width = (width - 16) / per_row
    charts = [
        category_chart(report, i, theme, chart_width, height - 30)
        for i in range(len(report.categories))
    ]
    for start in range(0, len(charts), per_row):
        group = charts[start : start + per_row]
        group += [Spacer(1, 1)] * (per_row - len(group))
        story.append(
            KeepTogether(
                Table(
                    [group],
                    colWidths=[chart_width + 8] * per_row,
                    hAlign="LEFT",
                    style=[
                        theme.font_command,
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ],
                )
            )
        )
        story.append(Spacer(1, 8))
    story.append(PageBreak())
    return story

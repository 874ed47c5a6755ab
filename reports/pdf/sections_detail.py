"""Appendix B of the PDF, printed only when the user asks for it (`write_pdf(appendix=True)`,
`export --appendix`, the export dialog's check box): the per-criterion detail the body leaves
to the workbook. Every criterion's weight and rubric and every disagreement and decision where
the body lists only the first ones, then per candidate the members' scores and justifications.
At committee scale this runs to hundreds of pages; the body stays readable in an hour."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Table

from reports.model import ABSTAIN, CandidateSection, Justification, ReportData
from reports.pdf.blocks import LISTED_ROWS, empty_note, heading, note, section_heading
from reports.pdf.cells import Paragraph
from reports.pdf.sections_back import condensed, criteria_table, rubric_nodes, rubrics
from reports.pdf.sections_committee import decision_table, disagreement_table
from reports.pdf.styles import RULE, Theme
from reports.text import number


def detail_front(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    """The heading, then what appendix A and section 4 listed only in part."""
    story: list[Flowable] = [
        section_heading(theme, "detail"),
        theme.p(
            "The detail behind the body of the report: what it lists only in part, then each "
            "member's score and justification per candidate and criterion (the Excel workbook's "
            "Scores sheet holds every one of them, filterable)."
        ),
    ]
    part = 0
    all_criteria, all_rubrics = condensed(report)
    lists = [
        (
            all_criteria,
            "Every criterion and its weight",
            lambda: criteria_table(report.method, theme, width),
        ),
        (
            all_rubrics,
            "Every rubric and questionnaire rule",
            lambda: rubrics(rubric_nodes(report), theme, width),
        ),
        (
            len(report.disagreements) > LISTED_ROWS,
            "Every disagreement",
            lambda: disagreement_table(report, report.disagreements, theme, width),
        ),
        (
            len(report.decisions) > LISTED_ROWS,
            "Every consensus decision",
            lambda: decision_table(report.decisions, theme, width),
        ),
    ]
    for wanted, title, table in lists:
        if wanted:
            part += 1
            story += [CondPageBreak(2 * 72), heading(theme, f"B.{part}  {title}", 1), table()]
    return story


def candidate_detail(
    report: ReportData, section: CandidateSection, theme: Theme, width: float
) -> list[Flowable]:
    """One candidate's justifications, criterion by criterion."""
    groups = _justifications(section, theme, width, report.meta.scale.maximum)
    intro = [
        CondPageBreak(2 * 72),
        heading(theme, f"Justifications: {section.row.name}", 1),
        note(theme, _justification_intro(section)),
    ]
    # A heading never ends a page alone, and a short group is never split from its title.
    return [KeepTogether(intro + groups[0]), *(KeepTogether(group) for group in groups[1:])]


def _justification_intro(section: CandidateSection) -> str:
    text = "Each member's score and reasons, criterion by criterion."
    if section.justifications_omitted:
        text = (
            "Each member's score and reasons for the most heavily weighted criteria and those "
            "where the committee disagreed. The justifications for the other "
            f"{section.justifications_omitted} scored criteria are in the Excel workbook "
            "(Scores sheet)."
        )
    return text


def _justifications(
    section: CandidateSection, theme: Theme, width: float, scale_max: float
) -> list[list[Flowable]]:
    """Per criterion: its name, then each member's score and reasons."""
    if not section.justifications:
        return [[empty_note(theme, "No committee scores recorded for this candidate yet.")]]
    groups: dict[str, list[Justification]] = {}
    for item in section.justifications:
        groups.setdefault(item.criterion_key, []).append(item)
    title_style = theme.cell_bold.clone(
        "justification_title", fontSize=8.5, spaceBefore=6, spaceAfter=2, textColor=theme.accent
    )
    role = theme.small_muted.clone("role", fontSize=7, leading=9, spaceAfter=0)
    story: list[list[Flowable]] = []
    for items in groups.values():
        rows = [
            [
                [theme.p(item.evaluator_name, theme.cell), theme.p(item.evaluator_role, role)],
                ABSTAIN if item.abstained else f"{number(item.value)} / {number(scale_max)}",
                theme.p(item.text.strip() or "(no justification given)", theme.cell),
            ]
            for item in items
        ]
        table = Table(
            rows,
            colWidths=[0.23 * width, 0.11 * width, 0.66 * width],  # room for "abstain"
            splitInRow=1,
            hAlign="LEFT",
            style=[
                theme.font_command,
                ("FONT", (1, 0), (1, -1), theme.fonts.bold, 8),
                ("ALIGN", (1, 0), (1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, theme.accent),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ],
        )
        story.append([Paragraph(theme.esc(items[0].criterion_name), title_style), table])
    return story

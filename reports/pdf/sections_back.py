"""The back of the report: the methodology appendix (the committee is in sections_committee)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Spacer

from evaluator.kinds import is_category
from reports.model import AuditSummary, MethodNode, ReportData
from reports.pdf.blocks import (
    METHOD_ROWS,
    RUBRICS_LISTED,
    data_table,
    empty_note,
    heading,
    note,
    part,
    section_heading,
)
from reports.pdf.cells import Paragraph
from reports.pdf.sections_ahp import ahp_method
from reports.pdf.styles import Theme
from reports.text import NO_VALUE, number, percent

AUDIT_TIME = "%Y-%m-%d %H:%M"


def criteria_table(nodes: Sequence[MethodNode], theme: Theme, width: float) -> Flowable:
    if not nodes:
        return empty_note(theme, "No criteria are defined yet.")
    rows, extra = [], []
    for i, node in enumerate(nodes, start=1):
        category = is_category(node.kind)
        indent = 10 * node.depth
        style = theme.cell_bold if category else theme.cell
        name = Paragraph(
            f"{theme.esc(node.name)}<br/>"
            f"<font size=6.5 color='#5F6B76'>{theme.esc(node.key)}</font>",
            style.clone(f"tree{node.depth}{category}", leftIndent=indent),
        )
        rows.append(
            [
                name,
                theme.t(node.kind_label),
                theme.t(
                    NO_VALUE if node.raw_weight is None else number(node.raw_weight, 3),
                    theme.cell_right,
                ),
                theme.t(percent(node.sibling_share, 1), theme.cell_right),
                theme.t(percent(node.effective_weight, 2), theme.cell_right),
            ]
        )
        if category:
            extra.append(("BACKGROUND", (0, i), (-1, i), theme.accent_light))
    return data_table(
        theme,
        ["Criterion", "Kind", "Raw weight", "Share of siblings", "Effective weight"],
        rows,
        [w * width for w in (0.44, 0.2, 0.11, 0.12, 0.13)],
        right=(2, 3, 4),
        extra=extra,
        zebra=False,
    )


def rubric_nodes(report: ReportData) -> list[MethodNode]:
    """The leaves with a rubric or a questionnaire rule to print."""
    return [n for n in report.method if not is_category(n.kind) and (n.rubric or n.rule)]


def rubrics(nodes: Sequence[MethodNode], theme: Theme, width: float) -> Flowable:
    rows = []
    for node in nodes:
        lines = [f"<b>{point}</b>  {theme.esc(text)}" for point, text in reversed(node.rubric)]
        if node.rule:
            lines.append(f"<i>Questionnaire rule:</i> {theme.esc(node.rule)}")
        rows.append(
            [
                Paragraph(
                    f"<b>{theme.esc(node.name)}</b><br/><font size=7 color='#5F6B76'>"
                    f"{theme.esc(node.kind_label)}</font>",
                    theme.cell,
                ),
                Paragraph("<br/>".join(lines), theme.cell.clone("rubric", spaceAfter=0)),
            ]
        )
    if not rows:
        return empty_note(theme, "No rubrics or questionnaire rules are defined.")
    return data_table(
        theme, ["Criterion", "What each point means"], rows, [0.3 * width, 0.7 * width]
    )


def condensed(report: ReportData) -> tuple[bool, bool]:
    """Whether appendix A lists only the categories, and whether it leaves out the rubrics."""
    return len(report.method) > METHOD_ROWS, len(rubric_nodes(report)) > RUBRICS_LISTED


def _where_rest(appendix: bool) -> str:
    return "appendix B" if appendix else "an export with the appendix"


def _criteria(report: ReportData, theme: Theme, width: float, appendix: bool) -> list[Flowable]:
    if not condensed(report)[0]:
        return [criteria_table(report.method, theme, width)]
    categories = [node for node in report.method if is_category(node.kind)]
    text = (
        f"The {len(categories)} categories; the weights of all "
        f"{len(report.method) - len(categories)} criteria "
        f"are in the workbook's Weights sheet and in {_where_rest(appendix)}."
    )
    return [note(theme, text), Spacer(1, 3), criteria_table(categories, theme, width)]


def _rubrics(report: ReportData, theme: Theme, width: float, appendix: bool) -> list[Flowable]:
    nodes = rubric_nodes(report)
    if not condensed(report)[1]:
        return [rubrics(nodes, theme, width)]
    text = f"The rubrics and rules of the {len(nodes)} criteria are in {_where_rest(appendix)}."
    return [note(theme, text)]


def methodology(
    report: ReportData, theme: Theme, width: float, appendix: bool = False
) -> list[Flowable]:
    meta = report.meta
    story: list[Flowable] = [
        section_heading(theme, "method"),
        theme.p(
            "How the figures in this report are made, so that every number can be checked. "
            "The Excel workbook delivered with this report recomputes the totals from the same "
            "weights and values with live formulas."
        ),
        heading(theme, "A.1  Criteria and weights", 1),
        note(
            theme,
            "Raw weights are relative among siblings; the effective weight is each node's share "
            "of the total (the product of the shares along its path). Gates carry no weight.",
        ),
        *_criteria(report, theme, width, appendix),
        *ahp_method(report, theme, width),
        *part(
            theme,
            "A.2  Scale and rubrics",
            f"Committee members score on a scale from {meta.scale.minimum} to "
            f"{meta.scale.maximum}; each criterion's rubric says what each point means. "
            f"Members' scores are combined by the {meta.aggregation_label}.",
        ),
        *_rubrics(report, theme, width, appendix),
        *part(theme, "A.3  Formulas"),
    ]
    for formula in report.formulas:
        story.append(
            Paragraph(f"<b>{theme.esc(formula.title)}.</b> {theme.esc(formula.text)}", theme.body)
        )
    story += part(theme, "A.4  About this report")
    facts = [
        ("Application", f"SupportScope {meta.app_version}"),
        ("Generated", f"{meta.generated_at:%Y-%m-%d %H:%M %Z}".strip()),
        ("Evaluation status", meta.status_label),
        ("Aggregation of scores", meta.aggregation_label),
        ("Typeface", f"{theme.fonts.label} (embedded)"),
    ]
    story.append(
        data_table(
            theme,
            ["Item", "Value"],
            [[theme.t(k, theme.cell_bold), theme.t(v)] for k, v in facts],
            [0.3 * width, 0.7 * width],
        )
    )
    story += audit_summary(report, theme, width)
    return story


def audit_summary(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    summary = report.audit_summary
    story = part(theme, "A.5  Audit summary")
    if summary.count == 0:
        return [*story, empty_note(theme, "The audit trail is empty.")]
    first = f"{summary.first_at:{AUDIT_TIME}}" if summary.first_at else NO_VALUE
    last = f"{summary.last_at:{AUDIT_TIME}}" if summary.last_at else NO_VALUE
    actions = ", ".join(f"{name} ({count})" for name, count in summary.by_action)
    actors = ", ".join(f"{name} ({count})" for name, count in summary.by_actor)
    story += [
        theme.p(
            f"The audit trail holds {summary.count} entries, from {first} to {last} (UTC). "
            "Entries are never deleted; the full trail is in the workbook's Audit sheet."
        ),
        *_chain(summary, theme),
        theme.p(f"By action: {actions}.", theme.small),
        theme.p(f"By person: {actors}.", theme.small),
        Spacer(1, 4),
        heading(theme, f"The {len(summary.recent)} most recent entries", 2),
    ]
    rows = [
        [
            theme.t(f"{entry.at:{AUDIT_TIME}}"),
            theme.t(entry.actor),
            theme.t(entry.action),
            theme.t(entry.target),
            theme.t(_change(entry.old, entry.new)),
            theme.t(entry.why),
        ]
        for entry in summary.recent
    ]
    story.append(
        data_table(
            theme,
            ["When (UTC)", "Who", "Action", "Target", "Change", "Why"],
            rows,
            [w * width for w in (0.12, 0.13, 0.1, 0.22, 0.1, 0.33)],
        )
    )
    return story


def _chain(summary: AuditSummary, theme: Theme) -> list[Flowable]:
    """The chain's head hash: printed, it pins every entry up to it (`verify` recomputes it)."""
    if not summary.head_hash:
        return []
    story = [
        theme.p(
            f"Audit chain: {summary.count} entries, head hash {summary.head_hash}. Each entry "
            "is sealed with the hash of the one before it, so this hash pins every entry up to "
            "it; 'supportscope verify' recomputes it from the database."
        )
    ]
    if summary.chain:
        checked = "intact" if summary.chain_intact else f"NOT intact: {summary.chain}"
        style = theme.small if summary.chain_intact else theme.cell_bold
        story.append(theme.p(f"Checked when this report was made: {checked}.", style))
    return story


def _change(old: str, new: str) -> str:
    if old and new:
        return f"{old} to {new}"
    return new or old

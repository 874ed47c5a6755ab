"""The pairwise weighting (AHP) part of the methodology appendix: how the weights were derived
where the committee compared criteria pairwise, with each set's consistency."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from reports.ahp_data import AHP_METHOD
from reports.model import AhpSection, ReportData
from reports.pdf.blocks import data_table, heading, note
from reports.pdf.styles import Theme
from reports.text import NO_VALUE, number, percent


def ahp_method(report: ReportData, theme: Theme, width: float) -> list[Flowable]:
    """Nothing when no one compared criteria pairwise."""
    if not report.ahp:
        return []
    story: list[Flowable] = [
        CondPageBreak(2 * 72),
        heading(theme, "Weights from pairwise comparisons (AHP)", 2),
        note(theme, AHP_METHOD),
    ]
    for section in report.ahp:
        story += _section(section, theme, width)
    return story


def _summary(section: AhpSection) -> str:
    members = "; ".join(
        f"{m.name} ({m.given} of {section.pairs} pairs"
        + (f", CR {m.consistency_ratio:.3f})" if m.consistency_ratio is not None else ")")
        for m in section.members
    )
    text = f"Compared by {members}."
    if not section.determined:
        return text + " The comparisons do not link every criterion yet: no weights."
    verdict = "above the 0.10 limit" if section.inconsistent else "acceptable"
    text += (
        f" Committee (geometric mean): λmax {section.lambda_max:.4f}, CR "
        f"{section.consistency_ratio:.3f} ({verdict})."
    )
    if section.missing:
        text += f" {section.missing} of {section.pairs} pairs not compared (Harker's method)."
    applied = "are" if section.applied else "are not"
    return text + f" The raw weights {applied} these weights."


def _section(section: AhpSection, theme: Theme, width: float) -> list[Flowable]:
    rows = [
        [
            theme.t(w.name),
            theme.t(NO_VALUE if w.weight is None else percent(w.weight, 1), theme.cell_right),
            theme.t(number(w.raw_weight, 3), theme.cell_right),
        ]
        for w in section.weights
    ]
    return [
        heading(theme, f"Criteria under {section.label}", 2),
        theme.p(_summary(section)),
        data_table(
            theme,
            ["Criterion", "AHP weight", "Raw weight now"],
            rows,
            [w * width for w in (0.6, 0.2, 0.2)],
            right=(1, 2),
        ),
    ]

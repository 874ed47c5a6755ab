"""The live part of the workbook: Summary totals are formulas over Weights and Matrix.

* Weights: one row per scored node (gates and empty categories left out, as in the app). The
  raw weight is an input; the share of siblings is ``raw / SUMIF(group, this group, raw)`` and
  the effective weight is that share times the parent's effective weight, so changing one raw
  weight re-weights its siblings and everything below them. SUMIF over a sibling-group number
  is used rather than a list of sibling cells so that long sibling lists cannot hit Excel's
  argument limit.
* Matrix: one row per scored leaf, its effective weight taken from Weights, and every
  candidate's value on the committee's scale (0–5 by default), the scale's ends in two cells
  above. A missing value is left blank (grey): it contributes nothing, exactly as in the app,
  and completeness can still see that it is missing.
* Summary: total = 100 × Σ effective weight × (value − lowest) ÷ (highest − lowest), written as
  SUMPRODUCTs that skip the blanks; completeness and the category points are formulas too.
  The rank is a formula (COUNTIFS over qualified candidates with the app's 1e-9 tie tolerance),
  so it follows a changed weight; the rows themselves stay in the app's order, and "Total at
  export" keeps the app's figure for comparison.

Every formula carries the app's own result (`cells.put_formula`), so a viewer that does not
recalculate shows the figures too.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name as _column_name

from evaluator.domain import CriterionKind
from evaluator.gates import failed_phrase, gate_look, pending_phrase
from evaluator.kinds import kind_label
from reports.model import ReportData
from reports.xlsx.cells import (
    BOLD,
    INPUT_FILL,
    LEFT,
    MISSING_FILL,
    PERCENT,
    PERCENT_2,
    PLAIN,
    POINTS,
    TOP,
    WRAP_TOP,
    Sheet,
    Style,
    Truncations,
    fit_height,
    gate_font,
    header,
    plus,
    print_setup,
    put_formula,
    put_number,
    put_text,
    style,
    text_width,
    title_block,
    user_header,
    widths,
)

MATRIX_FIRST_CANDIDATE_COLUMN = 6  # F
SCALE_POINTS = "0.0#"  # a member's 4, a mean of 3.75
CATEGORY = kind_label(CriterionKind.CATEGORY)  # every other row of the Weights sheet is a leaf
SUMMARY_FIXED_COLUMNS = 9  # A..I, then one column per category
GATES_WIDTH = 40  # the Summary's Gates column (E)


def column_letter(column: int) -> str:
    """The letters of a 1-based column (6 -> F)."""
    return _column_name(column - 1)


def _first_row(lines: int) -> int:
    """Header row below the title (row 1), `lines` notes and a blank row."""
    return lines + 3


def write_weights(ws: Sheet, report: ReportData, accent: Style, cuts: Truncations) -> int:
    """The Weights sheet; returns the row of the first weight (row i + first = weights[i])."""
    notes = [
        "Edit the yellow raw weights: shares, effective weights and every total on the Summary "
        "sheet recalculate.",
        "Share of siblings = raw weight ÷ the sum of raw weights in the same sibling group; "
        "effective weight = share × the parent's effective weight.",
    ]
    title_block(ws, "Weights", notes)
    top = _first_row(len(notes))
    header(
        ws,
        top,
        [
            "Key",
            "Criterion",
            "Kind",
            "Level",
            "Sibling group",
            "Parent key",
            "Raw weight",
            "Share of siblings",
            "Effective weight",
            "Effective weight at export",
        ],
        accent,
    )
    first = top + 1
    last = first + len(report.weights) - 1
    group_range = f"$E${first}:$E${last}"
    raw_range = f"$G${first}:$G${last}"
    group_sums: dict[int, float] = {}
    for weight in report.weights:
        group_sums[weight.group] = group_sums.get(weight.group, 0.0) + weight.raw_weight
    for i, weight in enumerate(report.weights):
        row = first + i
        put_text(ws, row, 1, weight.key, cuts)
        indented = style(indent=weight.depth, valign="top")
        put_text(
            ws, row, 2, weight.name, cuts, indented if weight.is_leaf else plus(indented, BOLD)
        )
        put_text(ws, row, 3, weight.kind_label)
        put_number(ws, row, 4, weight.depth + 1)
        put_number(ws, row, 5, weight.group + 1)
        parent_key = report.weights[weight.parent].key if weight.parent >= 0 else ""
        put_text(ws, row, 6, parent_key, cuts)
        put_number(ws, row, 7, weight.raw_weight, "General", INPUT_FILL)
        group_sum = group_sums[weight.group]
        share = weight.raw_weight / group_sum if group_sum else None
        put_formula(ws, row, 8, f"=G{row}/SUMIF({group_range},E{row},{raw_range})", share, PERCENT)
        parent = f"*I{first + weight.parent}" if weight.parent >= 0 else ""
        put_formula(ws, row, 9, f"=H{row}{parent}", weight.effective_weight, PERCENT_2)
        put_number(ws, row, 10, weight.effective_weight, PERCENT_2)
    if report.weights:
        check = last + 2
        put_text(ws, check, 2, "Sum of the criteria's effective weights (should be 100%)")
        put_formula(
            ws,
            check,
            9,
            f'=SUMIF($C${first}:$C${last},"<>{CATEGORY}",$I${first}:$I${last})',
            sum(weight.effective_weight for weight in report.weights if weight.is_leaf),
            PERCENT_2,
        )
        ws.ws.data_validation(
            first - 1,
            6,
            last - 1,
            6,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 0,
                "show_input": False,
                "error_title": "Raw weight",
                "error_message": "A raw weight is a number of zero or more.",
            },
        )
    names = text_width((" " * 2 * w.depth + w.name for w in report.weights), 48, 80)
    kinds = text_width((w.kind_label for w in report.weights), 11, 30)
    widths(ws, [30, names, kinds, 7, 9, 24, 11, 11, 11, 13])
    ws.freeze(first, 3)
    print_setup(ws, top)
    return first


def write_matrix(
    ws: Sheet,
    report: ReportData,
    weights_first: int,
    accent: Style,
    cuts: Truncations,
) -> tuple[int, int, int]:
    """The Matrix sheet; returns its first and last data rows and the row of the scale."""
    scale = report.meta.scale
    notes = [
        f"Values on the committee's scale, {scale.minimum} to {scale.maximum}. A blank grey cell "
        "has no value yet: it adds nothing to the total and lowers the candidate's completeness.",
        "Effective weights come from the Weights sheet. A total counts each value as "
        "(value − lowest point) ÷ (highest point − lowest point) of its weight.",
    ]
    title_block(ws, "Matrix", notes)
    scale_row = len(notes) + 2
    put_text(ws, scale_row, 1, "Scale", look=BOLD)
    put_text(ws, scale_row, 2, "Lowest point")
    put_number(ws, scale_row, 3, scale.minimum, look=LEFT)
    put_text(ws, scale_row, 4, "Highest point")
    put_number(ws, scale_row, 5, scale.maximum, look=LEFT)
    top = _first_row(len(notes) + 1)
    names = [row.name for row in report.ranking]
    header(
        ws, top, ["Category no.", "Category", "Key", "Criterion", "Effective weight"], accent, 48
    )
    for j, name in enumerate(names):
        user_header(ws, top, MATRIX_FIRST_CANDIDATE_COLUMN + j, name, accent, cuts)
    first = top + 1
    for i, item in enumerate(report.matrix):
        row = first + i
        put_number(ws, row, 1, item.category_index + 1)
        put_text(ws, row, 2, report.categories[item.category_index].name, cuts)
        put_text(ws, row, 3, item.key, cuts)
        put_text(ws, row, 4, item.name, cuts)
        weight = weights_first + item.weight_index
        effective = report.weights[item.weight_index].effective_weight
        put_formula(ws, row, 5, f"=Weights!I{weight}", effective, PERCENT_2)
        for j, value in enumerate(item.values):
            look = MISSING_FILL if value is None else PLAIN
            put_number(ws, row, MATRIX_FIRST_CANDIDATE_COLUMN + j, value, SCALE_POINTS, look)
    last = first + len(report.matrix) - 1
    if report.matrix and names:
        ws.ws.conditional_format(
            first - 1,
            MATRIX_FIRST_CANDIDATE_COLUMN - 1,
            last - 1,
            MATRIX_FIRST_CANDIDATE_COLUMN + len(names) - 2,
            {
                "type": "3_color_scale",
                "min_type": "num",
                "min_value": scale.minimum,
                "min_color": "#F8696B",
                "mid_type": "num",
                "mid_value": (scale.minimum + scale.maximum) / 2,
                "mid_color": "#FFEB84",
                "max_type": "num",
                "max_value": scale.maximum,
                "max_color": "#63BE7B",
            },
        )
    categories = text_width((c.name for c in report.categories), 26, 48)
    criteria = text_width((item.name for item in report.matrix), 44, 80)
    widths(ws, [9, categories, 28, criteria, 11, *([16] * len(names))])
    ws.freeze(first, MATRIX_FIRST_CANDIDATE_COLUMN)
    print_setup(ws, top)
    return first, last, scale_row


def write_summary(
    ws: Sheet,
    report: ReportData,
    matrix_rows: tuple[int, int, int],
    accent: Style,
    cuts: Truncations,
) -> int:
    """The Summary sheet; returns the first free row below the ranking (for later notes)."""
    meta = report.meta
    client = f" for {meta.client}" if meta.client else ""
    notes = [
        f"Evaluation report{client} · {meta.status_label} · generated "
        f"{meta.generated_at:%Y-%m-%d %H:%M %Z}".rstrip()
        + f" by SupportScope {meta.app_version}",
        "Total, Completeness, Rank and the category points are live formulas over the Weights "
        "and Matrix sheets: change a raw weight on the Weights sheet and they recalculate.",
        "Rows stay in the order of the export; 'Total at export' and 'Rank at export' keep the "
        "app's figures. Disqualified candidates failed a gate: their total is shown, never ranked.",
    ]
    title_block(ws, meta.evaluation_name, notes)
    top = _first_row(len(notes))
    titles = [
        "Rank",
        "Candidate",
        "Kind",
        "Status",
        "Gates",
        "Total",
        "Completeness",
        "Total at export",
        "Rank at export",
        *(f"{c.name} (of {c.max_points:.1f} points)" for c in report.categories),
    ]
    header(ws, top, titles[:SUMMARY_FIXED_COLUMNS], accent, 64)
    for k, title in enumerate(titles[SUMMARY_FIXED_COLUMNS:]):
        user_header(ws, top, SUMMARY_FIXED_COLUMNS + 1 + k, title, accent, cuts)
    first = top + 1
    last = first + len(report.ranking) - 1
    m_first, m_last, scale_row = matrix_rows
    weights = f"Matrix!$E${m_first}:$E${m_last}"
    low, high = f"Matrix!$C${scale_row}", f"Matrix!$E${scale_row}"
    categories = f"Matrix!$A${m_first}:$A${m_last}"
    live = bool(report.matrix)
    for i, row_data in enumerate(report.ranking):
        row = first + i
        values = column_letter(MATRIX_FIRST_CANDIDATE_COLUMN + i)
        values_range = f"Matrix!{values}${m_first}:{values}${m_last}"
        put_formula(
            ws,
            row,
            1,
            f'=IF(D{row}="Disqualified","",1+COUNTIFS($D${first}:$D${last},"<>Disqualified",'
            f'$F${first}:$F${last},">"&(F{row}+1E-9)))',
            "" if row_data.rank is None else row_data.rank,
            look=TOP,
        )
        put_text(ws, row, 2, row_data.name, cuts, plus(BOLD, TOP))
        put_text(ws, row, 3, row_data.kind_label, look=TOP)
        state = row_data.gate_state
        marked = PLAIN if state is None else gate_font(state)
        put_text(ws, row, 4, row_data.status_label, look=plus(marked, TOP))  # the rank tests it
        if state is not None:
            phrase = (
                failed_phrase(row_data.failed_gates)
                if row_data.disqualified
                else pending_phrase(row_data.pending_gates)
            )  # "✗ failed the gate “…”", "? the gate “…” is not decided yet"
            text = f"{gate_look(state).symbol} {phrase}"
            put_text(ws, row, 5, text, cuts, plus(marked, WRAP_TOP))
            fit_height(ws, row, [(text, GATES_WIDTH)])  # a long gate name wraps: the row grows
        else:
            put_number(ws, row, 5, None, look=WRAP_TOP)
        if live:
            total = (
                f"=100*(SUMPRODUCT({weights},{values_range})"
                f"-{low}*SUMPRODUCT({weights},--ISNUMBER({values_range})))/({high}-{low})"
            )
            put_formula(ws, row, 6, total, row_data.total, POINTS, TOP)
            completeness = f"=SUMPRODUCT({weights},--ISNUMBER({values_range}))"
            put_formula(ws, row, 7, completeness, row_data.completeness, PERCENT, TOP)
        else:
            put_number(ws, row, 6, row_data.total, POINTS, TOP)
            put_number(ws, row, 7, row_data.completeness, PERCENT, TOP)
        put_number(ws, row, 8, row_data.total, POINTS, TOP)
        put_number(ws, row, 9, row_data.rank, look=TOP)
        for k in range(len(report.categories)):
            column = SUMMARY_FIXED_COLUMNS + 1 + k
            if live:
                put_formula(
                    ws,
                    row,
                    column,
                    f"=100*(SUMPRODUCT(({categories}={k + 1})*{weights}*{values_range})"
                    f"-{low}*SUMPRODUCT(({categories}={k + 1})*{weights}*ISNUMBER({values_range})))"
                    f"/({high}-{low})",
                    row_data.category_points[k],
                    POINTS,
                    TOP,
                )
            else:
                put_number(ws, row, column, row_data.category_points[k], POINTS, TOP)
    if report.ranking:
        bar = {"type": "data_bar", "bar_color": dict(accent)["bg_color"], "data_bar_2010": False}
        ends = {"min_type": "num", "min_value": 0, "max_type": "num", "max_value": 100}
        ws.ws.conditional_format(first - 1, 5, last - 1, 5, {**bar, **ends})
    widths(ws, [7, 34, 24, 13, GATES_WIDTH, 9, 13, 10, 9, *([17] * len(report.categories))])
    ws.freeze(first, 3)
    print_setup(ws, top)
    return last + 2

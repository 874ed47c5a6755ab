"""Where things are in a questionnaire workbook: shared by the template and the reader.

The reader never trusts positions: it finds the header row by its labels and matches rows by
question id. These constants say where the template puts things and what the labels are.
"""

from __future__ import annotations

from evaluator.domain import AnswerType

QUESTIONNAIRE_SHEET = "Questionnaire"
INSTRUCTIONS_SHEET = "Instructions"
LISTS_SHEET = "Lists"
FORMAT_NAME = "supportscope-questionnaire"
FORMAT_VERSION = "1"

TITLE_ROW, CANDIDATE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3, 4
FIRST_QUESTION_ROW = HEADER_ROW + 1
CANDIDATE_LABEL = "Candidate"

ID_HEADER, CATEGORY_HEADER, QUESTION_HEADER = "Question id", "Category", "Question"
TYPE_HEADER, ANSWER_HEADER, COMMENT_HEADER = "Answer type", "Answer", "Comment"
HEADERS = (ID_HEADER, CATEGORY_HEADER, QUESTION_HEADER, TYPE_HEADER, ANSWER_HEADER, COMMENT_HEADER)
ANSWER_COLUMN = HEADERS.index(ANSWER_HEADER) + 1  # E
COMMENT_COLUMN = HEADERS.index(COMMENT_HEADER) + 1  # F

HEADER_SEARCH_ROWS = 20  # the header row is looked for in the first rows only
ROW_MARGIN_MIN = 100  # rows read beyond the question count, for inserted blank or note rows
MAX_SHEETS_SEARCHED = 12

DATE_FORMAT = "yyyy-mm-dd"


def answer_type_label(answer_type: AnswerType, unit: str = "") -> str:
    """What the Answer type column says, in the vendor's words."""
    unit = unit.strip()
    if answer_type is AnswerType.YES_NO:
        return "Yes / No"
    if answer_type is AnswerType.NUMBER:
        return f"Number ({unit})" if unit else "Number"
    if answer_type is AnswerType.PERCENT:
        return "Percentage"
    if answer_type is AnswerType.CURRENCY:
        return f"Amount ({unit})" if unit else "Amount"
    if answer_type is AnswerType.CHOICE:
        return "Choose from the list"
    if answer_type is AnswerType.DATE:
        return "Date (YYYY-MM-DD)"
    return "Text"

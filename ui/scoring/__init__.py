"""The Scoring tab: a member's grid of scores with justifications, the rubric beside it, and
unsaved edits.
"""

"""The Criteria tab: the criteria tree with its weights, and the side panel for rubric,
question and rule.
"""

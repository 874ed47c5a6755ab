"""The Consensus tab: the committee's aggregates and spreads, the meeting agenda and the
chair's panel.
"""

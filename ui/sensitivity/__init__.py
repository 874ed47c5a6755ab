"""The Sensitivity tab: what would flip the winner, chances of winning, weighting sets."""

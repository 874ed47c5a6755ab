"""The Results tab: the live ranking, the category chart and the chance of winning."""

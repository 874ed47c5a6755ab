"""The Results tab: the live ranking and the category chart."""

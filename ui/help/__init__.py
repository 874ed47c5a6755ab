"""The built-in user guide (guide.md, made from the README by tools/make_guide.py)."""

"""Alembic's scripts (env.py, versions/) and the DDL that several migrations share."""

"""The Candidates and Committee tabs: tables of candidates and committee members."""

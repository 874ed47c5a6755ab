"""Vendor questionnaires: the template we send, and the import of what comes back."""

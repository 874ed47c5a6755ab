"""Reports out: the export dialog, its remembered choices and the report branding."""

"""Excel in: the questionnaire and scoresheet import dialogs with their previews."""

"""The criteria-by-candidates grid the Scoring and Consensus tabs share: model, view, delegates."""

"""The Contract tab: after the award, the contract's targets, ticket and call imports, and the
scorecard of delivery against promise (evaluator.contracts does the work)."""

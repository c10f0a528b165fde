"""Rules that turn assessments into scores (and, with issue 2, ranks and lists)."""

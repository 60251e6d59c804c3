"""The rules over records: who the viewer is (identity) and what they hold (parties, access),
checking answers (validation), the years an office runs (year_window), and the acts of saving,
submitting and signing (workflow, trail, follow_ups, offline)."""

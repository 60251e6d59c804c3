"""Department reports: the derived index (index), the tidy tables (tables, coverage, summary), the
small-cell rule (suppress), the analyst workbook (export), the printable report (html), the chair
dashboard (dashboard), the analyst page (analyst) and the `mentorforms report` command (cli)."""

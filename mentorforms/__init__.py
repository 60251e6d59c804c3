"""mentorforms: faculty mentoring and career-conference forms kept as Excel workbooks."""

__version__ = "0.1.0"

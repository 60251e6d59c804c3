"""The declaration vocabulary: what a form is (sections, fields, parties, what reports take), the
academic year, a filled form (record) and the rounding rule. Imports nothing else of the package
but errors and messages."""

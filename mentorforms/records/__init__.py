"""Records and storage: the data folder of versioned workbooks (store), the roster, and the
hash-chained audit trail (audit, audit_verify, audit_tail, audit_adopt)."""

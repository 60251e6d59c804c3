"""Records and storage: the data folder of versioned workbooks (store: folder_names, version_claim,
versions), the roster, and the hash-chained audit trail (audit: audit_entry, audit_log, audit_head,
audit_append; audit_verify, audit_tail, audit_adopt)."""

//! Waypost tests: filled in by its own issue.

//! Waypost edge: filled in by its own issue.

//! Waypost widget: filled in by its own issue.

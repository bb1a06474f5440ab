"""Tests of the Office add-in: manifests, icons and the task panes in a real browser."""

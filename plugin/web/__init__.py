"""The Office add-in task panes and command pages, served by the bridge under ``/addin/``."""

"""Report layout (``layout.json``) and narrative prompts, shipped with the package."""

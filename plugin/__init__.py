"""deskdraft: everything behind the Office add-in (engine, drafts, jobs, bridge, digests, CLI)."""

__version__ = "0.1.0"

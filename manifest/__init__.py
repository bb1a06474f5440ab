"""Office add-in manifest templates, rendered by ``deskdraft manifest``."""

"""youthscheme-audit: compliance audit of police-run youth schemes."""

__version__ = "0.1.0"

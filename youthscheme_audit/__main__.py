from youthscheme_audit.cli import entry

entry()

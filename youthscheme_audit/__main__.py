from youthscheme_audit.cli import main

main()

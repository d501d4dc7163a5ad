"""``python -m asw_validator`` runs the command-line tool."""

from .cli import main

main()

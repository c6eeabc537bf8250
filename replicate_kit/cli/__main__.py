"""``python -m replicate_kit.cli`` runs the ``replicate-kit`` command."""

from replicate_kit.cli import main

main()

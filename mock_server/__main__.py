"""``replicate-mock`` and ``python -m mock_server``.

The console script is installed with the core too, where the mock's libraries (the ``mock`` extra)
are missing: there it says what to install instead of failing with a traceback.
"""

import sys

from mock_server import extras

USAGE = 2  # the exit code of a command that cannot run as asked, as argparse's


def main() -> int:
    try:
        from mock_server.cli import main as cli_main
    except ModuleNotFoundError as missing:
        print(f"replicate-mock: {extras.needs('mock', 'the command', missing)}", file=sys.stderr)
        return USAGE
    return cli_main()


if __name__ == "__main__":
    sys.exit(main())

"""The frozen app's entry point: the window when started without arguments, the CLI with
them (`explorer check`, `explorer export`, `explorer self-test`)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes of a frozen app start here
    from explorer.cli import main

    sys.exit(main())

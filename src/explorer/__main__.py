import multiprocessing

from explorer.cli import main

if __name__ == "__main__":  # never when a worker process imports this module
    multiprocessing.freeze_support()  # a frozen app's worker processes start here
    raise SystemExit(main())

"""Allow ``python -m newsbot``."""

from newsbot.cli import main

# The guard matters: process-pool workers (forkserver/spawn) re-import __main__.
if __name__ == "__main__":
    raise SystemExit(main())

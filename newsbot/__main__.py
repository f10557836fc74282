"""Allow ``python -m newsbot``."""

from newsbot.cli import main

raise SystemExit(main())

"""The newsbot command line: the one place that wires bot, summaries and storage together."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("newsbot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]

"""What /digest and the "Digest now" button show: the scheduled digest, built now.

This was the seam the scheduled-digest work replaces; the digest itself lives in bot.digests.
"""

from __future__ import annotations

from bot.digests.now import build_digest_now

__all__ = ["build_digest_now"]

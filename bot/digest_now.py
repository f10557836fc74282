"""What /digest and the "Digest now" button send: the scheduled digest, built now.

This was the seam the scheduled-digest work replaces; the digest itself lives in bot.digests.
"""

from __future__ import annotations

from bot.digests.now import build_digest_now, reply_with_digest

__all__ = ["build_digest_now", "reply_with_digest"]

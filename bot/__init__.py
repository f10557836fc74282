"""The Telegram side of newsbot: the only package that imports telegram."""

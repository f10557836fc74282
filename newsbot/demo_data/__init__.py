"""Demo news shipped with newsbot for `newsbot demo` (data files only)."""

"""Taizhang (台账): from a government gazette (政府公报) to a supervised work ledger."""

__version__ = "0.1.0"

"""The ``taizhang`` command line: one thin command per service."""

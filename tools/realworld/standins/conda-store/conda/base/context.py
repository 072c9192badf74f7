"""Stand-in: conda's context, with the one attribute conda-store reads."""


class _Context:
    subdir = "linux-64"


context = _Context()

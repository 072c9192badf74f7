"""Stand-in: rapidfuzz.fuzz.ratio, through difflib (0 to 100)."""
import difflib


def ratio(s1, s2, **kwargs):
    return 100.0 * difflib.SequenceMatcher(None, s1, s2).ratio()

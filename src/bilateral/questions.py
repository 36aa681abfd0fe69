"""The choices the questions of :mod:`bilateral.answers` take, kept apart from the answers
so that the command line can offer them without importing the engine."""

#: What ``bilateral series`` follows, seen from the first country.
SERIES_FLOWS = ("turnover", "exports", "imports", "balance")
#: What ``bilateral partners`` ranks by.
PARTNER_FLOWS = ("turnover", "exports", "imports")

"""The profile engine: every indicator for a pair of countries and a year, per source,
each number with its provenance, planned as a few queries over the store.

A profile is a list of records ``{name, value, unit, source, reported_by, year, product,
group, release, note, detail}``. Money is in USD, shares and growth in percent. Where a
source lacks the year or the detail an indicator needs, the record says so in ``note``
("not available in kz_bns: ...") and its value is null: never zero, and never a figure
silently taken from another source.

:func:`profile` reads a store (``bilateral.profile(store, "KAZ", "RUS", 2022)``);
``build.py`` assembles a profile; ``totals.py`` and ``detail.py`` turn the results of the
indicator families (flows, partners, mirror; structure, dependence, specialisation) into
records; ``context.py`` knows what each source holds; ``queries.py`` builds each family's
queries, ``pair_sql.py`` compiles them once for any pair and ``remember.py`` keeps what
was built; ``records.py`` is the result.
"""

from bilateral.engine.build import CORE_NAMES, PROFILE_GROUPS, build_profile, profile
from bilateral.engine.records import Profile, Record

__all__ = ["CORE_NAMES", "PROFILE_GROUPS", "Profile", "Record", "build_profile", "profile"]

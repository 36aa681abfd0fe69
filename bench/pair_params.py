"""How a profile's queries, compiled once, best take each pair's codes: four ways side by side.

The profile's seven pair queries (``bilateral.engine.queries``) are built once with the
stand-in codes, then run for several pairs of the store's countries, warm, in one
process, each way in turn:

- ``literal``: each pair's own SQL, as a fresh compile of its own expressions gives it
  (what writing the codes into the SQL text produced); compiling is not timed.
- ``prepared``: one SQL text with ``$p0`` and ``$p1`` in place of the codes (string
  literals of the stand-ins made DuckDB parameters in the compiled query's tree), run
  with the pair's codes bound: ``bilateral.backends.compiled.Prepared``, as the profile runs it.
- ``pair table``: one SQL text reading the codes from a one-row table
  (``(SELECT a FROM bilateral_pair)``), registered with the pair's codes before each run.
- ``ibis params``: the stand-in literals made Ibis scalar parameters; Ibis writes each
  pair's codes in as it compiles, so every new pair is compiled: its compile time is
  given beside the run time (which is ``literal``'s).

    python bench/pair_params.py --store STORE --year 2022 --rounds 5

Prints the median wall-clock and CPU seconds of one pair's eight queries (seven
builders, one returning two) for each way, and checks that every way returns the same
rows as ``literal``.
"""

from __future__ import annotations

import argparse
import inspect
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import ibis.expr.datatypes as dt  # noqa: E402
import ibis.expr.operations as ops  # noqa: E402
import pyarrow as pa  # noqa: E402
import sqlglot.expressions as sge  # noqa: E402

from bilateral.backends import compiled  # noqa: E402
from bilateral.engine import queries  # noqa: E402
from bilateral.engine.build import PROFILE_GROUPS  # noqa: E402
from bilateral.reference.products import product_groups  # noqa: E402
from bilateral.store import Store  # noqa: E402

STAND_INS = {"Q0A": "a", "Q0B": "b"}


def builders(store: Store, year: int) -> dict[str, Callable[[str, str], Any]]:
    """Each pair query, as a function of the pair, built with its plain builder."""
    span = (year - 1, year)
    flows, summaries = store.flows(years=span), store.summaries(years=span)
    totals = summaries.totals
    known = product_groups()
    groups = [known[g] for g in PROFILE_GROUPS]

    def plain(f: Callable[..., Any]) -> Callable[..., Any]:
        return inspect.unwrap(f)

    return {
        "flow_totals": lambda a, b: plain(queries.flow_totals)(flows, totals, a, b, year),
        "partner_ranks": lambda a, b: plain(queries.partner_ranks)(flows, totals, a, b, year),
        "sections": lambda a, b: plain(queries.sections)(flows, a, b, year),
        "groups_of_flows": lambda a, b: plain(queries.groups_of_flows)(
            flows, totals, a, b, groups, year
        ),
        "supplier_shares": lambda a, b: plain(queries.partner_shares)(flows, a, b, groups, year)[0],
        "destination_shares": lambda a, b: plain(queries.partner_shares)(flows, a, b, groups, year)[
            1
        ],
        "mirror": lambda a, b: plain(queries.mirror)(flows, totals, a, b, year),
        "matrix": lambda a, b: plain(queries.matrix)(flows, summaries, a, b, year),
    }


def tree_with(backend: Any, expr: Any, make: Callable[[str], sge.Expression]) -> str:
    """``expr``'s SQL with each stand-in string literal replaced by ``make(name)``."""
    tree = backend.compiler.to_sqlglot(expr)

    def bind(node: sge.Expression) -> sge.Expression:
        if isinstance(node, sge.Literal) and node.is_string and node.this in STAND_INS:
            return make(STAND_INS[node.this])
        return node

    return tree.transform(bind).sql(dialect=backend.dialect)


def sorted_rows(table: pa.Table) -> list[Any]:
    """The rows in an order of their own, by position (the matrix sums name columns
    after the codes, or after the stand-ins)."""
    return sorted((tuple(r.values()) for r in table.to_pylist()), key=repr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    store = Store.open(args.store)
    backend = store.backend
    con = backend.con
    build = builders(store, args.year)
    rows = store.arrow(store.flows(years=[args.year]).select("exporter").distinct())
    codes = sorted(c for c in rows.column("exporter").to_pylist() if c and len(c) == 3)
    rng = random.Random(args.seed)
    pairs = [("KAZ", "RUS")] + [tuple(rng.sample(codes, 2)) for _ in range(args.pairs - 1)]

    templates = {name: f("Q0A", "Q0B") for name, f in build.items()}
    for t in templates.values():  # registers the in-memory tables the SQL names
        backend.to_pyarrow(t.limit(0))
    con.execute("CREATE OR REPLACE TEMP TABLE bilateral_pair (a VARCHAR, b VARCHAR)")
    from_table = {
        name: tree_with(
            backend,
            t,
            lambda n: sge.Subquery(this=sge.select(n).from_("bilateral_pair")),
        )
        for name, t in templates.items()
    }
    parameters = {n: ops.ScalarParameter(dt.string, counter=10_000 + i) for i, n in enumerate("ab")}
    with_params = {
        name: t.op()
        .replace({ops.Literal(s, dt.string): parameters[n] for s, n in STAND_INS.items()})
        .to_expr()
        for name, t in templates.items()
    }

    literal: dict[tuple[str, str], dict[str, str]] = {}
    compile_s: list[float] = []
    for a, b in pairs:
        literal[a, b] = {
            name: backend.compiler.to_sqlglot(f(a, b)).sql(backend.dialect)
            for name, f in build.items()
        }
        start = time.perf_counter()
        for e in with_params.values():
            backend.compiler.to_sqlglot(
                e, params={parameters["a"].to_expr(): a, parameters["b"].to_expr(): b}
            ).sql(backend.dialect)
        compile_s.append(time.perf_counter() - start)

    def run_literal(a: str, b: str) -> dict[str, pa.Table]:
        return {n: con.sql(sql).to_arrow_table() for n, sql in literal[a, b].items()}

    def run_prepared(a: str, b: str) -> dict[str, pa.Table]:
        values = dict(zip(STAND_INS, (a, b), strict=True))
        return {n: compiled.Prepared(t, values).to_pyarrow() for n, t in templates.items()}

    def run_table(a: str, b: str) -> dict[str, pa.Table]:
        con.register("bilateral_pair_data", pa.table({"a": [a], "b": [b]}))
        con.execute("DELETE FROM bilateral_pair")
        con.execute("INSERT INTO bilateral_pair SELECT * FROM bilateral_pair_data")
        return {n: con.sql(sql).to_arrow_table() for n, sql in from_table.items()}

    ways = {"literal": run_literal, "prepared": run_prepared, "pair table": run_table}
    for a, b in pairs:  # same answers, and every way warmed up
        expected = {n: sorted_rows(t) for n, t in run_literal(a, b).items()}
        for way, run in ways.items():
            got = {n: sorted_rows(t) for n, t in run(a, b).items()}
            if got != expected:
                bad = [n for n in got if got[n] != expected[n]]
                raise SystemExit(f"{way} differs from literal for {a}-{b}: {bad}")
    times: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
    for _ in range(args.rounds):
        for way, run in ways.items():
            for a, b in pairs:
                start, cpu = time.perf_counter(), time.process_time()
                run(a, b)
                times[way].append((time.perf_counter() - start, time.process_time() - cpu))
    load = os.getloadavg()[0]
    print(f"store {args.store}, {args.year}; {len(pairs)} pairs x {args.rounds} rounds")
    print(f"one-minute load {load:.1f}")
    print(f"{'way':<12} {'median s':>9} {'best s':>7} {'cpu s':>6}")
    for way, runs in times.items():
        walls = [w for w, _ in runs]
        cpu_s = statistics.median(c for _, c in runs)
        print(f"{way:<12} {statistics.median(walls):9.4f} {min(walls):7.4f} {cpu_s:6.3f}")
    print(
        f"ibis params: the run is literal's, plus compiling each new pair: "
        f"{statistics.median(compile_s):.3f} s median"
    )


if __name__ == "__main__":
    main()

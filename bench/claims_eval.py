"""How well `bilateral check` judges texts against labels decided from the data.

Runs the claim checker over every text of the development corpus
(``../shared/articles/dev``) that has a label file in ``tests/cases/claims/dev`` and
compares its claims with the labels (``tests/cases/claims/dev/README.md`` says how a label
is made). Prints, per kind of claim and overall:

* ``labelled``: claims in the labels;
* ``found``: labelled claims the checker reports (same sentence, same figure);
* ``right``: found with the labelled verdict;
* ``false contradicted``: a claim the labels call anything but contradicted, called
  contradicted;
* ``extra``: claims the checker reports that no label holds (a figure read where the text
  states none, or a figure read twice).

A ``not_checkable`` label counts as found and right when the checker gives it no verdict
at all (it reports no claim for that figure) or calls it not checkable.

    python bench/claims_eval.py                      # store: $BILATERAL_STORE, else built
    python bench/claims_eval.py --store /tmp/devstore --details
    python bench/claims_eval.py --json results.json  # every label with the checker's answer

Without a store the script ingests every folder of ``../shared/data`` into a temporary
one first (about a minute).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "cases" / "claims" / "dev"
CORPUS = ROOT.parent / "shared" / "articles" / "dev"
DATA = ROOT.parent / "shared" / "data"
KINDS = ("level", "growth", "change", "share", "rank", "comparison", "not_checkable")
DATA_FOLDERS = (
    "kz-bns", "ru-fcs", "faostat", "eurostat", "armstat", "comtrade", "comext-cn8",
)


@dataclass
class Label:
    """One labelled claim of one text."""

    text: str
    sentence: str
    figure: str
    kind: str
    verdict: str
    partner: str | None = None
    answer: dict | None = None  # the checker's claim matched to it

    @property
    def right(self) -> bool:
        if self.answer is None:
            return self.verdict == "not_checkable"
        return token(self.answer["verdict"]) == self.verdict


@dataclass
class Tally:
    labelled: int = 0
    found: int = 0
    right: int = 0
    false_contradicted: int = 0
    wrong: list[Label] = field(default_factory=list)

    def add(self, label: Label) -> None:
        self.labelled += 1
        unjudged = label.answer is None and label.verdict == "not_checkable"
        if label.answer is not None or unjudged:
            self.found += 1
        if label.right:
            self.right += 1
        else:
            self.wrong.append(label)
        if (
            label.answer is not None
            and token(label.answer["verdict"]) == "contradicted"
            and label.verdict != "contradicted"
        ):
            self.false_contradicted += 1


def token(verdict: str) -> str:
    """``not checkable`` and ``not_checkable`` alike."""
    return verdict.replace(" ", "_")


def squeeze(text: str) -> str:
    return " ".join(text.split()).casefold()


def load_labels(path: Path) -> tuple[str, list[Label]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = [
        Label(
            text=data["text"],
            sentence=c["sentence"],
            figure=c["figure"],
            kind=c["kind"],
            verdict=c["verdict"],
            partner=c.get("partner"),
        )
        for c in data.get("claim", [])
    ]
    return data["text"], labels


def match(labels: list[Label], answers: list[dict]) -> list[dict]:
    """Pair each label with at most one of the checker's claims; return the unpaired."""
    free = list(answers)
    # Labels with a partner first, so that a list sentence pairs each country's figure.
    for label in sorted(labels, key=lambda lab: lab.partner is None):
        sentence, figure = squeeze(label.sentence), squeeze(label.figure)
        candidates = [
            a
            for a in free
            if sentence in squeeze(a["text"]) or squeeze(a["text"]) in sentence
            if figure in squeeze(a["stated"].get("text", ""))
            or squeeze(a["stated"].get("text", "")) in figure
            and a["stated"].get("text")
        ]
        if not candidates:
            continue
        if label.partner:
            same = [a for a in candidates if a.get("partner") == label.partner]
            candidates = same or candidates
        label.answer = candidates[0]
        free.remove(candidates[0])
    return free


def default_store() -> Path:
    """The store to check against: $BILATERAL_STORE, else every shared folder ingested."""
    if os.environ.get("BILATERAL_STORE"):
        return Path(os.environ["BILATERAL_STORE"])
    from bilateral.store import Store

    path = Path(tempfile.mkdtemp(prefix="claims-eval-"))
    print(f"ingesting {DATA} into {path} ...", file=sys.stderr)
    Store.open(path).ingest([DATA / name for name in DATA_FOLDERS])
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store holding ../shared/data")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--details", action="store_true", help="list every miss")
    parser.add_argument("--only", help="texts whose name contains this")
    parser.add_argument("--json", type=Path, help="write every label and answer here")
    args = parser.parse_args(argv)

    from bilateral.claims import check_text
    from bilateral.store import Store

    store = Store.open(args.store or default_store())
    tallies: dict[str, Tally] = defaultdict(Tally)
    extras: list[tuple[str, dict]] = []
    every: list[Label] = []
    started = time.perf_counter()
    files = sorted(args.labels.glob("*.toml"))
    if args.only:
        files = [f for f in files if args.only in f.name]
    for path in files:
        name, labels = load_labels(path)
        text = (args.corpus / name).read_text(encoding="utf-8")
        _, results = check_text(text, store, name=name)
        answers = [r.as_json() | {"stated": r.as_json()["stated"]} for r in results]
        for result, answer in zip(results, answers, strict=True):
            answer["stated"]["text"] = result.claim.stated.text
        for answer in match(labels, answers):
            extras.append((name, answer))
        for label in labels:
            tallies[label.kind].add(label)
            tallies["all"].add(label)
            every.append(label)
    elapsed = time.perf_counter() - started

    print(f"{len(files)} texts, {tallies['all'].labelled} labelled claims, {elapsed:.1f} s")
    header = (
        f"{'kind':<14}{'labelled':>9}{'found':>7}{'right':>7}{'right %':>9}{'false contr.':>14}"
    )
    print(header)
    for kind in (*KINDS, "all"):
        t = tallies.get(kind)
        if t is None or not t.labelled:
            continue
        share = 100 * t.right / t.labelled
        print(
            f"{kind:<14}{t.labelled:>9}{t.found:>7}{t.right:>7}{share:>8.1f}%"
            f"{t.false_contradicted:>14}"
        )
    judged = Counter(token(a["verdict"]) for _, a in extras)
    print(f"extra claims (no label): {len(extras)} {dict(judged)}")
    if args.details:
        for label in tallies["all"].wrong:
            got = token(label.answer["verdict"]) if label.answer else "(not found)"
            wanted = f"[{label.kind}] want {label.verdict}, got {got}"
            print(f"- {label.text}: {label.figure!r} {wanted}")
            print(f"    {label.sentence[:110]}")
            if label.answer:
                print(f"    {label.answer['explanation'][:300]}")
        for name, answer in extras:
            print(f"+ {name}: {answer['stated'].get('text')!r} {answer['indicator']} "
                  f"{token(answer['verdict'])}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "text": lab.text,
                        "sentence": lab.sentence,
                        "figure": lab.figure,
                        "kind": lab.kind,
                        "label": lab.verdict,
                        "answer": lab.answer,
                    }
                    for lab in every
                ],
                indent=1,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

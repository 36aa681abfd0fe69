"""A file's type judged by its first bytes, never by its name alone.

A publisher's error page saved as ``.xls``, a zip renamed ``.csv`` or a workbook named
``.zip`` would otherwise reach a reader that expects something else, and fail deep inside
a parser. :func:`require_kind` compares what the content is with what the name promises
and refuses the file in one line when they differ.
"""

from __future__ import annotations

from pathlib import Path

from bilateral.errors import SourceFormatError

#: Leading bytes of the binary formats publishers ship, and what each is.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),  # BIFF .xls
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"%PDF", "pdf"),
)
DESCRIBED = {
    "zip": "a zip archive (or an .xlsx workbook)",
    "ole2": "an old-style (BIFF) .xls workbook",
    "gzip": "gzip-compressed",
    "7z": "a 7z archive",
    "pdf": "a PDF document",
    "html": "an HTML page",
    "text": "plain text",
    "binary": "binary data of no known format",
    "empty": "empty",
}
#: What a file's name promises its content is.
BY_SUFFIX: dict[str, frozenset[str]] = {
    ".zip": frozenset({"zip"}),
    ".xlsx": frozenset({"zip"}),
    ".xls": frozenset({"ole2"}),
    ".gz": frozenset({"gzip"}),
    ".csv": frozenset({"text"}),
    ".tsv": frozenset({"text"}),
    ".txt": frozenset({"text"}),
    ".json": frozenset({"text"}),
}
SNIFF_BYTES = 8192


def sniff(path: Path) -> str:
    """What ``path`` holds, by its first bytes: one of the keys of :data:`DESCRIBED`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "a.csv").write_bytes(b"PK\\x03\\x04 rest")
    9
    >>> sniff(folder / "a.csv")
    'zip'
    >>> (folder / "b.csv").write_text("t,i,j\\n")
    6
    >>> sniff(folder / "b.csv")
    'text'

    A file of text with a NUL byte in its first 8 KiB is binary.
    """
    with open(path, "rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if not head:
        return "empty"
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary"
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    return "text"


def require_kind(path: Path, allowed: frozenset[str] | None = None) -> None:
    """Refuse ``path`` when its content is not what its name (or ``allowed``) promises.

    A name with a suffix not in :data:`BY_SUFFIX` is checked only against ``allowed``;
    an empty file passes here and is refused by its reader (it holds no rows).
    """
    expected = allowed if allowed is not None else BY_SUFFIX.get(path.suffix.lower())
    if expected is None:
        return
    kind = sniff(path)
    if kind == "empty" or kind in expected:
        return
    promised = " or ".join(DESCRIBED[k] for k in sorted(expected))
    raise SourceFormatError(
        path,
        f"the content is {DESCRIBED[kind]}, but the name promises {promised}",
        expected="the file as the publisher ships it (renamed, or an error page saved "
        "in its place?); download it again",
    )

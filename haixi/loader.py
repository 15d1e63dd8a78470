"""Safe loading of a fact file: every problem reported at once, with file, line and field."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError
from yaml.nodes import ScalarNode

from haixi.schema import CrossReferenceError, FactBase, cross_reference_problems

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
# A 16 MB file of tiny values would otherwise take tens of seconds and gigabytes; 500,000 is
# over 100 times the curated fact base (bench/results.md, growth).
MAX_NODES = 500_000
ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("int", "float", "bool", "null", "timestamp")
}
# What YAML refuses raw (C0 but tab and line breaks, DEL, C1 but NEL, U+FFFE/FFFF) and a
# double-quoted escape ("\e[31m", "\a", "\x07") would still let in.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a fact file, and where."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        # A hostile key (YAML's "? " keys have no length limit) must not fill the report.
        field = f" {_clip(self.field, 200)}:" if self.field else ""
        return f"{where}:{field} {_clip(self.message, 500)}"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class FactBaseError(Exception):
    """A fact file that cannot be used; carries every problem found."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        super().__init__(self.report())

    def report(self) -> str:
        """All problems, one per line, under a heading naming the file."""
        count = len(self.problems)
        head = f"{self.file}: {count} problem{'s' if count != 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mark(node_or_mark) -> tuple[int, int]:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return mark.line + 1, mark.column + 1


class _Refusal(Exception):
    """A YAML construct the loader will not read, at a place in the file."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Builder:
    """Builds plain data from YAML events without recursion, recording where each path starts.

    It refuses aliases (no alias bomb can expand), bounds the nesting depth and the number
    of values, rejects tags other than YAML's plain ones (so nothing can be executed) and
    reports duplicate keys, which YAML itself would silently resolve to the last one.
    """

    def __init__(self, file: str, loader):
        self.file = file
        self.loader = loader
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.bad_paths: set[tuple] = set()

    def problem(self, mark, path: tuple, message: str) -> None:
        line, column = _mark(mark)
        self.bad_paths.add(path)
        self.problems.append(Problem(self.file, line, column, _dotted(path), message))

    def _scalar(self, event, path: tuple):
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
        if tag == _STR_TAG:
            # Most values are strings: no node, no construct_object (whose bookkeeping keeps
            # every node alive until the load ends).
            control = _CONTROL.search(event.value)
            if control:
                self.problem(
                    event.start_mark,
                    path,
                    f"control character U+{ord(control.group()):04X} (written as an escape) "
                    "is not allowed in text",
                )
                return _BAD
            return event.value
        if tag not in ALLOWED_TAGS:
            self.problem(event.start_mark, path, f"the tag {tag} is not allowed in a fact file")
            return _BAD
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            if tag in _SCALAR_TAGS:
                value = self.loader.yaml_constructors[tag](self.loader, node)
            else:  # a map or seq tag on a scalar: construct_object says what is wrong
                value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # ValueError: a date-shaped scalar that is no date (2026-13-45), or an integer
            # longer than Python's int-conversion limit.
            self.problem(event.start_mark, path, f"cannot read this value ({_plain(exc)})")
            return _BAD
        if isinstance(value, float):
            if not math.isfinite(value):
                self.problem(event.start_mark, path, f"{event.value!r} is not a finite number")
                return _BAD
            if value == 0:
                value = 0.0  # -0.0 would be shown as "-0"
        return value

    def build(self):
        """The document's data, or raise _Refusal / yaml.YAMLError."""
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        # Each frame: [container, path, pending key (for maps), key mark, first-seen lines]
        stack: list[list] = []
        root = _BAD
        count = 0
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.DocumentEndEvent):
                break
            if isinstance(event, yaml.AliasEvent):
                raise _Refusal(
                    event.start_mark,
                    f"YAML aliases (*{event.anchor}) are not allowed in a fact file; "
                    "write the value out in full",
                )
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                value = frame[0]
                if not stack:
                    root = value
                    continue
                self._attach(stack[-1], value, frame[1])
                continue
            count += 1
            if count > MAX_NODES:
                raise _Refusal(event.start_mark, f"more than {MAX_NODES:,} YAML values")
            parent = stack[-1] if stack else None
            if parent is not None and isinstance(parent[0], dict) and parent[2] is _NO_KEY:
                # This event is a key.
                if not isinstance(event, yaml.ScalarEvent):
                    raise _Refusal(
                        event.start_mark, "a key must be a plain word, not a list or a map"
                    )
                key = self._scalar(event, parent[1])
                if key is _BAD or key is None:
                    key = event.value
                if not isinstance(key, str):
                    key = str(key) if not isinstance(key, (int, float, bool)) else key
                parent[2] = key
                parent[3] = event.start_mark
                continue
            path = self._child_path(parent)
            if isinstance(event, yaml.ScalarEvent):
                self.positions.setdefault(path, _mark(event.start_mark))
                value = self._scalar(event, path)
                if parent is None:
                    root = value
                    continue
                self._attach(parent, value, path)
                continue
            # Mapping or sequence start.
            if len(stack) >= MAX_DEPTH:
                raise _Refusal(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
            tag = event.tag
            if tag not in (None, "!") and tag not in ALLOWED_TAGS:
                self.problem(event.start_mark, path, f"the tag {tag} is not allowed in a fact file")
            self.positions.setdefault(path, _mark(event.start_mark))
            container = {} if isinstance(event, yaml.MappingStartEvent) else []
            stack.append([container, path, _NO_KEY, None, {}])
        if not loader.check_event(yaml.StreamEndEvent):
            event = loader.peek_event()
            raise _Refusal(event.start_mark, "the file holds more than one YAML document")
        return root

    def _child_path(self, parent) -> tuple:
        if parent is None:
            return ()
        container, path, key = parent[0], parent[1], parent[2]
        if isinstance(container, dict):
            return (*path, key)
        return (*path, len(container))

    def _attach(self, frame, value, path) -> None:
        container = frame[0]
        if isinstance(container, list):
            container.append(None if value is _BAD else value)
            return
        key, key_mark, first_seen = frame[2], frame[3], frame[4]
        frame[2] = _NO_KEY
        if key in first_seen:
            self.problem(
                key_mark,
                path,
                f"duplicate key {key!r} (first at line {first_seen[key]}); "
                "YAML would silently keep only the last one",
            )
            return
        first_seen[key] = key_mark.line + 1
        self.positions[path] = _mark(key_mark)
        container[key] = None if value is _BAD else value


_BAD = object()
_NO_KEY = object()


def _yaml_problem(file: str, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, column = _mark(mark)
    elif isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        if _Loader is getattr(yaml, "CSafeLoader", None):  # libyaml counts UTF-8 bytes
            position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return Problem(
            file,
            line,
            column,
            "",
            f"control character U+{exc.character:04X} is not allowed in YAML text",
        )
    else:
        line, column = None, None
    return Problem(file, line, column, "", f"not valid YAML: {_plain(exc)}")


def _dotted(path) -> str:
    return ".".join(str(p) for p in path)


def _plain(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}, {problem}" if context else problem
    return " ".join(text.split())


def _pydantic_message(error: dict) -> str:
    kind = error["type"]
    loc = error["loc"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r}"
    if kind == "missing":
        return f"required field {loc[-1]!r} is missing"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not match the pattern {ctx.get('pattern')}"
    if kind == "enum":
        return f"{value!r} is not one of: {ctx.get('expected')}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    if kind in ("float_type", "int_type") and isinstance(value, str) and _NUMBER.match(value):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return (
            f"{shown!r} is text, not a number: YAML reads a quoted number, or an exponent "
            "without both a decimal point and a sign (1e6, 1.0e6), as text; "
            "write 1000000 or 1.0e+6"
        )
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{error['msg'][0].lower()}{error['msg'][1:]} (got {shown})"


_NUMBER = re.compile(r"^\s*[-+]?(\d[\d_]*\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _locate(positions: dict, loc: tuple) -> tuple[int | None, int | None]:
    for end in range(len(loc), -1, -1):
        if loc[:end] in positions:
            return positions[loc[:end]]
    return None, None


def _split_loc(dotted: str) -> tuple:
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in dotted.split("."))


def _validation_problems(file: str, exc: ValidationError, positions: dict) -> list[Problem]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, CrossReferenceError):
            problems.extend(_cross_reference_problems(file, cause.problems, positions))
            continue
        message = _pydantic_message(error)
        line, column = _locate(positions, loc)
        problems.append(Problem(file, line, column, _dotted(loc), message))
    return problems


def _cross_reference_problems(
    file: str, pairs: list[tuple[str, str]], positions: dict
) -> list[Problem]:
    problems = []
    for path, message in pairs:
        line, column = _locate(positions, _split_loc(path))
        problems.append(Problem(file, line, column, path, message))
    return problems


def load_text(text: str, file: str = "<string>") -> FactBase:
    """Validate fact-file text; raises FactBaseError listing every problem."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise FactBaseError(file, [Problem(file, None, None, "", "the file is empty")])
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: no YAML reader can take it
        line = text.count("\n", 0, exc.start) + 1
        column = exc.start - (text.rfind("\n", 0, exc.start) + 1) + 1
        message = f"U+{ord(text[exc.start]):04X} (a lone surrogate) is not a character"
        raise FactBaseError(file, [Problem(file, line, column, "", message)]) from None
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise FactBaseError(file, [_yaml_problem(file, text, exc)]) from None
    builder = _Builder(file, loader)
    try:
        data = builder.build()
    except _Refusal as exc:
        line, column = _mark(exc.mark)
        raise FactBaseError(file, [Problem(file, line, column, "", exc.message)]) from None
    except yaml.YAMLError as exc:
        raise FactBaseError(file, [_yaml_problem(file, text, exc)]) from None
    finally:
        loader.dispose()
    if data is None:
        raise FactBaseError(file, [Problem(file, None, None, "", "the file is empty")])
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        line, column = builder.positions.get((), (None, None))
        raise FactBaseError(
            file,
            [
                Problem(
                    file,
                    line,
                    column,
                    "",
                    "the top level must be a mapping of sections (meta, sources, facts, ...), "
                    f"but it is {kind}",
                )
            ],
        )
    problems = list(builder.problems)
    try:
        base = FactBase.model_validate(data)
    except ValidationError as exc:
        problems.extend(
            p
            for p in _validation_problems(file, exc, builder.positions)
            if _split_loc(p.field) not in builder.bad_paths
        )
        if not any(not e["loc"] for e in exc.errors(include_url=False)):
            # A field failed, so pydantic skipped the cross-reference check: run it on the
            # parsed data so every problem is reported at once.
            problems.extend(
                _cross_reference_problems(file, cross_reference_problems(data), builder.positions)
            )
        base = None
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise FactBaseError(file, problems)
    return base


def load(path: str | Path) -> FactBase:
    """Read and validate a fact file; raises FactBaseError listing every problem."""
    return load_text(decode(read(path), str(path)), str(path))


def read(path: str | Path) -> bytes:
    """The bytes of a fact file, refused with FactBaseError if missing, a folder or too big."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FactBaseError(file, [Problem(file, None, None, "", "file not found")]) from None
    except OSError as exc:
        raise FactBaseError(
            file, [Problem(file, None, None, "", f"cannot read: {exc.strerror}")]
        ) from None
    if path.is_dir():
        raise FactBaseError(file, [Problem(file, None, None, "", "is a folder, not a file")])
    if size > MAX_BYTES:
        raise FactBaseError(
            file,
            [
                Problem(
                    file,
                    None,
                    None,
                    "",
                    f"the file is {size / 1024 / 1024:.1f} MB; the limit is "
                    f"{MAX_BYTES // 1024 // 1024} MB",
                )
            ],
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactBaseError(
            file, [Problem(file, None, None, "", f"cannot read: {exc.strerror}")]
        ) from None
    return raw


def decode(raw: bytes, file: str) -> str:
    """UTF-8 text of a fact file (a BOM is allowed); FactBaseError naming the bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FactBaseError(
            file,
            [
                Problem(
                    file,
                    line,
                    column,
                    "",
                    f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; "
                    "save the file as UTF-8",
                )
            ],
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FactBaseError(
            file, [Problem(file, line, None, "", "contains a NUL character (binary file?)")]
        )
    return text

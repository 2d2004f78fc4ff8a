"""Reading the package's YAML data files: duplicate keys refused, errors named by file and line.

Every data file is a list of entries or a mapping; each entry is checked by a pydantic
model (unknown fields refused) before the stage that owns the file applies its own
rules (PLOVER types and modes, ISO codes). An error reads ``FILE:LINE: field: reason``.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import DataFileError

_FastLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_FastLoader):
    """A YAML loader that refuses a mapping with the same key twice (YAML itself keeps the last).

    libyaml parses (when installed, as the pinned PyYAML wheels ship it); the duplicate-key
    check runs in the constructor, so it holds either way."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key]})", key_node.start_mark)
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(name: str, text: str, *, fast: bool = False) -> Any:
    """Parse ``text``; ``fast`` uses libyaml for large generated files (no duplicate-key check)."""
    try:
        return yaml.load(text, Loader=_FastLoader if fast else _UniqueKeyLoader)  # noqa: S506 - safe loaders
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(f"{where}: not valid YAML ({problem})") from None


def item_lines(text: str, *, fast: bool = False) -> list[int]:
    """The line of each top-level list item (1-based), for error messages."""
    node = yaml.compose(text, Loader=_FastLoader)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


class Entry(BaseModel):
    """Base of every entry model: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def validate(model: type[Entry], name: str, line: int | str, item: Any) -> Any:
    """``model`` checked on ``item``; a failure names the file, line and field."""
    if not isinstance(item, dict):
        raise DataFileError(f"{name}:{line}: must be a mapping")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "entry"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        raise DataFileError(f"{name}:{line}: field {field!r}: {msg}") from None

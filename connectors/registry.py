"""A registry of named implementations, filled from a Python entry-point group.

Built-in connectors, draft kinds and CLI commands are declared in ``pyproject.toml``
under the same entry-point groups a third-party extension would use, so there is one
way in for everything. Entries are loaded lazily, on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

from connectors.errors import UsageError

T = TypeVar("T")


class Registry(Generic[T]):
    """Maps a name to an object loaded from the entry-point ``group``."""

    def __init__(self, group: str, what: str) -> None:
        self.group = group
        self.what = what
        self._loaded: dict[str, T] = {}
        self._extra: dict[str, T] = {}

    def _entry_points(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=self.group)}

    def register(self, name: str, obj: T) -> None:
        """Register ``obj`` at run time (tests, embedding applications)."""
        self._extra[name] = obj

    def names(self) -> list[str]:
        return sorted(set(self._entry_points()) | set(self._extra))

    def get(self, name: str) -> T:
        if name in self._extra:
            return self._extra[name]
        if name not in self._loaded:
            eps = self._entry_points()
            if name not in eps:
                known = ", ".join(self.names()) or "none"
                raise UsageError(f"unknown {self.what} {name!r}", hint=f"known: {known}")
            self._loaded[name] = eps[name].load()
        return self._loaded[name]

    def items(self) -> Iterator[tuple[str, T]]:
        for name in self.names():
            yield name, self.get(name)

    def __contains__(self, name: Any) -> bool:
        return name in self._extra or name in self._entry_points()

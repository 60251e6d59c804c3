"""The catalogue is one module per area, and every message is read from the package."""

from __future__ import annotations

import importlib
import pkgutil

from mentorforms import messages


def _areas() -> dict[str, dict[str, object]]:
    found = {}
    for module in pkgutil.iter_modules(messages.__path__):
        area = importlib.import_module(f"{messages.__name__}.{module.name}")
        found[module.name] = {name: value for name, value in vars(area).items() if name.isupper()}
    return found


def test_every_message_of_every_area_is_a_name_of_the_package_and_only_one_area_holds_it() -> None:
    areas = _areas()
    assert set(areas) == {"pages", "records", "reminders", "reports", "server"}
    held: dict[str, str] = {}
    for area, names in areas.items():
        for name, value in names.items():
            assert name not in held, f"{name} is in both {held[name]} and {area}: one would hide the other"
            held[name] = area
            assert isinstance(value, str) and getattr(messages, name) is value, name
    assert {name for name in vars(messages) if name.isupper()} == set(held)


def test_an_area_holds_messages_only() -> None:
    for area, names in _areas().items():
        module = importlib.import_module(f"{messages.__name__}.{area}")
        public = {name for name in vars(module) if not name.startswith("_")}
        assert public == set(names), f"{area}: {sorted(public - set(names))}"

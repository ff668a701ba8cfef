"""hatch-static-demo: greets, with a greeting read from package data."""

from importlib.metadata import version
from importlib.resources import files

__version__ = version("hatch-static-demo")
GREETING = files(__name__).joinpath("greeting.txt").read_text(encoding="utf-8").strip()


def greet(name: str) -> str:
    return f"{GREETING}, {name}!"

"""scm-dynamic-demo: its version comes from the git tag it was built from."""

from importlib.metadata import version

__version__ = version("scm-dynamic-demo")

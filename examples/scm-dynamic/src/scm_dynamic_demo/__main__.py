import sys

from . import __version__


def main() -> int:
    if "--version" in sys.argv[1:]:
        print(f"scm-dynamic-demo {__version__}")
        return 0
    print("scm-dynamic-demo: nothing to do; try --version")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

import argparse

from . import __version__, greet


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="hatch-static-demo")
    parser.add_argument("--version", action="version", version=f"hatch-static-demo {__version__}")
    parser.add_argument("name", nargs="?", default="world")
    args = parser.parse_args(argv)
    print(greet(args.name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

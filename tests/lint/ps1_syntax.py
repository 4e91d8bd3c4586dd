"""Checks PowerShell scripts' syntax with tree-sitter's PowerShell grammar, for a machine
without PowerShell (tests/install.rs runs install/install.ps1 with pwsh where it can).

    python3 tests/lint/ps1_syntax.py FILE...

Prints FILE:LINE:COLUMN for each place the grammar cannot read, and exits 1 if there is one
(2 if the packages of tests/lint/requirements.txt are missing).
"""

import sys

try:
    import tree_sitter
    import tree_sitter_powershell
except ImportError as e:
    print(f"ps1_syntax: {e}: pip install -r tests/lint/requirements.txt", file=sys.stderr)
    sys.exit(2)


def problems(node):
    """Every node the grammar could not make sense of, or found missing."""
    if node.is_error or node.is_missing:
        yield node
    for child in node.children:
        yield from problems(child)


def main(files):
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    bad = 0
    for name in files:
        with open(name, "rb") as f:
            tree = parser.parse(f.read())
        for node in problems(tree.root_node):
            line, column = node.start_point
            what = f"missing {node.type}" if node.is_missing else "cannot be read"
            print(f"{name}:{line + 1}:{column + 1}: {what}")
            bad += 1
    print(f"ps1_syntax: {len(files)} file(s), {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""No block of six or more statement lines is repeated, with the same shape, across ``src/``.

Read from the syntax tree (no external tool). Each file is cut into *scopes*: the module's own
statements, a class body's own statements, and each function body; a nested ``def`` or
``class`` is a scope of its own and a boundary in its parent's sequence (no run crosses it). A
scope is the pre-order sequence of its statements: a simple statement is one line; a compound
statement (``if``, ``for``, ``while``, ``with``, ``try``, ``match``) is one line for its header
followed by the lines of its branches, each ``else``/``except``/``finally`` branch marked by a
line of its own. Statements that start on the same physical line (``a = 0; b = 0``) are one
line: the count is of lines, as written.

A line's *shape* is its syntax tree with every identifier (names, attributes, arguments,
keywords, function and class names) and every literal (strings, numbers, booleans) replaced
by a placeholder of its kind; operators, call structure and nesting are kept. Two places
repeat each other when six consecutive lines have the same shapes; overlapping runs are
merged and reported once as ``file:first-last ~ file:first-last``.

The rules that keep out what is not repeated logic (stated here, applied everywhere; there is
no per-file list):

1. Docstrings and ``import`` lines are not lines.
2. A line that is only data (a constant, a container display or a call whose arguments are
   all constants or displays of constants, assigned to a name, e.g. a unit's ``params`` table
   of ``Param(...)`` entries, its ``inlets``/``outlets``/``costs`` declarations, or a dict of
   reference values), and a field declaration without a value (``x: float`` in a dataclass),
   is shaped by its own content, literals and names included: a table is data, and two tables
   repeat each other only when they say the same things. A table's entries are lines of
   their own, so six equal consecutive entries of two tables are still a repeat.
3. A window in which every line is a bare name-to-name assignment, a ``return`` of a name or
   ``pass`` (unpacking glue) is not counted: it has no logic to share.
"""
from __future__ import annotations

import ast
import copy
from collections import defaultdict
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "carbonhub"
WINDOW = 6

_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
             ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TRY_STAR = (getattr(ast, "TryStar"),) if hasattr(ast, "TryStar") else ()
_MATCH = (getattr(ast, "Match"),) if hasattr(ast, "Match") else ()


_PLACEHOLDERS: dict[type, dict[str, object]] = {
    ast.Attribute: {"attr": "a"}, ast.arg: {"arg": "x", "annotation": None},
    ast.keyword: {"arg": "k"}, ast.alias: {"name": "m", "asname": None},
    ast.FunctionDef: {"name": "f", "returns": None}, ast.AsyncFunctionDef: {"name": "f", "returns": None},
    ast.ClassDef: {"name": "C"}, ast.ExceptHandler: {"name": "e"},
}
"""The identifier fields of each node type and their placeholders (a field that is None, e.g.
the ``arg`` of ``**kwargs``, stays None)."""


class _Shape(ast.NodeTransformer):
    """Replace identifiers and literals by placeholders of their kind."""

    def generic_visit(self, node):
        node = super().generic_visit(node)
        for field, value in _PLACEHOLDERS.get(type(node), {}).items():
            if getattr(node, field, None) is not None:
                setattr(node, field, value)
        return node

    def visit_Name(self, node):
        return ast.copy_location(ast.Name(id="N", ctx=node.ctx), node)

    def visit_Constant(self, node):
        v = node.value
        kind = ("s" if isinstance(v, (str, bytes)) else "b" if isinstance(v, bool)
                else "0" if isinstance(v, (int, float, complex)) else repr(v))
        return ast.copy_location(ast.Constant(value=kind), node)


def _is_data(node: ast.AST) -> bool:
    """A constant, or a display/call built of constants only (rule 2)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_data(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or _is_data(k) for k in node.keys) and all(_is_data(v) for v in node.values)
    if isinstance(node, ast.Call):
        return (isinstance(node.func, (ast.Name, ast.Attribute))
                and all(_is_data(a) for a in node.args)
                and all(_is_data(k.value) for k in node.keywords))
    return False


def _is_glue(node: ast.stmt) -> bool:
    """Unpacking glue (rule 3)."""
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Return):
        return node.value is None or isinstance(node.value, ast.Name)
    if isinstance(node, ast.Assign):
        ok = (ast.Name, ast.Attribute, ast.Subscript, ast.Tuple)
        return all(isinstance(t, ok) for t in node.targets) and isinstance(
            node.value, (ast.Name, ast.Attribute, ast.Tuple)) and not any(
            isinstance(n, (ast.Call, ast.BinOp)) for n in ast.walk(node.value))
    return False


_BRANCHES = ("body", "orelse", "handlers", "finalbody", "cases", "decorator_list")


def _header(node: ast.stmt) -> ast.stmt:
    """The statement without its branches (a compound statement's header line)."""
    return type(node)(**{f: ([] if f in _BRANCHES else getattr(node, f)) for f in node._fields})


def _shape(node: ast.stmt) -> str:
    if isinstance(node, ast.AnnAssign) and node.value is None:
        return "field:" + ast.dump(node)
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr)) and node.value is not None \
            and _is_data(node.value):
        return "data:" + ast.dump(node.value)
    return ast.dump(_Shape().visit(copy.deepcopy(_header(node) if isinstance(
        node, _COMPOUND + _TRY_STAR + _MATCH) else node)))


def _table_lines(node: ast.stmt) -> list[tuple[str, int, int]]:
    """The lines of a data table assigned to a name (rule 2): its entries grouped by the
    source line they start on, each group shaped by its content."""
    if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
        return []
    v = node.value
    if not isinstance(v, (ast.Dict, ast.List, ast.Tuple, ast.Set)) or not _is_data(v) \
            or v.lineno == v.end_lineno:
        return []
    if isinstance(v, ast.Dict):
        entries = [((k or x).lineno, x.end_lineno, (ast.dump(k) if k else "**") + ast.dump(x))
                   for k, x in zip(v.keys, v.values)]
    else:
        entries = [(x.lineno, x.end_lineno, ast.dump(x)) for x in v.elts]
    lines: dict[int, list] = {}
    for first, last, text in entries:
        lines.setdefault(first, []).append((last, text))
    return [("data:" + "".join(t for _, t in group), first, max(b for b, _ in group))
            for first, group in lines.items()]


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
        and isinstance(node.value.value, str)


Line = tuple[str, int, int, bool]  # shape, first line, last line, glue


def scopes(tree: ast.Module) -> list[list[Line]]:
    """The statement-line sequences of a module (see the module docstring)."""
    out: list[list[Line]] = []

    def walk(body: list[ast.stmt], seq: list[Line]) -> None:
        for node in body:
            if _is_docstring(node) or isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                seq.append((f"<scope {id(node)}>", node.lineno, node.lineno, False))  # a boundary
                inner: list[Line] = []
                walk(node.body, inner)
                out.append(inner)
                continue
            entries = _table_lines(node)
            if entries:
                seq.extend((e, a, b, False) for e, a, b in entries)
                continue
            last = node.lineno if isinstance(node, _COMPOUND + _TRY_STAR + _MATCH) else node.end_lineno
            seq.append((_shape(node), node.lineno, last, _is_glue(node)))
            for field in ("body", "handlers", "orelse", "finalbody", "cases"):
                branch = getattr(node, field, None)
                if not branch:
                    continue
                if field != "body":
                    seq.append((f"<{field}>", branch[0].lineno, branch[0].lineno, True))
                for sub in branch:
                    if isinstance(sub, ast.ExceptHandler) or type(sub).__name__ == "match_case":
                        seq.append((_shape_handler(sub), sub.lineno if hasattr(sub, "lineno")
                                    else sub.pattern.lineno, sub.body[0].lineno, False))
                        walk(sub.body, seq)
                    else:
                        walk([sub], seq)

    mod: list[Line] = []
    walk(tree.body, mod)
    out.append(mod)
    return [m for m in (_by_physical_line(s) for s in out) if len(m) >= WINDOW]


def _by_physical_line(seq: list[Line]) -> list[Line]:
    """Statements that start on one physical line (``a = 0; b = 0``) make one line."""
    merged: list[Line] = []
    for shape, first, last, glue in seq:
        if merged and merged[-1][1] == first:
            s0, f0, l0, g0 = merged[-1]
            merged[-1] = (s0 + ";" + shape, f0, max(l0, last), g0 and glue)
        else:
            merged.append((shape, first, last, glue))
    return merged


def _shape_handler(node) -> str:
    h = copy.deepcopy(node)
    h.body = []
    return ast.dump(_Shape().visit(h)) if isinstance(h, ast.ExceptHandler) else "<case>"


def repeated_blocks(root: Path, window: int = WINDOW) -> list[str]:
    """``a.py:i-j ~ b.py:k-l`` for every maximal run of ``window`` or more statement lines of
    the same shapes found in two places below ``root``."""
    seqs: list[tuple[str, list[Line]]] = []
    for p in sorted(root.rglob("*.py")):
        rel = p.relative_to(root.parent).as_posix()
        for seq in scopes(ast.parse(p.read_text(encoding="utf-8"))):
            seqs.append((rel, seq))
    where: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for si, (_, seq) in enumerate(seqs):
        shapes = [s[0] for s in seq]
        for i in range(len(seq) - window + 1):
            if all(seq[i + k][3] for k in range(window)):
                continue
            where[tuple(shapes[i:i + window])].append((si, i))
    pairs: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for places in where.values():
        for a in range(len(places)):
            for b in range(a + 1, len(places)):
                (sa, ia), (sb, ib) = places[a], places[b]
                if sa == sb and abs(ia - ib) < window:
                    continue  # a run of one shape repeated in itself
                pairs.add((places[a], places[b]))
    out = []
    for (sa, ia), (sb, ib) in sorted(pairs):
        if ((sa, ia - 1), (sb, ib - 1)) in pairs:
            continue  # continues a run already started
        k = 0
        while ((sa, ia + k + 1), (sb, ib + k + 1)) in pairs:
            k += 1
        fa, qa = seqs[sa]
        fb, qb = seqs[sb]
        out.append(f"{fa}:{qa[ia][1]}-{qa[ia + k + window - 1][2]} ~ "
                   f"{fb}:{qb[ib][1]}-{qb[ib + k + window - 1][2]}")
    return out


@pytest.mark.unit
def test_no_block_repeated_across_src():
    found = repeated_blocks(PKG)
    assert not found, (f"{len(found)} blocks of {WINDOW}+ statement lines repeated with the same "
                       "shape (factor them into one function):\n" + "\n".join(found))


_A = '''\
def f(ins, p):
    g = ins["gas"]
    x = g.flow * p.a
    y = np.maximum(x, 0.0)
    if y.any():
        z = y + 1
    return z * 2
'''


@pytest.mark.unit
def test_a_renamed_copy_is_found_and_data_or_glue_is_not(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text(_A)
    renamed = (_A.replace("ins", "inlets").replace('"gas"', '"feed"').replace("0.0", "1.5")
               .replace("flow", "T").replace("def f", "def g"))
    (pkg / "b.py").write_text("import os\n\n\n" + renamed)
    assert repeated_blocks(pkg) == ["pkg/a.py:2-7 ~ pkg/b.py:5-10"]
    # one changed operator breaks the shape
    (pkg / "b.py").write_text(renamed.replace("g.T * p.a", "g.T + p.a"))
    assert repeated_blocks(pkg) == []
    # two data tables of the same shape but other values are not a repeat; equal ones are
    table = "params = {\n" + "".join(f"    '{c}': Param({i}.0, 'K', 0.0, 1.0, 'doc {c}'),\n"
                                      for i, c in enumerate("abcdefg")) + "}\n"
    (pkg / "a.py").write_text(table)
    (pkg / "b.py").write_text(table.replace("'K'", "'Pa'"))
    assert repeated_blocks(pkg) == []
    (pkg / "b.py").write_text("x = 1\n" + table.replace("'a'", "'z'"))
    assert repeated_blocks(pkg) == ["pkg/a.py:3-8 ~ pkg/b.py:4-9"]
    # six statements on three physical lines are not six lines
    three = "def k(z):\n    a = z.copy(); b = z.copy()\n    c = z.copy(); d = z.copy()\n    e = f(a); g = f(b)\n"
    (pkg / "a.py").write_text(three)
    (pkg / "b.py").write_text(three.replace("def k", "def m"))
    assert repeated_blocks(pkg) == []
    # unpacking glue only
    glue = "def h(s):\n" + "".join(f"    {c} = s.{c}\n" for c in "abcdef") + "    return a\n"
    (pkg / "a.py").write_text(glue)
    (pkg / "b.py").write_text(glue.replace("s.", "t."))
    assert repeated_blocks(pkg) == []

"""Flowsheet graph: strongly connected components, tear-stream selection, calculation order."""
from __future__ import annotations

from itertools import combinations
from typing import Hashable, Iterable, Mapping, Sequence

Edge = tuple[str, str, str]  # (src unit, dst unit, stream id)


def strongly_connected(nodes: Sequence[str], edges: Iterable[Edge]) -> list[list[str]]:
    """Tarjan's algorithm (iterative); components in reverse topological order."""
    adj: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b, _ in edges:
        adj[a].append(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            recurse = False
            for j in range(i, len(adj[v])):
                w = adj[v][j]
                if w not in index:
                    work.append((v, j + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    return out


def kahn_order(nodes: Sequence[str], succs: Mapping[str, Sequence[str]]) -> list[str]:
    """Kahn's topological order of ``nodes`` (successor lists ``succs``, every successor one of
    ``nodes``), stable in the order of ``nodes``; nodes on or behind a cycle are left out."""
    indeg = dict.fromkeys(nodes, 0)
    for v in nodes:
        for w in succs[v]:
            indeg[w] += 1
    ready = [n for n in nodes if indeg[n] == 0]
    order = []
    while ready:
        v = ready.pop(0)
        order.append(v)
        for w in succs[v]:
            indeg[w] -= 1
            if indeg[w] == 0:
                ready.append(w)
    return order


def topological(nodes: Sequence[str], edges: Iterable[Edge]) -> list[str] | None:
    """Kahn's algorithm, stable in the order of ``nodes``; None if there is a cycle."""
    adj: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b, _ in edges:
        if a in adj and b in adj:
            adj[a].append(b)
    order = kahn_order(nodes, adj)
    return order if len(order) == len(nodes) else None


def select_tears(nodes: Sequence[str], edges: Sequence[Edge], preferred: Iterable[str] = ()
                 ) -> list[str]:
    """A smallest set of streams whose removal makes the subgraph acyclic.

    Exhaustive over combinations of increasing size (cycles in process flowsheets are small);
    streams in ``preferred`` (user hints) are tried first.
    """
    inner = [e for e in edges if e[0] in nodes and e[1] in nodes]
    pref = set(preferred)
    pos = {n: i for i, n in enumerate(nodes)}
    # user hints first, then "back" edges (to a unit added earlier: the recycle as drawn)
    cand = sorted(inner, key=lambda e: (e[2] not in pref, pos[e[0]] < pos[e[1]], e[2]))
    for k in range(1, len(cand) + 1):
        for combo in combinations(cand, k):
            ids = {e[2] for e in combo}
            rest = [e for e in inner if e[2] not in ids]
            if topological(nodes, rest) is not None:
                return [e[2] for e in combo]
    raise RuntimeError("no tear set found")  # unreachable: removing all edges is acyclic


def calculation_order(nodes: Sequence[str], edges: Sequence[Edge], preferred: Iterable[str] = ()
                      ) -> list[tuple[list[str], list[str]]]:
    """Blocks in calculation order: [(units in order, tear stream ids)], one per SCC."""
    sccs = strongly_connected(nodes, edges)[::-1]  # topological order of the condensation
    # Tarjan gives reverse topological order of SCCs; make it stable w.r.t. the DAG
    comp_of = {n: i for i, c in enumerate(sccs) for n in c}
    cedges = {(comp_of[a], comp_of[b]) for a, b, _ in edges if comp_of[a] != comp_of[b]}
    cn = [str(i) for i in range(len(sccs))]
    corder = topological(cn, [(str(a), str(b), "") for a, b in cedges])
    assert corder is not None
    blocks = []
    pos = {n: i for i, n in enumerate(nodes)}
    for ci in corder:
        comp = sorted(sccs[int(ci)], key=pos.get)
        self_loop = any(a == b and a in comp for a, b, _ in edges)
        if len(comp) == 1 and not self_loop:
            blocks.append((comp, []))
            continue
        tears = select_tears([n for n in nodes if n in comp], list(edges), preferred)
        rest = [e for e in edges if e[2] not in tears]
        order = topological(comp, rest)
        assert order is not None
        blocks.append((order, tears))
    return blocks

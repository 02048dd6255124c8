"""The order in which a flowsheet's design specs are solved (:func:`spec_plan`), from its blocks' graph."""
from __future__ import annotations


def spec_plan(fs, blocks) -> list[tuple] | None:
    """Sequential plan for the design specs, or None when they are coupled.

    Spec k's measure depends on spec j's variable when the block of k's ``measured_unit`` is
    downstream of (or is) the block of j's varied unit. When these dependencies have no cycle,
    the specs are solved in a dependency order: for each, the blocks upstream of its measured
    unit not yet solved and not downstream of its varied unit are solved once (``pre``), then
    the spec iterates only the blocks both downstream of its varied unit and upstream of its
    measured unit (``iterate``); the remaining blocks are solved once at the end (``rest``).
    Returns [(spec, pre, iterate)] + [(None, rest, [])], each a list of blocks in calculation
    order; None when a spec has no ``measured_unit``, varies no unit's parameter, or the
    specs are coupled."""
    where = {u: i for i, (units, _) in enumerate(blocks) for u in units}
    succ: dict[int, set[int]] = {i: set() for i in range(len(blocks))}
    for c in fs.connections:
        a, b = where[c.src.unit.id], where[c.dst.unit.id]
        if a != b:
            succ[a].add(b)
    pred: dict[int, set[int]] = {i: set() for i in succ}
    for a, bs in succ.items():
        for b in bs:
            pred[b].add(a)

    def reach(start: int, nxt: dict[int, set[int]]) -> set[int]:
        seen, todo = {start}, [start]
        while todo:
            for j in nxt[todo.pop()]:
                if j not in seen:
                    seen.add(j)
                    todo.append(j)
        return seen

    info = []
    for sp in fs.specs:
        uid = sp.vary.split(".", 1)[0]
        if sp.measured_unit not in where or uid not in where:
            return None
        info.append((sp, reach(where[uid], succ), reach(where[sp.measured_unit], pred), where[sp.measured_unit]))
    # dependency order: spec k after every spec j whose variable reaches k's measured unit
    order, left = [], list(range(len(info)))
    while left:
        free = [k for k in left if not any(info[k][3] in info[j][1] for j in left if j != k)]
        if not free:
            return None  # coupled specs: nest them
        order.append(free[0])
        left.remove(free[0])
    plan, solved = [], set()
    for k in order:
        sp, down, up, _ = info[k]
        need = up - solved
        plan.append((sp, [blocks[i] for i in sorted(need - down)], [blocks[i] for i in sorted(need & down)]))
        solved |= need
    plan.append((None, [blocks[i] for i in range(len(blocks)) if i not in solved], []))
    return plan

"""Griffe extension used by the documentation build (not part of the package).

carbonhub's docstrings are numpydoc as read by humans and by ``doctest``: a singular
``Example`` section, Sphinx roles (``:class:`~carbonhub.core.Stream```) and doctest lines in
free text. Griffe's numpy parser renders ``Example`` as an admonition of Markdown text, so a
doctest line such as ``r.outlets["out"]["CH4"]`` would read as a Markdown reference link. This
extension normalises the docstring text before it is parsed:

* a section titled ``Example`` becomes ``Examples`` (rendered as code);
* doctest blocks (``>>>`` lines and their output) outside an ``Examples`` section are fenced;
* Sphinx roles become code spans (``:func:`~a.b.f``` -> ```f```);
* in prose, a bracket that follows a bracket (``[Tmin, Tmax] [K]``, ``x["a"]["b"]``) is escaped,
  so that it is not read as a Markdown reference link.

The source files are not changed.
"""
from __future__ import annotations

import re
from typing import Any

from griffe import Extension

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|attr|data|exc|obj|const|ref|doc):`(~?)([^`]+)`")
_HEADING_RENAMES = {"example": "Examples", "example:": "Examples"}


def _role(m: re.Match) -> str:
    target = m.group(2).strip()
    if "<" in target and target.endswith(">"):  # :ref:`text <target>`
        target = target.split("<", 1)[0].strip()
    if m.group(1) == "~":
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


_REF_LINK = re.compile(r"\](\s?)\[")


def _escape_ref_links(line: str) -> str:
    parts = line.split("`")
    for k in range(0, len(parts), 2):  # outside inline code spans
        parts[k] = _REF_LINK.sub(lambda m: "]" + m.group(1) + "\\[", parts[k])
    return "`".join(parts)


def _is_dashes(line: str) -> bool:
    s = line.strip()
    return len(s) >= 3 and set(s) == {"-"}


def normalise(text: str) -> str:
    """The docstring ``text`` with the changes listed in the module docstring."""
    lines = _ROLE.sub(_role, text).split("\n")
    out: list[str] = []
    section = ""
    in_fence = False
    in_doctest = False
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and not in_doctest and stripped and _is_dashes(nxt) and not _is_dashes(line):
            title = _HEADING_RENAMES.get(stripped.lower(), stripped)
            section = title.lower()
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + title)
            out.append(indent + "-" * len(title))
            i += 2
            continue
        if in_doctest and not stripped:
            out.append(indent_doc + "```")
            in_doctest = False
        if (not in_fence and not in_doctest and section != "examples"
                and stripped.startswith(">>>")):
            indent_doc = line[: len(line) - len(line.lstrip())]
            out.append(indent_doc + "```pycon")
            in_doctest = True
        if not in_fence and not in_doctest and section != "examples":
            line = _escape_ref_links(line)
        out.append(line)
        i += 1
    if in_doctest:
        out.append(indent_doc + "```")
    return "\n".join(out)


class NumpydocForMarkdown(Extension):
    """Rewrite docstrings as described in the module docstring."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:  # griffe >= 1
        ds = getattr(obj, "docstring", None)
        if ds is not None and ds.value:
            ds.value = normalise(ds.value)

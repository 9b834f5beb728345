"""Sphinx extension: the package's plain-text docstrings shown faithfully in the API reference.

The docstrings are written as plain text (as `help()` shows them), not reStructuredText: a
`|x - y|`, a `*` or an indented continuation line would be read as markup and break the page.
Each blank-line-separated block is shown either as a paragraph (its lines all start at the
block's indentation and none starts a list or a section such as "Args:"; the first block, the
summary that tables of contents list, whenever its lines start alike), with the markup
characters escaped and `name` in backticks kept as code, or else verbatim as preformatted
text, which keeps the layout of argument lists, tables and examples; a block that is a list
of "- " items becomes a list.
"""

import re

INLINE_CODE = re.compile(r"``?([^`\n]+?)``?")
MARKUP = re.compile(r"([\\*|_\[\]<>])")
STRUCTURE = re.compile(r"^\s*([-*+•]\s|\d+[.)]\s|>>>|\S[^:]*:\s*$|\.\.|::)")


def is_paragraph(lines):
    """Whether a block of lines reads as one flowing paragraph."""
    indents = {len(line) - len(line.lstrip()) for line in lines}
    return len(indents) == 1 and not any(STRUCTURE.match(line) for line in lines)


def escape_text(text):
    """`text` with reST's inline markup characters escaped."""
    return MARKUP.sub(r"\\\1", text)


def paragraph(lines):
    """One paragraph in reST: escaped text, with `code` kept as inline literals."""
    text = " ".join(line.strip() for line in lines)
    parts, last = [], 0
    for match in INLINE_CODE.finditer(text):
        parts.append(escape_text(text[last : match.start()]))
        parts.append(f"\\ ``{match.group(1).strip()}``\\ ")
        last = match.end()
    parts.append(escape_text(text[last:].replace("`", "")))
    return ["".join(parts)]


def preformatted(lines):
    """A block shown verbatim, as plain text (not highlighted as code)."""
    indent = min(len(line) - len(line.lstrip()) for line in lines)
    return [".. code-block:: text", ""] + ["    " + line[indent:] for line in lines]


def bullet_items(lines):
    """The items of a block that is a "- " list (continuations indented deeper), else None."""
    indent = len(lines[0]) - len(lines[0].lstrip())
    items = []
    for line in lines:
        depth = len(line) - len(line.lstrip())
        if depth == indent and line.lstrip().startswith("- "):
            items.append([line.lstrip()[2:]])
        elif depth > indent and items:
            items[-1].append(line)
        else:
            return None
    return items


def bullet_list(items):
    """A reST bullet list, each item one escaped paragraph."""
    return ["- " + paragraph(item)[0] for item in items]


def to_rest(lines):
    """The reST of a plain-text docstring given as lines."""
    blocks, block = [], []
    for line in lines + [""]:
        if line.strip():
            block.append(line.rstrip())
        elif block:
            blocks.append(block)
            block = []
    out = []
    for number, block in enumerate(blocks):
        indents = {len(line) - len(line.lstrip()) for line in block}
        if number == 0 and len(indents) > 1:  # the summary autoapi lists: a paragraph
            out += paragraph(block[:1]) + [""]
            block = block[1:]
        if number == 0 and len(indents) == 1 or is_paragraph(block):
            out += paragraph(block) + [""]
        elif block and bullet_items(block):
            out += bullet_list(bullet_items(block)) + [""]
        elif block:
            out += preformatted(block) + [""]
    return out


def process_docstring(app, what, name, obj, options, lines):
    """Rewrite `lines` (a docstring) in place as reST (the autodoc event autoapi emits)."""
    lines[:] = to_rest(list(lines))


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", process_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

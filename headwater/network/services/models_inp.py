"""Reading an EPANET .inp file with WNTR into plain rows (no database): what the import
writes for a version, or a refusal that names the parser's message and the line.

Why a temporary file: WNTR reads .inp files only from a path. Why the line is looked for in
the traceback: WNTR puts the line number into the message of its own errors (ENSyntaxError,
ENKeyError, ENValueError) but keeps no attribute of it, wraps errors of a section in a
generic "(Error 200) one or more errors in input file '<path>'" (the real one is its
`__cause__`), and lets a plain ValueError or IndexError of a short or garbled line through
without a line at all. Every section reader of WNTR's InpFile walks `for lnum, line in ...`,
so the innermost frame that has `lnum` says which line it was reading."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import pgettext

from headwater.core.errors import DomainError
from headwater.network.choices import LinkKind, LinkStatus, NodeKind
from headwater.network.errors import NetworkError

MAX_BYTES = 20 * 1024 * 1024  # about 45 times Net6; a larger upload is refused unread
M3S_TO_LS = 1000.0  # WNTR gives SI: m³/s
M_TO_MM = 1000.0

NODE_KINDS = {"Junction": NodeKind.JUNCTION, "Tank": NodeKind.TANK, "Reservoir": NodeKind.RESERVOIR}
LINK_KINDS = {"Pipe": LinkKind.PIPE, "Pump": LinkKind.PUMP, "Valve": LinkKind.VALVE}
_AT_LINE = re.compile(r",? at line \d+.*", re.DOTALL)


@dataclass
class ParsedModel:
    """What was read: the text as stored, and the rows of nodes and links as dicts of the
    Node and Link fields."""

    text: str
    title: str
    flow_units: str
    heading: str = ""  # the title's first line: the version's name when none is given
    nodes: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    wn: object = None  # the WaterNetworkModel, for callers that need more (valve layers)


def refuse(reason: str, line: int | None = None, text: str = "") -> DomainError:
    """The refusal of a file, naming the line when there is one (in the field `file`)."""
    values = {"line": line, "reason": reason, "text": " ".join(text.split())[:80]}
    if line and text:
        message = (
            pgettext(
                "network models",
                "The model file was refused at line %(line)s: %(reason)s "
                "(the line reads “%(text)s”)",
            )
            % values
        )
    elif line:
        message = (
            pgettext("network models", "The model file was refused at line %(line)s: %(reason)s")
            % values
        )
    else:
        message = pgettext("network models", "The model file was refused: %(reason)s") % {
            "reason": reason
        }
    return DomainError(message, code=NetworkError.BAD_MODEL_FILE, fields={"file": message})


def decode(content: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), within the size limit, not empty."""
    if len(content) > MAX_BYTES:
        raise refuse(
            pgettext("network models", "the file is larger than %(mb)s MB.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if not content.strip():
        raise refuse(pgettext("network models", "the file is empty."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = content[: e.start].count(b"\n") + 1
        raise refuse(
            pgettext("network models", "the text is not UTF-8; save the file as UTF-8."), line
        ) from None
    if "\x00" in text:
        raise refuse(
            pgettext("network models", "the file is not a text file."),
            text[: text.index("\x00")].count("\n") + 1,
        )
    return text


def read_network(text: str):
    """WNTR's WaterNetworkModel of the text, or the refusal with the parser's message."""
    import wntr  # noqa: PLC0415 (heavy: loaded on the first import of a model, not at start)

    with tempfile.TemporaryDirectory(prefix="hw-inp-") as folder:
        path = Path(folder) / "model.inp"
        path.write_text(text, encoding="utf-8")
        try:
            return wntr.network.WaterNetworkModel(str(path))
        except Exception as e:  # noqa: BLE001 (any parser failure is the file's fault)
            raise _refusal(e, text, str(path)) from None


def _refusal(error: Exception, text: str, path: str) -> DomainError:
    cause = error.__cause__ if error.__cause__ is not None else error
    line = _line_of(cause) or _line_of(error)
    reason = _reason(cause).replace(path, "model.inp")
    lines = text.splitlines()
    shown = lines[line - 1] if line and 0 < line <= len(lines) else ""
    return refuse(reason[:300], line, shown)


def _reason(cause: BaseException) -> str:
    from wntr.epanet.exceptions import EpanetException  # noqa: PLC0415

    if isinstance(cause, EpanetException):
        # The message as WNTR wrote it, without the line (given apart) or a format it left.
        text = _AT_LINE.sub("", str(cause.args[0] if cause.args else cause))
        return text.replace(" (%s)", "").strip()
    if isinstance(cause, KeyError):
        return pgettext("network models", "unknown id %(id)s") % {"id": str(cause)}
    if isinstance(cause, AttributeError) and "factor" in str(cause):
        # WNTR reads every quantity through the flow units of [OPTIONS]: without them it
        # fails on the first number, which is usually a file cut short.
        return pgettext(
            "network models",
            "the file has no [OPTIONS] section with its flow units (is it cut short?)",
        )
    return pgettext("network models", "the line could not be read (%(error)s)") % {
        "error": str(cause)[:120]
    }


def _line_of(error: BaseException) -> int | None:
    line = None
    tb = error.__traceback__
    while tb is not None:
        value = tb.tb_frame.f_locals.get("lnum")
        if isinstance(value, int):
            line = value
        tb = tb.tb_next
    return line


def parse(content: bytes) -> ParsedModel:
    """The rows of the file, or DomainError(BAD_MODEL_FILE) naming what is wrong."""
    text = decode(content)
    wn = read_network(text)
    if wn.num_nodes == 0 or wn.num_links == 0:
        raise refuse(pgettext("network models", "the file has no nodes or no links."))
    if wn.num_reservoirs + wn.num_tanks == 0:
        raise refuse(pgettext("network models", "the network has no reservoir or tank to feed it."))
    placed = _coordinates_given(text)
    parsed = ParsedModel(
        text=text,
        title=" ".join(t.strip() for t in (wn.title or []) if t.strip())[:300],
        flow_units=str(wn.options.hydraulic.inpfile_units or "")[:10],
        heading=next((t.strip() for t in (wn.title or []) if t.strip()), "")[:200],
        wn=wn,
    )
    for name, node in wn.nodes():
        parsed.nodes.append(_node(name, node, name in placed))
    for name, link in wn.links():
        parsed.links.append(_link(name, link))
    return parsed


def _node(name: str, node, placed: bool) -> dict:
    kind = NODE_KINDS[node.node_type]
    x, y = node.coordinates if placed else (None, None)
    if kind == NodeKind.JUNCTION:
        elevation = node.elevation
        demand = sum(d.base_value for d in node.demand_timeseries_list) * M3S_TO_LS
    elif kind == NodeKind.TANK:
        elevation, demand = node.elevation, 0.0
    else:  # a reservoir has a head, not an elevation
        elevation, demand = node.base_head, 0.0
    return {
        "name": name,
        "kind": kind,
        "x": float(x) if x is not None else None,
        "y": float(y) if y is not None else None,
        "elevation": round(float(elevation), 3),
        "demand": float(demand),
    }


def _link(name: str, link) -> dict:
    kind = LINK_KINDS[link.link_type]
    diameter = getattr(link, "diameter", 0.0) if kind != LinkKind.PUMP else 0.0
    if kind == LinkKind.PIPE and link.check_valve:
        status = LinkStatus.CV
    elif str(link.initial_status).lower() == "closed":
        status = LinkStatus.CLOSED
    else:
        status = LinkStatus.OPEN
    return {
        "name": name,
        "kind": kind,
        "start": link.start_node_name,
        "end": link.end_node_name,
        "diameter": round(float(diameter) * M_TO_MM, 3),
        "length": round(float(link.length), 3) if kind == LinkKind.PIPE else 0.0,
        "status": status,
        "vertices": [[float(x), float(y)] for x, y in (link.vertices or [])],
    }


def _coordinates_given(text: str) -> set[str]:
    """Ids of the nodes the file places in [COORDINATES] (WNTR gives (0, 0) to the rest,
    which the map must not draw at the origin)."""
    placed, inside = set(), False
    for raw in text.splitlines():
        line = raw.split(";", 1)[0].strip()
        if line.startswith("["):
            inside = line.upper().startswith("[COORD")
            continue
        if inside and line:
            placed.add(line.split()[0])
    return placed

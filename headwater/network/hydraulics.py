"""Hydraulics on EPANET 2.3 (the owa-epanet binding): a pressure-dependent run of a model
version with some links closed, judged by delivered against required demand.

INTERFACE (the engine part implements it):

- `check(model, closed_links, *, required_pressure=None, hours=None) -> Check`: write the
  version's .inp to a temporary file, open it with `epanet.toolkit`, set pressure-driven
  analysis (minimum pressure `network.pda_min_pressure`, required pressure
  `network.pda_required_pressure` unless given), close `closed_links`, run the extended
  period for `hours` (default `network.hydraulic_hours`) and return per junction the
  required and delivered demand and the lowest pressure over the run. `Check.lost` are the
  junctions with required demand whose delivered demand falls below
  `network.lost_fraction` of it at some step; `Check.low(min_pressure)` the nodes whose
  lowest pressure is below a given pressure. Raises DomainError(HYDRAULICS_FAILED) with
  EPANET's message when the solver fails.

Notes: the fraction is the `network.lost_percent` setting / 100. Flows are read in L/s and
pressures in metres whatever the file's units (the project is switched to LPS and metres
before the run). `required`/`delivered` are averages over the run weighted by each
hydraulic step's length; `lost_at` is the first time (seconds from the start) a junction
fell below the fraction. Controls and rules that would act on a closed link are disabled,
so a closure stays closed. `run(inp, ...)` is the same without the database (bench, tests).
"""

from __future__ import annotations

import ctypes
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import epanet.toolkit as en
import numpy as np
from django.utils.translation import gettext as _

from headwater.core.errors import DomainError
from headwater.network.errors import NetworkError

# Required demand below this (L/s) is no demand: a junction cannot "lose" what it never asks.
NO_DEMAND = 1e-6


@dataclass
class Check:
    """Per junction (by id): mean required and delivered demand (L/s), lowest pressure (m);
    the junctions that lost water and when they first did; the run's length and cost."""

    required: dict[str, float]
    delivered: dict[str, float]
    pressure: dict[str, float]
    lost: list[str]
    lost_at: dict[str, int] = field(default_factory=dict)
    hours: float = 0
    seconds: float = 0

    def low(self, min_pressure: float) -> list[str]:
        """Junctions whose lowest pressure over the run is below `min_pressure` (m)."""
        return [name for name, p in self.pressure.items() if p < min_pressure]


def check(model, closed_links, *, required_pressure=None, hours=None) -> Check:
    """A pressure-dependent run of `model` (a NetworkModel) with `closed_links` closed, with
    the organization's settings in force."""
    from headwater.core import levels

    organization = model.organization
    return run(
        model.inp,
        closed_links,
        min_pressure=levels.value(organization, "network.pda_min_pressure"),
        required_pressure=(
            required_pressure
            if required_pressure is not None
            else levels.value(organization, "network.pda_required_pressure")
        ),
        hours=hours if hours is not None else levels.value(organization, "network.hydraulic_hours"),
        lost_fraction=levels.value(organization, "network.lost_percent") / 100,
    )


def run(
    inp: str,
    closed_links=(),
    *,
    min_pressure: float = 0,
    required_pressure: float = 20,
    hours: float = 24,
    lost_fraction: float = 0.1,
) -> Check:
    """The same as `check` from an .inp text and explicit settings."""
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="headwater-epanet-") as folder:
        path = Path(folder)
        (path / "model.inp").write_text(inp)
        ph = en.createproject()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # EPANET's warnings (disconnected nodes...)
                check = _run(
                    ph,
                    path,
                    set(closed_links),
                    min_pressure,
                    max(required_pressure, min_pressure + 0.01),
                    hours,
                    lost_fraction,
                )
        except Exception as error:  # the binding raises a bare Exception("Error NNN: ...")
            _close(ph)
            raise _failed(error, path / "model.rpt") from error
        _close(ph)
    check.seconds = time.perf_counter() - began
    return check


def _close(ph) -> None:
    """Close the project (which flushes its report) whatever state it is in."""
    for step in (en.closeH, en.close, en.deleteproject):
        try:
            step(ph)
        except Exception:  # noqa: S112 — not opened, or already closed
            continue


def _failed(error: Exception, report: Path) -> DomainError:
    detail = str(error)
    if report.exists():
        lines = [line.strip() for line in report.read_text(errors="replace").splitlines()]
        # "Error 203: undefined node J9 in [PIPES] section:" and the offending line.
        found = [
            f"{line} {lines[i + 1]}".strip() if line.endswith(":") and i + 1 < len(lines) else line
            for i, line in enumerate(lines)
            if line.startswith("Error")
        ]
        if found:
            detail = "; ".join(dict.fromkeys(found[:3]))
    return DomainError(
        _("The hydraulic check failed: %(detail)s") % {"detail": detail[:300]},
        code=NetworkError.HYDRAULICS_FAILED,
        status=422,
    )


def _view(array, n: int) -> np.ndarray:
    return np.ctypeslib.as_array((ctypes.c_double * n).from_address(int(array.this)))


def _run(ph, path, closed, pmin, preq, hours, lost_fraction) -> Check:
    en.open(ph, str(path / "model.inp"), str(path / "model.rpt"), "")
    en.setflowunits(ph, en.LPS)
    en.setoption(ph, en.PRESS_UNITS, en.METERS)
    en.setdemandmodel(ph, en.PDA, pmin, preq, 0.5)
    en.settimeparam(ph, en.DURATION, int(hours * 3600))
    en.setqualtype(ph, en.NONE, "", "", "")
    indexes = _close_links(ph, closed)
    _disable_controls_on(ph, indexes)

    n = en.getcount(ph, en.NODECOUNT)
    junctions = [i for i in range(n) if en.getnodetype(ph, i + 1) == en.JUNCTION]
    names = [en.getnodeid(ph, i + 1) for i in junctions]
    pick = np.array(junctions, dtype=int)
    buffers = {prop: en.doubleArray(n) for prop in (en.FULLDEMAND, en.DEMAND, en.PRESSURE)}
    views = {prop: _view(buffer, n) for prop, buffer in buffers.items()}
    required = np.zeros(len(pick))
    delivered = np.zeros(len(pick))
    lowest = np.full(len(pick), np.inf)
    lost_at = np.full(len(pick), -1, dtype=np.int64)
    weight = 0.0

    en.openH(ph)
    en.initH(ph, en.NOSAVE)
    while True:
        now = en.runH(ph)
        for prop, buffer in buffers.items():
            en.getnodevalues(ph, prop, buffer)
        full = views[en.FULLDEMAND][pick]
        got = views[en.DEMAND][pick]
        np.minimum(lowest, views[en.PRESSURE][pick], out=lowest)
        losing = (full > NO_DEMAND) & (got < lost_fraction * full) & (lost_at < 0)
        lost_at[losing] = now
        step = en.nextH(ph)
        share = step if step > 0 else (1.0 if weight == 0 else 0.0)
        required += full * share
        delivered += got * share
        weight += share
        if step <= 0:
            break
    required /= weight
    delivered /= weight
    return Check(
        required=dict(zip(names, required.tolist(), strict=True)),
        delivered=dict(zip(names, delivered.tolist(), strict=True)),
        pressure=dict(zip(names, lowest.tolist(), strict=True)),
        lost=[name for name, at in zip(names, lost_at.tolist(), strict=True) if at >= 0],
        lost_at={name: at for name, at in zip(names, lost_at.tolist(), strict=True) if at >= 0},
        hours=hours,
    )


def _close_links(ph, closed) -> set[int]:
    indexes = set()
    for name in closed:
        index = en.getlinkindex(ph, name)
        en.setlinkvalue(ph, index, en.INITSTATUS, 0)
        indexes.add(index)
    return indexes


def _disable_controls_on(ph, indexes: set[int]) -> None:
    """Simple controls and rules that act on a closed link would reopen it: disable them."""
    if not indexes:
        return
    for i in range(1, en.getcount(ph, en.CONTROLCOUNT) + 1):
        if en.getcontrol(ph, i)[1] in indexes:
            en.setcontrolenabled(ph, i, en.FALSE)
    for r in range(1, en.getcount(ph, en.RULECOUNT) + 1):
        _, then_count, else_count, _ = en.getrule(ph, r)
        actions = [en.getthenaction(ph, r, a)[0] for a in range(1, then_count + 1)]
        actions += [en.getelseaction(ph, r, a)[0] for a in range(1, else_count + 1)]
        if indexes.intersection(actions):
            en.setruleenabled(ph, r, en.FALSE)

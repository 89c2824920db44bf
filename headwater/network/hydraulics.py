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
"""

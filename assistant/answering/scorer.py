"""The fitted models of the offline answerer: a unit scorer (does this unit answer the question?) and a
facet decider (is this facet of the question answered by the sources at all?), both logistic regressions
over readable features, and the calibrated threshold below which a facet is declined.

The coefficients live in assistant/data/answer_model.json, written by `python -m eval.fit_answerer`
from the tuning splits of the bundled suites; nothing here is set by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from assistant.answering.decide import FACET_FEATURES
from assistant.answering.features import FEATURES
from assistant.errors import ConfigError

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "answer_model.json"


class ModelError(ConfigError, ValueError):
    """The answer model file is missing or does not match the code's features."""


@dataclass(frozen=True)
class LinearModel:
    """P = sigmoid(w · standardised features + b)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, x: list[float]) -> float:
        """The probability for one feature vector."""
        z = self.intercept
        for v, m, s, w in zip(x, self.mean, self.scale, self.coef, strict=True):
            z += w * (v - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept}


def linear_from_dict(data: dict[str, Any], features: tuple[str, ...]) -> LinearModel:
    """A LinearModel from JSON; its feature list must be the code's."""
    names = tuple(data["features"])
    if names != features:
        raise ModelError(f"model features {names} do not match the code's {features}: refit the model")
    return LinearModel(
        names, tuple(float(v) for v in data["mean"]), tuple(float(v) or 1.0 for v in data["scale"]),
        tuple(float(v) for v in data["coef"]), float(data["intercept"]),
    )


@dataclass(frozen=True)
class Scorer:
    """The unit scorer, the facet decider and their thresholds."""

    unit: LinearModel
    facet: LinearModel
    threshold: float  # a facet whose decider probability is below this is declined
    extra: float  # a further unit is quoted when its unit probability is at least this
    unit_floor: float = 0.0  # ... and so is one whose best unit's probability is below this
    info: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (what the fitting script writes)."""
        return {"unit": self.unit.to_dict(), "facet": self.facet.to_dict(), "threshold": self.threshold,
                "unit_floor": self.unit_floor, "extra": self.extra, "info": self.info}


def scorer_from_dict(data: dict[str, Any]) -> Scorer:
    """A Scorer from its JSON form."""
    return Scorer(
        linear_from_dict(data["unit"], FEATURES), linear_from_dict(data["facet"], FACET_FEATURES),
        float(data["threshold"]), float(data["extra"]), float(data.get("unit_floor", 0.0)),
        dict(data.get("info", {})),
    )


def read_model(path: Path, what: str, fit_command: str) -> dict[str, Any]:
    """A fitted model's JSON; a missing file is a ModelError naming the command that writes it."""
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ModelError(f"{what} not found: {path} (run {fit_command})") from None


@cache
def load_scorer(path: Path = MODEL_PATH) -> Scorer:
    """The shipped model (read once)."""
    return scorer_from_dict(read_model(path, "answer model", "python -m eval.fit_answerer"))

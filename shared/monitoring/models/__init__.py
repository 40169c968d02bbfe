from shared.monitoring.models.evaluation import (
    EvaluationAnswer,
    EvaluationEvent,
    EvaluationPeriod,
    Evidence,
    Indicator,
    PeriodIndicator,
    RegionEvaluation,
)
from shared.monitoring.models.rollup import (
    ProvinceDay,
    RegionDay,
    RegionRollupState,
    RollupItem,
    RollupJob,
    RollupVersion,
)

__all__ = [
    "EvaluationAnswer",
    "EvaluationEvent",
    "EvaluationPeriod",
    "Evidence",
    "Indicator",
    "PeriodIndicator",
    "ProvinceDay",
    "RegionDay",
    "RegionEvaluation",
    "RegionRollupState",
    "RollupItem",
    "RollupJob",
    "RollupVersion",
]

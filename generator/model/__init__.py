"""The data model: the record registry, strict YAML loading, validated records."""

from generator.model.dataset import Dataset
from generator.model.loading import load_dataset

__all__ = ["Dataset", "load_dataset"]

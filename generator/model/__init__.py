"""The data model: strict YAML loading, validated records and the whole dataset."""

from generator.model.dataset import Dataset, load_dataset

__all__ = ["Dataset", "load_dataset"]

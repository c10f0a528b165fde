"""Fictional datasets: ``board demo`` (a whole company, any size) and ``board new``
(a small valid start for a real one). Both build model objects and write them
through the model's writer."""

from generator.demo.legacy import DemoShape, write_demo
from generator.demo.starter import write_starter

__all__ = ["DemoShape", "write_demo", "write_starter"]

"""Fictional datasets: ``board demo`` (a whole company, any size) and ``board new``
(a small valid start for a real one). Both build model objects and write them
through the model's writer; the demo's text pools are YAML files in ``pools/``."""

from generator.demo.generate import write_demo
from generator.demo.shape import DemoShape
from generator.demo.starter import write_starter

__all__ = ["DemoShape", "write_demo", "write_starter"]

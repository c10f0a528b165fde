"""公示栏生成器：把 git 中的党建数据生成为内网静态站点。

Layers (each importable without MkDocs):

- ``generator.model``: YAML loading, the data model and cross-file checks;
- ``generator.ranking``: the rules that turn assessments into scores and lists;
- ``generator.render``: escaping and the generated Markdown pages;
- ``generator.cli``: the ``board`` command;
- ``generator.plugin``: the thin MkDocs plugin that wires them together.
"""

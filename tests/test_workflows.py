"""The GitHub workflows: valid against their JSON schema, and doing what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"


def load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_workflows_match_the_github_workflow_schema():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    command = shutil.which("check-jsonschema")
    argv = [command] if command else [sys.executable, "-m", "check_jsonschema"]
    done = subprocess.run([*argv, "--builtin-schema", "vendor.github-workflows", *files],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pages_workflow_tests_builds_with_the_pages_url_and_deploys():
    pages = load("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["permissions"] | {"pages": "write", "id-token": "write"} == pages["permissions"]
    assert pages["concurrency"]["group"]
    steps = pages["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert ["actions/configure-pages", "actions/upload-pages-artifact"] == [u for u in uses if "pages" in u]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "bash .ci/run" in runs and '--base-url "$BASE_URL/"' in runs
    assert "sahel-site check" in runs and "$GITHUB_STEP_SUMMARY" in runs
    build = next(s for s in steps if s.get("name") == "Build")
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_ci_workflow_tests_pull_requests_on_each_python():
    ci = load("ci.yml")
    assert "pull_request" in ci["on"]
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert ci["jobs"]["test"]["steps"][-1]["run"] == "bash .ci/run"

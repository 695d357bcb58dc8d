"""Citation, licences, launch and deployment files, and the Makefile's own help."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib.metadata import version

import jsonschema
import pytest
import yaml

from tests.conftest import PROJECT_ROOT

CFF_SCHEMA = json.loads((PROJECT_ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json").read_text())


def citation() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text())


class TestCitation:
    def test_citation_file_is_valid_cff_1_2_0(self):
        jsonschema.validate(citation(), CFF_SCHEMA)

    def test_the_schema_check_can_fail(self):
        broken = {k: v for k, v in citation().items() if k != "authors"}
        with pytest.raises(jsonschema.ValidationError, match="authors"):
            jsonschema.validate(broken, CFF_SCHEMA)

    def test_licences_match_the_readme(self):
        assert citation()["license"] == ["MIT", "CC-BY-4.0"]
        assert (PROJECT_ROOT / "LICENSE").read_text().startswith("MIT License")

    def test_the_four_reports_are_referenced(self):
        titles = [reference["title"] for reference in citation()["references"]]
        assert len(titles) == 4


class TestDataLicences:
    def test_every_resource_names_a_licence_and_a_source(self):
        descriptor = json.loads((PROJECT_ROOT / "data" / "datapackage.json").read_text())
        missing = [r["name"] for r in descriptor["resources"] if not r.get("licenses") or not r.get("sources")]
        assert missing == []


@pytest.fixture(scope="module")
def workflow():
    # PyYAML reads the key `on` as True (YAML 1.1); the tests look it up either way.
    return yaml.safe_load((PROJECT_ROOT / ".github" / "workflows" / "book.yml").read_text())


class TestDeployment:
    def test_builds_on_push_weekly_and_by_hand(self, workflow):
        triggers = workflow.get("on", workflow.get(True))
        assert triggers["push"]["branches"] == ["main"]
        assert re.fullmatch(r"[\d*]+ [\d*]+ [\d*]+ [\d*]+ [\d*]+", triggers["schedule"][0]["cron"])
        assert "workflow_dispatch" in triggers

    def test_scheduled_build_starts_with_the_cache_off(self, workflow):
        steps = workflow["jobs"]["build"]["steps"]
        cache = next(s for s in steps if str(s.get("uses", "")).startswith("actions/cache"))
        clean = next(s for s in steps if s.get("run") == "make clean")
        assert cache["if"] == "github.event_name != 'schedule'"
        assert clean["if"] == "github.event_name == 'schedule'"
        assert steps.index(clean) < next(i for i, s in enumerate(steps) if s.get("run") == "make book")

    def test_publishes_the_built_html_to_pages(self, workflow):
        upload = next(s for s in workflow["jobs"]["build"]["steps"] if "upload-pages-artifact" in str(s.get("uses")))
        assert upload["with"]["path"] == "_build/html"
        assert any("deploy-pages" in str(s.get("uses")) for s in workflow["jobs"]["deploy"]["steps"])
        assert workflow["permissions"]["pages"] == "write"


class TestLaunch:
    def test_binder_environment_installs_the_pins_jupytext_and_the_helpers(self):
        requirements = (PROJECT_ROOT / "binder" / "requirements.txt").read_text()
        assert "-r ../requirements.txt" in requirements and re.search(r"^jupytext==", requirements, re.M)
        post_build = PROJECT_ROOT / "binder" / "postBuild"
        assert os.access(post_build, os.X_OK) and "pip install --no-deps -e ." in post_build.read_text()

    def test_config_offers_binder(self):
        config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text())
        assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"


class TestMakeHelp:
    def test_help_lists_every_phony_target(self):
        makefile = (PROJECT_ROOT / "Makefile").read_text()
        phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()
        shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=60).stdout
        listed = re.findall(r"^  make (\S+)", shown, re.M)
        assert sorted(listed) == sorted(phony)


@pytest.mark.build
class TestRenderedPages:
    def test_colophon_names_the_installed_versions(self, built_book):
        page = (built_book / "_build" / "html" / "book" / "appendix" / "colophon.html").read_text()
        assert f"<td><p>{version('pandas')}</p></td>" in page
        assert "not recorded (built outside a git checkout)" in page

    def test_licence_page_renders(self, built_book):
        assert "CC BY 4.0" in (built_book / "_build" / "html" / "book" / "appendix" / "licences.html").read_text()

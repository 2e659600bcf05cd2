"""Front-end assets: the committed Bootstrap Italia build matches its source, and every font is self-hosted."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]


def test_bootstrap_italia_build_is_up_to_date(tmp_path):
    """static/js/bootstrap-italia-portal.min.js is what `npm run build:js` makes from static/js/src/ and the pinned
    library: rebuilt here with the same command and compared byte for byte."""
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        if os.environ.get("CI"):
            pytest.fail("esbuild is missing in CI (npm ci installs it)")
        pytest.skip("esbuild is not installed (npm ci)")
    script = json.loads((ROOT / "package.json").read_text())["scripts"]["build:js"]
    args = shlex.split(script)
    assert args[0] == "esbuild"
    out = tmp_path / "build.js"
    args = [str(esbuild), *(f"--outfile={out}" if a.startswith("--outfile=") else a for a in args[1:])]
    subprocess.run(args, cwd=ROOT, check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "static" / "js" / "bootstrap-italia-portal.min.js").read_bytes()


def test_every_font_is_self_hosted():
    css = (ROOT / "static" / "css" / "fonts.css").read_text()
    urls = re.findall(r'url\("([^"]+)"\)', css)
    families = set(re.findall(r'font-family: "([^"]+)"', css))
    assert families == {"Titillium Web", "Lora"}
    assert len(urls) == 9
    for url in urls:
        assert url.startswith("../vendor/"), url
        assert finders.find(url.removeprefix("../")), url

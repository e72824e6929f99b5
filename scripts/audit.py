"""pip-audit over the project's installed dependencies, read for what it could not check.

Prints pip-audit's findings; exit 1 when it reports a real vulnerability. When it audited nothing
(no route to its vulnerability service: every package "not found on PyPI"), it prints a loud WARNING
and exits 0 - a skipped audit is not a clean one, and the log says so.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    auditor = shutil.which("pip-audit", path=str(BIN)) or "pip-audit"
    result = subprocess.run([auditor, "--progress-spinner", "off", "--format", "json", "--local"],
                            capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout, result.stderr, sep="\n")
        print("FAIL: pip-audit gave no readable report")
        return 1
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    print(f"pip-audit: {len(dependencies)} packages, {audited} audited, {len(skipped)} skipped, "
          f"{len(vulnerable)} vulnerable")
    if dependencies and audited == 0:
        print("WARNING: pip-audit could not reach its vulnerability service; NOTHING WAS AUDITED "
              f"(e.g. {skipped[0]['skip_reason']})")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())

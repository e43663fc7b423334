"""The console's JavaScript unit tests (node --test) and its offline/safety properties."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = ROOT / "console"
HERE = Path(__file__).resolve().parent


def test_javascript_unit_tests_pass() -> None:
    # Given node (the console has no build step, so node runs its modules as they are served)
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the console's JavaScript tests need it")
    files = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    assert files, "no JavaScript test files found"
    # When the JavaScript tests run
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=60, cwd=ROOT)
    # Then they all pass
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"^# fail 0$", result.stdout, re.MULTILINE)


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(str(values[name]))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def test_the_page_loads_nothing_from_other_origins() -> None:
    # Given the console's page
    parser = _References()
    parser.feed((CONSOLE / "index.html").read_text(encoding="utf-8"))
    # Then every script, style and link is relative or inline data (works offline, no CDN)
    assert parser.urls
    for url in parser.urls:
        assert not re.match(r"^(https?:)?//", url), url
    # And no inline script (the Content-Security-Policy allows scripts from this origin only)
    assert parser.inline_scripts == 0
    css = (CONSOLE / "styles.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_no_code_path_turns_text_into_markup() -> None:
    # Given every console module, Then none of them parses strings as HTML: customer text stays text
    sinks = re.compile(
        r"\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|new Function|\beval\("
    )
    modules = sorted(CONSOLE.rglob("*.js"))
    assert modules
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in modules
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if sinks.search(line)
    ]
    assert offenders == []


def test_every_module_import_resolves_to_a_file() -> None:
    # Given plain ES modules (no bundler to catch a typo), Then each relative import names a real file
    pattern = re.compile(r"""^\s*(?:import|export)\s[^'"]*?from\s+["'](\.[^"']+)["']""", re.MULTILINE)
    for module in CONSOLE.rglob("*.js"):
        for target in pattern.findall(module.read_text(encoding="utf-8")):
            assert (module.parent / target).resolve().is_file(), (
                f"{module.relative_to(ROOT)} imports {target}"
            )


def test_the_javascript_tests_meta_is_what_the_api_serves() -> None:
    # Given the meta the JavaScript tests load (tests/unit/console/meta.json)
    from functions.api.routes.meta import meta_view

    fixture = json.loads((HERE / "meta.json").read_text(encoding="utf-8"))
    # Then it is exactly what GET /api/meta answers, so the console's tests run on the real rules
    assert fixture == meta_view().model_dump(mode="json"), (
        "regenerate it: .venv/bin/python -c 'from functions.api.routes.meta import meta_view; "
        "print(meta_view().model_dump_json(indent=2))' > tests/unit/console/meta.json"
    )


def test_the_console_keeps_no_copy_of_the_roles_or_the_empathy_scale() -> None:
    # Given the console's modules, Then no role list or grade meaning is written into them (the API's meta says)
    copies = re.compile(
        r"""\[\s*["'](agent|trainee|reviewer|supervisor|admin)["']\s*,|deeply empathetic["']""", re.I
    )
    offenders = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in sorted(CONSOLE.rglob("*.js"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if copies.search(line)
    ]
    assert offenders == []


MAX_FUNCTION_LINES = 60  # the house's limit for a function (issue 9), for the console as for Python


def _code_only(source: str) -> str:
    """The source with comments, strings, template text and regular expressions blanked (newlines kept),
    so that the braces left are the code's own."""
    out: list[str] = []
    i, n = 0, len(source)
    last = ""  # the last code character, to tell a regular expression from a division

    def blank(text: str) -> str:
        return re.sub(r"[^\n]", " ", text)

    while i < n:
        c = source[i]
        if source.startswith("//", i) or source.startswith("/*", i):
            end = source.find("\n", i) if c + source[i + 1] == "//" else source.find("*/", i) + 2
            end = n if end < i else end
            out.append(blank(source[i:end]))
            i = end
            continue
        regex = c == "/" and (last in "(,=:[!&|?;{}" or "".join(out[-12:]).rstrip().endswith("return"))
        if c in "'\"`" or regex:
            j, depth, in_class = i + 1, 0, False
            while j < n:
                d = source[j]
                if d == "\\":
                    j += 2
                    continue
                if c == "`" and source.startswith("${", j):
                    depth += 1
                elif c == "`" and d == "}" and depth:
                    depth -= 1
                elif c == "/" and d in "[]":
                    in_class = d == "["
                elif d == c and not depth and not in_class:
                    break
                j += 1
            out.append(blank(source[i : j + 1]))
            last, i = "x", j + 1
            continue
        out.append(c)
        if not c.isspace():
            last = c
        i += 1
    return "".join(out)


_FUNCTION_START = re.compile(
    r"(?:\bfunction\b\s*\*?\s*[\w$]*\s*\([^)]*\)\s*\{)|(?:(?:\([^()]*\)|\b[\w$]+)\s*=>\s*\{)"
)


def _long_functions(path: Path, limit: int, root: Path = ROOT) -> list[str]:
    code = _code_only(path.read_text(encoding="utf-8"))
    found = []
    for match in _FUNCTION_START.finditer(code):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(code)):
            depth += {"{": 1, "}": -1}.get(code[end], 0)
            if depth == 0:
                break
        first, last = code.count("\n", 0, match.start()) + 1, code.count("\n", 0, end) + 1
        if last - first + 1 > limit:
            found.append(f"{path.relative_to(root)}:{first} ({last - first + 1} lines)")
    return found


def test_no_console_function_is_longer_than_the_house_allows() -> None:
    # Given every console module, Then no function (named, nested or arrow) spans more than the limit
    modules = sorted(CONSOLE.rglob("*.js"))
    assert modules
    assert [f for p in modules for f in _long_functions(p, MAX_FUNCTION_LINES)] == []


def test_the_length_check_sees_functions_past_strings_templates_and_regexes(tmp_path: Path) -> None:
    # Given a module whose strings, template and regular expression hold braces of their own
    body = "\n".join(f"  const x{i} = `{{${{i}}` + '}}' + \"{{\";" for i in range(5))
    source = f"export function tricky(a) {{\n  if (a) return /[{{]/.test(a);\n{body}\n  return () => {{\n    a();\n  }};\n}}\n"
    module = tmp_path / "tricky.js"
    module.write_text(source, encoding="utf-8")
    # Then it measures the function to its real closing brace (11 lines), and the arrow inside (3 lines)
    assert _long_functions(module, 10, tmp_path) == ["tricky.js:1 (11 lines)"]
    assert _long_functions(module, 11, tmp_path) == []
    assert _long_functions(module, 2, tmp_path) == ["tricky.js:1 (11 lines)", "tricky.js:8 (3 lines)"]

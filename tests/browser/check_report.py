#!/usr/bin/env python3
"""Checks an HTML report as headless Chromium rendered it.

Usage: check_report.py DOM_FILE CHROMIUM_LOG EXPECT

DOM_FILE is `chromium --dump-dom` of the report, CHROMIUM_LOG its stderr with
`--enable-logging=stderr --v=0`. EXPECT is `drawn:ID,ID,...` (charts that must be drawn)
or `all` (every chart either drawn or saying why not). Every chart section must be
present; a drawn chart is an <svg> holding at least one mark (path, rect, circle,
polyline) inside its <g class="marks">; a chart that does not apply has a <p class="na">.
The page runs no script, so any console line (a CSP violation, a blocked fetch, an
error) fails the check. Exit 0 when all holds, 1 with the reasons otherwise.
"""
import sys
from html.parser import HTMLParser

CHARTS = [
    "chart-capital-fan",
    "chart-drawdown-fan",
    "chart-roi-histogram",
    "chart-drawdown-histogram",
    "chart-liquidation-leverage",
    "chart-liquidation-external-share",
    "chart-frontier",
    "chart-pnl-attribution",
    "chart-pool-deviation",
    "chart-pool-churn",
]
MARKS = {"path", "rect", "circle", "polyline"}


class Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []  # open elements: (tag, section id or None, in marks group)
        self.found = {}  # id -> {"svg": bool, "marks": int, "na": bool}

    def current(self):
        for _, sid, _ in reversed(self.stack):
            if sid:
                return sid
        return None

    def in_marks(self):
        return any(m for _, _, m in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        sid = a.get("id") if tag == "section" and a.get("id") in CHARTS else None
        if sid:
            self.found[sid] = {"svg": False, "marks": 0, "na": False}
        cur = sid or self.current()
        if cur:
            if tag == "svg":
                self.found[cur]["svg"] = True
            if tag in MARKS and self.in_marks():
                self.found[cur]["marks"] += 1
            if tag == "p" and "na" in (a.get("class") or "").split():
                self.found[cur]["na"] = True
        marks = tag == "g" and a.get("class") == "marks"
        if tag not in {"line", "circle", "rect", "path", "polyline", "meta", "br", "img"}:
            self.stack.append((tag, sid, marks))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def main():
    dom_file, log_file, expect = sys.argv[1:4]
    dom = open(dom_file, encoding="utf-8").read()
    log = open(log_file, encoding="utf-8", errors="replace").read()
    problems = []
    if "<script" in dom.lower():
        problems.append("the page holds a <script>")
    parser = Sections()
    parser.feed(dom)
    must_draw = set(expect[len("drawn:"):].split(",")) if expect.startswith("drawn:") else set()
    for cid in CHARTS:
        s = parser.found.get(cid)
        if s is None:
            problems.append(f"{cid}: section missing")
        elif s["svg"] and s["marks"] == 0:
            problems.append(f"{cid}: svg drawn with no marks")
        elif not s["svg"] and not s["na"]:
            problems.append(f"{cid}: neither a chart nor a note saying why not")
        elif cid in must_draw and not s["svg"]:
            problems.append(f"{cid}: expected a drawn chart, got a note")
    console = [l for l in log.splitlines() if ":CONSOLE" in l]
    problems += [f"console: {l}" for l in console]
    drawn = sorted(c for c, s in parser.found.items() if s["svg"] and s["marks"])
    print(f"{dom_file}: {len(parser.found)}/{len(CHARTS)} chart sections, drawn: {', '.join(drawn) or 'none'}")
    for p in problems:
        print(f"error: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

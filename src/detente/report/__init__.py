"""The relationship report: typed records (`model`), a plain-text summary (`text`), one self-contained HTML
file (`html`, with inline SVG charts from `charts`)."""

"""The record side and every page, pure: the comparison record's schema (`schema`), its builders
(`build`), exact figures and formatting (`figures`), the cost engine (`cost`), the layout (`layout`),
Markdown and JSON (`render`), and all HTML (`html`: the one Jinja2 environment and its filters over
`templates/`, for record, site, audit and export pages; chart geometry in `charts`; `assets/`)."""

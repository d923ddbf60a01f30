from pathlib import Path

from scrapers.spiders.base import SourceSpider


class HuggingFaceSpider(SourceSpider):
    """Hugging Face model repos: per repo the API model info, README.md and config.json.

    Repos come from `-a repos=org/a,org/b`, `-a repos_file=PATH` (one id a line, `#` comments)
    and the `VERSUS_HF_REPOS` setting (a list). Every document is optional: a gated repo (401/403)
    or a missing file (404) is recorded for that repo and never fails the crawl.
    """

    name = "huggingface"

    def __init__(self, repos: str = "", repos_file: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        listed = [r.strip() for r in repos.split(",")]
        if repos_file:
            lines = Path(repos_file).read_text().splitlines()
            listed += [line.split("#", 1)[0].strip() for line in lines]
        self.repos = list(dict.fromkeys(r for r in listed if r))

    async def start(self):
        repos = list(dict.fromkeys(self.repos + self.settings.getlist("VERSUS_HF_REPOS")))
        if not repos:
            self.logger.warning("huggingface: no repos given (-a repos=..., -a repos_file=..., VERSUS_HF_REPOS)")
        from pipeline.sources.huggingface import document_urls  # here: the extractors load only when this spider runs

        for repo in repos:
            try:
                urls = document_urls(repo)
            except ValueError as exc:  # one bad id from a source must not stop the other repos
                self.logger.error("huggingface: skipped: %s", exc)
                continue
            for url in urls:
                yield self.fetch_optional(url)

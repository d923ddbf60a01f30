from scrapers.spiders.base import SourceSpider


class AiderSpider(SourceSpider):
    """Aider's polyglot coding leaderboard, from the aider repository."""

    name = "aider"
    start_urls = ["https://raw.githubusercontent.com/Aider-AI/aider/main/aider/website/_data/polyglot_leaderboard.yml"]

from scrapers.spiders.base import SourceSpider


class LMArenaSpider(SourceSpider):
    """LMArena's text leaderboard as its public catalog repository publishes it."""

    name = "lmarena"
    start_urls = ["https://raw.githubusercontent.com/lmarena/arena-catalog/main/data/leaderboard-text.json"]

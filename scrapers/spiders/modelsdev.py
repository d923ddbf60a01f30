from scrapers.spiders.base import SourceSpider


class ModelsDevSpider(SourceSpider):
    """models.dev: every provider's offerings (api.json, required) and the model catalogue
    (models.json, optional: it did not exist before 2026)."""

    name = "modelsdev"
    start_urls = ["https://models.dev/api.json"]

    async def start(self):
        async for request in super().start():
            yield request
        yield self.fetch_optional("https://models.dev/models.json")

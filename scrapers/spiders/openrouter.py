import json

from scrapers.spiders.base import SourceSpider

API = "https://openrouter.ai/api/v1/models"


class OpenRouterSpider(SourceSpider):
    """OpenRouter's model list, then each model's endpoints (per-provider routes and prices).

    An endpoints page that is missing (404) is recorded and skipped, never fatal.
    """

    name = "openrouter"
    start_urls = [API]

    def parse(self, response):
        yield self.document(response)
        try:
            models = json.loads(response.body)["data"]
        except (ValueError, KeyError, TypeError):
            return  # the loader reports the malformed list; nothing to follow
        for model in models:
            model_id = model.get("id") if isinstance(model, dict) else None
            if isinstance(model_id, str) and "/" in model_id:
                yield self.fetch_optional(f"{API}/{model_id}/endpoints", callback=self.parse_endpoints)

    def parse_endpoints(self, response):
        yield self.document(response)

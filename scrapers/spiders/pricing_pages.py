from scrapers.spiders.base import SourceSpider


class PricingPagesSpider(SourceSpider):
    """Providers' HTML pricing pages, as configured in `pipeline/pricing_pages.yaml`.

    Each page is its own required document: one page failing (an HTTP error, or a layout the
    parser no longer recognizes) fails that page with its reason, and the others still land.
    """

    name = "pricing_pages"

    def __init__(self, *args, **kwargs):
        from pipeline.sources.pricing_pages import configured_pages  # here: bs4 loads only when this spider runs

        super().__init__(*args, **kwargs)
        self.start_urls = list(configured_pages())

"""Scrapy project: spiders fetch source payloads; parsing lives in `pipeline.sources`."""

# The key of the crawl children's progress lines (scrapers/progress.py), which flows/steps.py reads;
# here so that reading them does not import Scrapy.
PROGRESS_MARKER = "versus_progress"

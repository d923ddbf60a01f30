"""The published static site (`versus site`): builder, pair selection, catalog, the JSON API. Its
templates, charts and assets are in `records`."""
from warehouse.site.builder import SiteError, SiteReport, build_site

__all__ = ["SiteError", "SiteReport", "build_site"]

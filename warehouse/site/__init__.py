"""The published static site (`versus site`): builder, pair selection, charts, templates."""
from warehouse.site.builder import SiteError, SiteReport, build_site

__all__ = ["SiteError", "SiteReport", "build_site"]

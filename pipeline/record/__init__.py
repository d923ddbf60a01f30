"""The record side: the comparison record's schema (`schema`), its pure builders (`build`), exact
figures and formatting (`figures`) and the renderers (`render`)."""

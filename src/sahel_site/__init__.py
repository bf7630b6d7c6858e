"""sahel-site: a static site generator for news analysis of the Sahel and West Africa."""

__version__ = "0.1.0"

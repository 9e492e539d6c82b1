"""cjm: customer journey maps as graphs, tied to funnel data."""

__version__ = "0.1.0"

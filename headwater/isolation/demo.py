from headwater.core import demo  # noqa: F401

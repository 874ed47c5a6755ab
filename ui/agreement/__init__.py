"""The Agreement tab: how the committee agrees."""

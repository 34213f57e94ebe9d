"""The workspace's tabs, one module each: its layout and its events (ui.app puts them together)."""

"""Offline question answering over Chinese policy bulletins (大数据发展动态)."""

"""Funnels from uploaded data: readers, the event-log engine, statistics, charts and the CLI."""

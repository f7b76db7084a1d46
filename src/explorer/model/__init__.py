"""Application state and use-cases in plain Python (no Qt): the Session and what it owns."""

"""Payloads in, reconciled facts out; pure, no I/O beyond package data: source extractors and their
observations, identity, the reconciliation rules, benchmarks and the curated files with their schemas."""

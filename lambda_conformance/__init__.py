"""Conformance test suite for the AWS Lambda Invoke HTTP API."""

__version__ = "0.1.0"

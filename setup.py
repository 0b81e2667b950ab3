"""Packaging lives in pyproject.toml; this shim exists because ``scrapyd-deploy`` builds its egg with
``python setup.py bdist_egg`` (and, finding no setup.py, would write one that packs the tests and
leaves the sample site out)."""

from setuptools import setup

setup()

"""Prompts, report layouts and the digest e-mail, shipped inside the wheel.

Find files with ``importlib.resources.files("templates")``.
"""

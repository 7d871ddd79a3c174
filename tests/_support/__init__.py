"""Helpers shared by every test tree (unit, reliability, integration, Molecule, the benchmark).

Imported as ansible_collections.fleetpolicy.claude_code.tests._support; no test tree imports
another.
"""

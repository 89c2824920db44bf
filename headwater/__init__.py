"""Headwater: epidemic prevention and service continuity for essential-service organizations."""

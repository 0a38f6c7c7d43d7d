"""Example ML backends that speak the Label Studio ML backend protocol (used by the tests)."""

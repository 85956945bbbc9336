"""Find people by name and records by words; the pure questions each command asks."""
